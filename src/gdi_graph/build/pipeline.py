"""Build: sources -> validated graph -> dist/, atomically.

The build is a pure function of the files under `ontology/`, `data/` and `shapes/`.
It writes into a fresh directory and only then points `dist` at it (an atomic symlink
swap), so a parse error or a violation never replaces a good published graph. Builds take
turns (the build lock), and old builds are pruned only when no running server holds a
lease on them (build/lease.py).
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Store, parse, serialize
from rdflib import BNode, Graph, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.plugins.parsers.notation3 import BadSyntax

from gdi_graph import __version__
from gdi_graph.build.errors import SourceError
from gdi_graph.build.lease import build_lock, build_store, unleased
from gdi_graph.rdf.namespaces import BASE, GDI, GRAPH, PREFIXES, QB, RDF
from gdi_graph.rdf.terms import store_from_graph, to_ox
from gdi_graph.build.progress import QUIET, Progress
from gdi_graph.build.monitor import editions as monitor_editions
from gdi_graph.build.monitor.materialise import GRAPH_IRI as DERIVED_GRAPH, materialise
from gdi_graph.build.monitor.tables import EditionReader
from gdi_graph.build.validate import ValidationOutcome, validate

REPORT_GRAPH = URIRef(f"{BASE}/graph/validatie")
PACKAGE = Path(__file__).resolve().parents[1]  # src/gdi_graph
PACKAGE_SUFFIXES = (".py", ".html", ".css", ".js", ".svg", ".json", ".txt")
KEEP_BUILDS = 3


class BuildFailed(Exception):
    """Validation found violations; carries the outcome so callers can print it."""

    def __init__(self, outcome: ValidationOutcome):
        super().__init__(f"validation found {len(outcome.violations)} violation(s)")
        self.outcome = outcome


@dataclass
class Sources:
    root: Path
    turtle: list[Path] = field(default_factory=list)
    editions: list[Path] = field(default_factory=list)
    shapes: list[Path] = field(default_factory=list)

    @classmethod
    def find(cls, root: Path) -> "Sources":
        s = cls(root)
        s.turtle = sorted((root / "ontology").glob("*.ttl")) + sorted((root / "data").rglob("*.ttl"))
        s.editions = sorted(p.parent for p in (root / "data").glob("*/tabellen.csv"))
        s.shapes = sorted((root / "shapes").glob("*.ttl"))
        if not s.turtle:
            raise SourceError(root, "no ontology/*.ttl or data/**/*.ttl found; run from the project root or pass --root")
        return s

    def files(self) -> list[Path]:
        found = list(self.turtle) + list(self.shapes)
        for edition in self.editions:
            found += sorted(p for p in edition.rglob("*.csv"))
        return sorted(set(found))

    def digest(self) -> str:
        """A hash of every input of an answer: the sources, the named queries and the package's
        own code and templates, so a changed `.rq` title or template means a new build, new
        ETags and no stale page."""
        h = hashlib.sha256(f"gdi-graph {__version__}\n".encode())
        queries = sorted((self.root / "queries").glob("*.rq"))
        for path in self.files() + queries:
            h.update(path.relative_to(self.root).as_posix().encode() + b"\0")
            h.update(path.read_bytes() + b"\0")
        for path in package_files():
            h.update(b"package/" + path.relative_to(PACKAGE).as_posix().encode() + b"\0")
            h.update(path.read_bytes() + b"\0")
        return h.hexdigest()


def package_files() -> list[Path]:
    """The installed package's code, templates and static files (not caches)."""
    return sorted(p for p in PACKAGE.rglob("*") if p.is_file() and p.suffix in PACKAGE_SUFFIXES
                  and "__pycache__" not in p.parts)


@dataclass
class BuiltGraph:
    named_graphs: Store  # each source file's graph, the derived and the report graph: one named graph each
    data: Graph  # union of the data graphs (ontology and data, not shapes)
    shapes: Graph
    outcome: ValidationOutcome
    digest: str
    graphs: dict[str, int]
    data_store: Store | None = None  # `data` in Oxigraph's default graph (made once: materialise, validate, write)


def graph_iri(root: Path, path: Path) -> URIRef:
    return GRAPH[path.relative_to(root).as_posix()]


def parse_turtle(path: Path, name: str = "") -> Graph:
    g = Graph()
    try:
        g.parse(path, format="turtle")
    except BadSyntax as exc:
        line = getattr(exc, "lines", None)
        raise SourceError(path, f"Turtle syntax error: {exc.message}", line=(line + 1) if line is not None else None) from None
    except Exception as exc:  # rdflib raises assorted errors for bad IRIs and literals
        raise SourceError(path, f"cannot parse as Turtle: {exc}") from None
    return stable_blank_nodes(g, name or path.name)


def stable_blank_nodes(g: Graph, name: str) -> Graph:
    """The graph with its blank nodes named by their content and the graph's name.

    rdflib names blank nodes at random, so two builds of the same file would write other
    bytes; canonical names (rdflib.compare) make the dumps a function of the sources, and
    the graph's name keeps equal structures in two files apart.
    """
    if not any(isinstance(n, BNode) for n in g.all_nodes()):
        return g

    def rename(node):
        return BNode(hashlib.sha256(f"{name} {node}".encode()).hexdigest()[:24]) if isinstance(node, BNode) else node

    stable = Graph()
    for s, p, o in to_canonical_graph(g):
        stable.add((rename(s), p, rename(o)))
    return stable


@contextmanager
def fewer_collections():
    """Garbage collection paused for what the build keeps, and rarer for the rest.

    A build holds millions of rdflib objects that live until it ends and form no garbage
    cycles. CPython's collector still walks the young ones every 700 allocations and,
    now and then, all of them: at thirty editions a tenth of the build's CPU time. Objects
    alive at a `gc.freeze()` are left out of every later collection; the first threshold
    makes young collections rarer. Both are undone on the way out. Only when collection
    happens changes, never what is built.

    Yields `keep`, to call once a step has made more objects that stay: it collects what
    that step left as garbage (cheap: frozen objects are not scanned) and freezes the rest;
    freezing garbage would keep it until the build ends (a fifth more peak memory at x30).
    """
    def keep() -> None:
        gc.collect()
        gc.freeze()

    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(thresholds[0], 50_000), *thresholds[1:])
    try:
        yield keep
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def load(root: Path, progress: Progress = QUIET) -> BuiltGraph:
    """Parse and validate every source; raise SourceError or BuildFailed."""
    with fewer_collections() as keep:
        return _load(root, progress, keep)


def _load(root: Path, progress: Progress, keep) -> BuiltGraph:
    sources = Sources.find(root)
    # The named graphs go straight into Oxigraph, which writes the dumps: each triple is
    # converted once, and the rdflib graphs hold only what SHACL and the converters read.
    named_graphs = Store()
    data = Graph()
    counts: dict[str, int] = {}

    def add_named(iri: URIRef, g: Graph) -> None:
        graph = NamedNode(str(iri))
        named_graphs.bulk_extend(Quad(to_ox(s), to_ox(p), to_ox(o), graph) for s, p, o in g)
        counts[str(iri)] = len(g)

    def add(path: Path, g: Graph, into_data: bool = True) -> None:
        add_named(graph_iri(root, path), g)
        if into_data:
            nonlocal data
            data += g

    with progress.step(f"parsing {len(sources.turtle)} Turtle files"):
        for path in sources.turtle:
            add(path, parse_turtle(path, graph_iri(root, path)))
    keep()
    known = {}
    for s in data.subjects(RDF.type, GDI.Voorziening):
        known[str(s).rstrip("/").rsplit("/", 1)[-1]] = s
    with progress.step(f"converting {len(sources.editions)} monitor edition(s) from CSV"):
        # Oldest first: a row's indicator is the one the same row printed in the edition before.
        editions = monitor_editions.in_order(sources.editions, data)
        identities = monitor_editions.Identities()
        for folder in editions:
            for path, g in EditionReader(folder, known, identities).read():
                add(path, g)
            keep()
    with progress.step("materialising what the queries need"):
        data_store = store_from_graph(data)
        derived = materialise(data, editions, data_store)  # adds the derived triples to data_store too
        add_named(DERIVED_GRAPH, derived)
        data += derived
    keep()
    shapes = Graph()
    with progress.step(f"parsing {len(sources.shapes)} shape files"):
        for path in sources.shapes:
            g = parse_turtle(path, graph_iri(root, path))
            shapes += g
            add(path, g, into_data=False)
    with progress.step(f"validating {len(data)} triples with SHACL"):
        outcome = validate(data, shapes, data_store)
    add_named(REPORT_GRAPH, outcome.report)
    built = BuiltGraph(named_graphs, data, shapes, outcome, sources.digest(), counts, data_store)
    if not outcome.publishable:  # a violation; warnings leave sh:conforms false but still publish
        raise BuildFailed(outcome)
    return built


UNION_SIZE = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"


def union_size(store: Store) -> int:
    """The size of the graph, as README, /health, VoID and the manifest give it: the distinct
    triples of the union of all named graphs, which is the default graph a query sees.
    Counted by Oxigraph: a set of Python tuples of millions of triples costs seconds and gigabytes."""
    (solution,) = store.query(UNION_SIZE)
    return int(solution["n"].value)


def _counts(data: Graph) -> dict[str, int]:
    return {
        "observations": sum(1 for _ in data.subjects(RDF.type, QB.Observation)),
        "verbindingen": sum(1 for _ in data.subjects(RDF.type, GDI.Verbinding)),
        "voorzieningen": sum(1 for _ in data.subjects(RDF.type, GDI.Voorziening)),
    }


def write(built: BuiltGraph, dist: Path, progress: Progress = QUIET, timings: dict | None = None) -> Path:
    """Write the build into a new directory and atomically point `dist` at it."""
    dist = dist.absolute()
    with build_lock(dist, on_wait=lambda: progress.stream.write(f"gdi-graph: waiting for another build of {dist}\n")):
        return _write(built, dist, progress, timings)


def _write(built: BuiltGraph, dist: Path, progress: Progress, timings: dict | None) -> Path:
    store = build_store(dist)
    store.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    target = Path(tempfile.mkdtemp(prefix=f"{stamp}-{built.digest[:12]}-", dir=store))
    target.chmod(0o755)  # mkdtemp makes it 0700: a server running as another user must read it
    try:
        with progress.step("writing dumps"):
            # Oxigraph's serialisers: an order of magnitude faster than rdflib's here. Its store
            # iterates in an order that changes from run to run, so each dump is written from
            # sorted lines: the same sources give the same bytes.
            named_graphs = built.named_graphs
            nquads = named_graphs.dump(format=RdfFormat.N_QUADS)
            (target / "gdi.nq").write_bytes(_sorted_lines(nquads))
            serialize(parse(_sorted_lines(nquads, by_graph=True), format=RdfFormat.N_QUADS),
                      target / "gdi.jsonld", format=RdfFormat.JSON_LD)  # one @graph per source file
            data_store = built.data_store if built.data_store is not None else store_from_graph(built.data)
            for graph, name in ((data_store, "gdi.ttl"), (store_from_graph(built.outcome.report), "report.ttl")):
                ntriples = graph.dump(format=RdfFormat.N_TRIPLES, from_graph=DefaultGraph())
                serialize(parse(_sorted_lines(ntriples), format=RdfFormat.N_TRIPLES), target / name,
                          format=RdfFormat.TURTLE, prefixes=PREFIXES)
            (target / "report.txt").write_text(built.outcome.text(), encoding="utf-8")
            manifest = {
                "version": __version__,
                "digest": built.digest,
                "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "counts": {**_counts(built.data), "triples": union_size(named_graphs)},
                "graphs": built.graphs,
                "violations": len(built.outcome.violations),
                "warnings": len(built.outcome.warnings),
                "conforms": built.outcome.conforms,  # sh:conforms: no validation result at all
                "publishable": built.outcome.publishable,  # the build's decision: no violation
                "timings": {k: round(v, 3) for k, v in (timings or {}).items()},
            }
            # Written last and renamed into place: a build killed before this line has no
            # manifest, so no server will take it for a build and the next prune removes it.
            (target / "manifest.json.part").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                                       encoding="utf-8")
            os.replace(target / "manifest.json.part", target / "manifest.json")
        _swap(target, dist)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    _prune(store, keep=target)
    return target


def _sorted_lines(dump: bytes, by_graph: bool = False) -> bytes:
    """N-Triples or N-Quads lines in sorted order; `by_graph` sorts by graph name first."""
    lines = dump.splitlines(keepends=True)
    lines.sort(key=(lambda line: (line.rsplit(b" ", 2)[-2], line)) if by_graph else None)
    return b"".join(lines)


def _swap(target: Path, dist: Path) -> None:
    link = dist.parent / f".{dist.name}.new"
    if link.is_symlink() or link.exists():
        link.unlink()
    os.symlink(os.path.relpath(target, dist.parent), link)
    if dist.exists() and not dist.is_symlink():
        # An old plain directory: move it into the build store first.
        shutil.move(str(dist), str(build_store(dist) / f"legacy-{time.time_ns()}"))
    os.replace(link, dist)


def _prune(store: Path, keep: Path) -> list[Path]:
    """Remove old builds that no process leases; returns what was removed.

    Kept: the new build, the KEEP_BUILDS newest complete ones, and any build a running
    server holds a lease on (build.lease), however old. A directory without a manifest is
    what a build killed while writing left behind (builds hold the build lock, so none is
    being written now) and goes too.
    """
    def age(p: Path) -> float:
        try:
            return p.stat().st_mtime
        except OSError:
            return 0.0

    entries = [p for p in store.iterdir() if p.is_dir() and not p.is_symlink()]
    complete = sorted((p for p in entries if (p / "manifest.json").exists()), key=age, reverse=True)
    keep_set = {keep} | set(complete[:KEEP_BUILDS])
    removed = []
    for old in entries:
        if old in keep_set:
            continue
        with unleased(old) as free:
            if free:
                shutil.rmtree(old, ignore_errors=True)
                removed.append(old)
    return removed


def read_manifest(dist: Path) -> dict | None:
    try:
        return json.loads((dist / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_current(root: Path, dist: Path) -> bool:
    manifest = read_manifest(dist)
    return bool(manifest) and manifest.get("digest") == Sources.find(root).digest()


def build(root: Path, dist: Path, progress: Progress = QUIET) -> tuple[BuiltGraph, Path]:
    built = load(root, progress)
    with fewer_collections():
        target = write(built, dist, progress, progress.durations)
    return built, target
