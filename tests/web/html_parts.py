"""A small HTML reader for the page tests: elements by id, their text and links (stdlib only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list = field(default_factory=list)  # Element or str
    parent: Element | None = None

    @property
    def text(self) -> str:
        return " ".join("".join(c if isinstance(c, str) else " " + c.text + " " for c in self.children).split())

    def iter(self, tag: str | None = None):
        for c in self.children:
            if isinstance(c, Element):
                if tag is None or c.tag == tag:
                    yield c
                yield from c.iter(tag)

    def links(self) -> list[tuple[str, str]]:
        return [(a.attrs.get("href", ""), a.text) for a in self.iter("a")]

    def find(self, tag: str | None = None, **attrs) -> list[Element]:
        return [e for e in self.iter(tag) if all(e.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())]


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        e = Element(tag, {k: v or "" for k, v in attrs}, parent=self.current)
        self.current.children.append(e)
        if tag not in VOID:
            self.current = e

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, {k: v or "" for k, v in attrs}, parent=self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str | bytes) -> Element:
    b = _Builder()
    b.feed(html.decode("utf-8") if isinstance(html, bytes) else html)
    b.close()
    return b.root


def by_id(doc: Element, ident: str) -> Element:
    found = doc.find(id=ident)
    assert found, f"no element with id {ident!r} on the page"
    assert len(found) == 1, f"{len(found)} elements with id {ident!r}"
    return found[0]


def ids(doc: Element) -> list[str]:
    return [e.attrs["id"] for e in doc.iter() if "id" in e.attrs]
