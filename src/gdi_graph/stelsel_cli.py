"""`gdi-graph draw` and `gdi-graph stelsel pad|afhankelijk|centraal|niet-beschikbaar`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .progress import Progress
from .stelsel import DEFAULT_PEILDATUM, StelselError, parse_peildatum

VRAGEN = {
    "pad": "all shortest paths between two registraties or objects, over verbindingen in either direction",
    "afhankelijk": "everything that refers to a basisregistratie, directly or via other verbindingen",
    "centraal": "registraties and objects ranked by betweenness and by how often they are referred to",
    "niet-beschikbaar": "verbindingen that are not, or only partly, available on the peildatum",
}


def register(subparsers) -> None:
    p = subparsers.add_parser("draw", help="draw the stelselplaat as SVG or PNG (format from the file suffix)")
    p.add_argument("-o", "--output", required=True, help="output file, .svg or .png")
    p.add_argument("--peildatum", default=DEFAULT_PEILDATUM.isoformat(), help="the day to draw (default %(default)s)")
    p.add_argument("--van", help="difference view: from this day (with --tot)")
    p.add_argument("--tot", help="difference view: to this day (with --van)")
    p.add_argument("--dpi", type=int, default=150, help="PNG resolution (default %(default)s)")
    p.set_defaults(func=cmd_draw)

    p = subparsers.add_parser("stelsel", help="questions about the Stelsel van Basisregistraties")
    sub = p.add_subparsers(dest="vraag", required=True)
    for vraag, help_text in VRAGEN.items():
        q = sub.add_parser(vraag, help=help_text, description=help_text)
        if vraag == "pad":
            q.add_argument("van", help="registratie (BRV) or object (BRV/gekentekend-voertuig)")
            q.add_argument("naar", help="registratie or object")
        elif vraag == "afhankelijk":
            q.add_argument("registratie", help="afkorting of the basisregistratie, e.g. BAG")
        q.add_argument("--peildatum", default=DEFAULT_PEILDATUM.isoformat(), help="default %(default)s")
        q.add_argument("--format", "-f", default="table", choices=["table", "json"])
        q.set_defaults(func=cmd_stelsel)


def _fail(command: str, message: str) -> int:
    sys.stderr.write(f"gdi-graph {command}: error: {message}\n")
    return 2


def _dates(args, names: tuple[str, ...]) -> dict:
    out = {}
    for name in names:
        value = getattr(args, name)
        if value is None:
            out[name] = None
            continue
        try:
            out[name] = parse_peildatum(value)
        except StelselError as exc:
            raise StelselError(f"--{name}: {exc}") from None
    return out


def _store(args):
    from .cli import ensure_build
    from .store import open_store

    ensure_build(args.root, args.dist, Progress())
    return open_store(args.dist)


def cmd_draw(args) -> int:
    from . import plaat, stelsel

    fmt = Path(args.output).suffix.lower().lstrip(".")
    if fmt not in ("svg", "png"):
        return _fail("draw", f"cannot tell the format of {args.output!r}: end the name in .svg or .png")
    try:
        days = _dates(args, ("peildatum", "van", "tot"))
        if (days["van"] is None) != (days["tot"] is None):
            raise StelselError("--van and --tot go together (the difference view)")
    except StelselError as exc:
        return _fail("draw", str(exc))
    store = _store(args)
    queries = args.root / "queries"
    if days["van"]:
        g = stelsel.verschil(stelsel.load(store, days["van"], queries), stelsel.load(store, days["tot"], queries))
    else:
        g = stelsel.load(store, days["peildatum"], queries)
    Path(args.output).write_bytes(plaat.image(g, fmt, dpi=args.dpi))
    sys.stderr.write(f"gdi-graph draw: wrote {args.output}\n")
    return 0


def cmd_stelsel(args) -> int:
    from . import stelsel

    command = f"stelsel {args.vraag}"
    try:
        day = _dates(args, ("peildatum",))["peildatum"]
    except StelselError as exc:
        return _fail(command, str(exc))
    g = stelsel.load(_store(args), day, args.root / "queries")
    params = {k: getattr(args, k) for k in ("van", "naar", "registratie") if hasattr(args, k)}
    try:
        answer = stelsel.antwoord(g, args.vraag, **params)
    except StelselError as exc:
        return _fail(command, str(exc))
    if args.format == "json":
        sys.stdout.write(json.dumps(answer, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(_tables(args.vraag, answer))
    return 0


# ---------------------------------------------------------------- tables

def _status(status: str) -> str:
    from .stelsel import STATUS_LABEL
    return STATUS_LABEL.get(status, status)


def _tables(vraag: str, a: dict) -> str:
    from .cli import _table

    if vraag == "pad":
        if not a["paden"]:
            return f"no path between {a['van']} and {a['naar']} on {a['peildatum']}\n"
        rows = []
        for i, p in enumerate(a["paden"], 1):
            for s in p["stappen"]:
                walked_from, walked_to = ("van", "naar") if s["richting"] == "→" else ("naar", "van")
                rows.append([str(i), f"{s[walked_from + '_registratie']} {s[walked_from + '_label']}", s["richting"],
                             f"{s[walked_to + '_registratie']} {s[walked_to + '_label']}", s["sleutel"],
                             _status(s["status"])])
        head = (f"{len(a['paden'])} shortest path(s) from {a['van']} to {a['naar']} on {a['peildatum']}, "
                f"{a['paden'][0]['verbindingen']} verbinding(en) each (→ refers to, ← is referred to by)\n")
        return head + _table(["pad", "uit", "", "in", "sleutel", "status"], rows)
    if vraag == "afhankelijk":
        rows = [[o["registratie"], o["label"], str(o["afstand"]), "ja" if o["direct"] else "nee"] for o in a["objecten"]]
        return (f"what refers to {a['registratie']} on {a['peildatum']}\n"
                + _table(["registratie", "object", "afstand", "direct"], rows))
    if vraag == "centraal":
        regs = [[r["registratie"], f"{r['tussenligging']:.4f}", str(r["verwijzingen"]), str(r["verwijst"])]
                for r in a["registraties"]]
        objs = [[o["registratie"], o["label"], f"{o['tussenligging']:.4f}", str(o["verwijzingen"]), str(o["verwijst"])]
                for o in a["objecten"]]
        return (f"basisregistraties on {a['peildatum']}\n"
                + _table(["registratie", "tussenligging", "verwijzingen", "verwijst"], regs)
                + f"\nregistratieobjecten on {a['peildatum']}\n"
                + _table(["registratie", "object", "tussenligging", "verwijzingen", "verwijst"], objs))
    if vraag == "niet-beschikbaar":
        rows = [[v["label"] or v["verbinding"], v["sleutel"], _status(v["status"]), v["beschikbaar_vanaf"] or ""]
                for v in a["verbindingen"]]
        return (f"verbindingen not (fully) available on {a['peildatum']}\n"
                + _table(["verbinding", "sleutel", "status", "beschikbaar vanaf"], rows))
    raise AssertionError(vraag)
