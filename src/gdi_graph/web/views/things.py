"""Pages made for reading at an entity's own URL (/id/…), one template per kind of thing.

The linked-data view (`linked.py`) decides the representation; when it is HTML and the
resource is of a known kind, it asks `render` for the reading page, which puts the
kind's own parts on top and the full statement table (the linked-data view's context)
lower on the page. Unknown kinds get the generic page.
"""

from __future__ import annotations

from flask import render_template

from gdi_graph.web import editions, figures, things, urls
from gdi_graph.web.editions import Selection
from gdi_graph.web.facts import gdi, labels

KIND_LABELS = {"voorziening": "Voorziening", "basisregistratie": "Basisregistratie", "koppelnetwerk": "Koppelnetwerk",
               "organisatie": "Organisatie",
               "indicator": "Indicator van de Monitor GDI", "verbinding": "Verbinding in het stelsel",
               "registratieobject": "Registratieobject", "groep": "Functionele groep",
               "tabel": "Tabel uit de Monitor GDI"}
STATUSES = ("NietBeschikbaar", "Ondergrens", "Bovengrens", "Onleesbaar", "Beschikbaar")


def render(iri: str, context: dict, selection: Selection | None = None) -> str | None:
    """The reading page of `iri` as HTML, or None when it is of no kind with its own page.

    `selection`: which printings of the monitor's figures it shows (web/editions.py).
    """
    selection = selection or Selection()
    page = things.page_for(iri, selection)
    if page is None:
        return None
    names = labels(gdi(s) for s in STATUSES)
    status_labels = {s: names.get(gdi(s), s) for s in STATUSES}
    return render_template(f"things/{page.kind}.html", page=page, kind_label=KIND_LABELS[page.kind], urls=urls,
                           figures=figures, status_labels=status_labels, selection=selection,
                           editions=editions.editions(), **context)
