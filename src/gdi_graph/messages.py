"""Texts for people, in Dutch and English: Dutch by default, English for a client that prefers it.

A `Message` carries both; code that raises an error writes both at the place where it
knows what went wrong, and the layer that answers picks one (the web layer by the
request's Accept-Language). Technical tokens — parameter names, values, SPARQL — stay as
they are in both.
"""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("nl", "en")
DEFAULT = "nl"


@dataclass(frozen=True)
class Message:
    nl: str
    en: str

    def __str__(self) -> str:
        return self.nl

    def __add__(self, other: "Message | str") -> "Message":
        if isinstance(other, Message):
            return Message(self.nl + other.nl, self.en + other.en)
        return Message(self.nl + other, self.en + other)

    def in_language(self, lang: str) -> str:
        return self.en if lang == "en" else self.nl


def text(value: "Message | str | None", lang: str = DEFAULT) -> str:
    """The text of a message in `lang`; a plain string is returned as it is."""
    if value is None:
        return ""
    return value.in_language(lang) if isinstance(value, Message) else value


def join(parts: list[Message], nl: str = ", ", en: str = ", ") -> Message:
    return Message(nl.join(p.nl for p in parts), en.join(p.en for p in parts))
