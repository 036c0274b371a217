"""Dutch for the English error texts that views still raise as plain strings.

A view that knows both languages raises a `Message`; this catalogue covers the texts raised
as plain English strings elsewhere (the SPARQL endpoint, the linked-data and stelsel views,
the query workers), so that a Dutch reader gets Dutch everywhere. Each entry is a pattern
over the English text and its Dutch form; technical tokens (parameter names, values,
IRIs, SPARQL keywords, settings) are carried over unchanged. A text without an entry is
shown as it is.
"""

from __future__ import annotations

import re

_CATALOGUE: list[tuple[str, str]] = [
    # the endpoint (views/sparql.py, query/executor.py, query/backends.py)
    (r"this endpoint is read-only: SPARQL Update is not accepted",
     "dit endpoint is alleen-lezen: SPARQL Update wordt niet aangenomen"),
    (r"the graph is built from the source files in git; change them there and rebuild\. "
     r"To query, send a SELECT, ASK, CONSTRUCT or DESCRIBE as \?query=",
     "de graaf wordt gebouwd uit de bronbestanden in git; wijzig die en bouw opnieuw. "
     "Stuur voor een vraag een SELECT, ASK, CONSTRUCT of DESCRIBE als ?query="),
    (r"the query body is not valid UTF-8", "de query in de body is geen geldige UTF-8"),
    (r"send the query text encoded as UTF-8", "stuur de querytekst in UTF-8"),
    (r"the query was sent both in the body and as \?query=", "de query is zowel in de body als als ?query= gestuurd"),
    (r"send it once: in the body \(application/sparql-query\) or as \?query=",
     "stuur haar één keer: in de body (application/sparql-query) of als ?query="),
    (r"a POST to /sparql must be application/x-www-form-urlencoded or application/sparql-query, not (?P<rest>.*)",
     "een POST naar /sparql moet application/x-www-form-urlencoded of application/sparql-query zijn, niet {rest}"),
    (r"the (?P<name>'[^']*') parameter was given (?P<n>\d+) times", "de parameter {name} is {n} keer gegeven"),
    (r"send exactly one (?P<name>\S+)", "stuur precies één {name}"),
    (r"(?P<name>\S+) (?P<value>'.*') is not an absolute IRI \((?P<why>.*)\)",
     "{name} {value} is geen absolute IRI ({why})"),
    (r"give (?P<name>\S+) as a full IRI, e\.g\. (?P<example>\S+)", "geef {name} als volledige IRI, bijvoorbeeld {example}"),
    (r"no query given", "geen query gegeven"),
    (r"send the query as the 'query' form field or as the body with Content-Type application/sparql-query",
     "stuur de query als formulierveld 'query' of als body met Content-Type application/sparql-query"),
    (r"the query is (?P<size>\d+) bytes; this server accepts at most (?P<max>\d+)",
     "de query is {size} bytes; deze server neemt er hoogstens {max} aan"),
    (r"shorten the query \(e\.g\. move long VALUES lists into a named query\), or ask the operator to raise "
     r"(?P<setting>\S+)",
     "maak de query korter (zet bijvoorbeeld lange VALUES-lijsten in een benoemde query) of vraag de beheerder "
     "{setting} te verhogen"),
    (r"the query is empty", "de query is leeg"),
    (r"send a SELECT, ASK, CONSTRUCT or DESCRIBE query", "stuur een SELECT-, ASK-, CONSTRUCT- of DESCRIBE-query"),
    (r"remove the SERVICE clause or query the other endpoint yourself",
     "laat de SERVICE-clausule weg of bevraag het andere endpoint zelf"),
    (r"the query ran longer than the limit of (?P<limit>\S+) s and was stopped",
     "de query liep langer dan de grens van {limit} s en is gestopt"),
    (r"the query ran longer than the limit of (?P<limit>\S+) s at the SPARQL store (?P<store>\S+) and was "
     r"stopped(?P<said> \(the store said: .*\))?",
     "de query liep langer dan de grens van {limit} s bij de SPARQL-store {store} en is gestopt{said}"),
    (r"add a LIMIT or narrow the patterns; the operator sets the limit with (?P<setting>\S+)(?P<own> \(and the "
     r"store's own\))?",
     "voeg een LIMIT toe of maak de patronen nauwer; de beheerder stelt de grens in met {setting}{own}"),
    (r"add a LIMIT, narrow the patterns or run it on a copy of the data from /download; the operator sets the "
     r"limit with (?P<setting>\S+)",
     "voeg een LIMIT toe, maak de patronen nauwer of draai de query op een kopie van de gegevens uit /download; "
     "de beheerder stelt de grens in met {setting}"),
    (r"fix the query at the position given; see (?P<url>\S+)", "verbeter de query op de aangegeven plek; zie {url}"),
    (r"fix the query", "verbeter de query"),
    (r"the store rejected the query: (?P<said>.*)", "de store weigerde de query: {said}"),
    (r"the SPARQL store at (?P<store>\S+) failed: (?P<said>.*)", "de SPARQL-store op {store} faalde: {said}"),
    (r"try again later", "probeer het later opnieuw"),
    (r"the result is larger than (?P<n>\d+) bytes", "het resultaat is groter dan {n} bytes"),
    (r"add a LIMIT or select fewer variables(?P<dumps>; the dumps at /download have everything)?",
     "voeg een LIMIT toe of selecteer minder variabelen{dumps}"),
    (r"all (?P<n>\d+) query workers stayed busy for (?P<s>\S+) s",
     "alle {n} queryprocessen bleven {s} s bezet"),
    (r"try again in a few seconds; long-running queries occupy the workers",
     "probeer het over een paar seconden opnieuw; langlopende queries houden de processen bezet"),
    (r"the server is shutting down", "de server stopt"),
    (r"try again in a moment", "probeer het zo opnieuw"),
    (r"the query worker stopped unexpectedly \((?P<why>[^)]*)\)", "het queryproces stopte onverwacht ({why})"),
    (r"the query may need more memory than the server has; simplify it",
     "de query heeft mogelijk meer geheugen nodig dan de server heeft; maak haar eenvoudiger"),
    (r"the query worker could not load the build: (?P<why>.*)", "het queryproces kon de build niet laden: {why}"),
    (r"the operator should check the server log", "de beheerder moet het serverlog nakijken"),
    (r"the query worker did not start within (?P<s>\S+) s", "het queryproces startte niet binnen {s} s"),
    (r"try again shortly; if it persists, check the server log",
     "probeer het zo opnieuw; blijft het, kijk dan in het serverlog"),
    (r"SERVICE with a variable endpoint is not allowed on this server: (?P<rest>.*)",
     "SERVICE met een variabel endpoint is op deze server niet toegestaan: {rest}"),
    (r"SERVICE (?P<iri><[^>]*>) is not on this server's federation allow-list \((?P<allowed>.*)\); query that "
     r"endpoint directly, or ask the operator to add it to (?P<setting>\S+)",
     "SERVICE {iri} staat niet op de federatielijst van deze server ({allowed}); bevraag dat endpoint zelf of "
     "vraag de beheerder het aan {setting} toe te voegen"),
    # formats (web/responses.py)
    (r"format (?P<value>'[^']*') does not fit (?P<what>.*)", "formaat {value} past niet bij {what}"),
    (r"format (?P<value>'[^']*') is not offered here", "formaat {value} wordt hier niet aangeboden"),
    (r"use \?format= with one of: (?P<list>.*)", "gebruik ?format= met een van: {list}"),
    (r"none of the media types in the Accept header \((?P<accept>.*)\) (?:fits this answer|is offered here)",
     "geen van de mediatypen in de Accept-header ({accept}) wordt hier aangeboden"),
    (r"accept one of (?P<list>.*), or add \?format=(?P<example>.*)",
     "accepteer een van {list}, of voeg ?format={example} toe"),
    (r"HTML is not offered here", "HTML wordt hier niet aangeboden"),
    (r"add \?format=json or another machine format", "voeg ?format=json of een ander machineformaat toe"),
    # linked data (views/linked.py)
    (r"there is no resource at (?P<path>\S+): (?P<iri><[^>]*>) cannot be an IRI \((?P<why>.*)\)",
     "er is geen resource op {path}: {iri} kan geen IRI zijn ({why})"),
    (r"check the address for stray characters, e\.g\. a trailing space from a copy-paste",
     "controleer het adres op losse tekens, zoals een spatie aan het eind na kopiëren en plakken"),
    (r"there is no resource (?P<iri><[^>]*>) in this graph", "er is geen resource {iri} in deze graaf"),
    (r"check the IRI; /sparql can search, e\.g\. (?P<query>.*)", "controleer de IRI; /sparql kan zoeken, bijvoorbeeld {query}"),
    (r"no vocabulary under (?P<iri><[^>]*>) in this graph", "geen vocabulaire onder {iri} in deze graaf"),
    (r"check (?P<setting>GDI_GRAPH_\w+)", "controleer {setting}"),
    (r"there is no named graph (?P<iri><[^>]*>) in this build", "er is geen benoemde graaf {iri} in deze build"),
    (r"the named graphs are listed in (?P<url>\S+) \(sd:namedGraph\)", "de benoemde grafen staan in {url} (sd:namedGraph)"),
    (r"there is no download (?P<name>'[^']*')", "er is geen download {name}"),
    (r"choose one of (?P<list>.*)", "kies een van {list}"),
    (r"(?P<name>\S+) is not part of this build", "{name} hoort niet bij deze build"),
    (r"rebuild with `gdi-graph build`", "bouw opnieuw met `gdi-graph build`"),
    # the stelsel (views/stelsel.py, stelsel/graph.py)
    (r"parameter (?P<name>'[^']*') is required", "parameter {name} is verplicht"),
    (r"parameters 'van' and 'tot' go together \(the difference view\)",
     "de parameters 'van' en 'tot' horen bij elkaar (het verschilbeeld)"),
    (r"parameter (?P<name>'[^']*'): invalid date (?P<value>'[^']*'): use YYYY-MM-DD, e\.g\. 2017-12-31",
     "parameter {name}: ongeldige datum {value}: gebruik JJJJ-MM-DD, bijvoorbeeld 2017-12-31"),
    (r"parameter (?P<name>'[^']*'): invalid date (?P<value>'[^']*'): no such day",
     "parameter {name}: ongeldige datum {value}: die dag bestaat niet"),
    (r"unknown (?P<what>basisregistratie or registratieobject|basisregistratie) (?P<value>'[^']*'); "
     r"known on (?P<day>\S+): (?P<known>[^(]*?)(?P<tail> \(or an object as AFK/object, e\.g\. BAG/pand\))?",
     "onbekende {what} {value}; op {day} bekend: {known}{tail}"),
    (r"the stelselplaat needs the embedded store; this server queries a remote endpoint",
     "de stelselplaat heeft de ingebouwde store nodig; deze server bevraagt een endpoint op afstand"),
    # a remote store that fails (query/backends.py)
    (r"the SPARQL store at (?P<store>\S+) answered (?P<code>\d+) (?P<reason>[^:]*): (?P<said>.*)",
     "de SPARQL-store op {store} antwoordde {code} {reason}: {said}"),
    (r"the SPARQL store at (?P<store>\S+) cannot be reached: (?P<why>.*)",
     "de SPARQL-store op {store} is niet bereikbaar: {why}"),
    (r"the SPARQL store at (?P<store>\S+) broke off its answer: (?P<why>.*)",
     "de SPARQL-store op {store} brak zijn antwoord af: {why}"),
    (r"the SPARQL store at (?P<store>\S+) failed: (?P<why>.*)", "de SPARQL-store op {store} faalde: {why}"),
    (r"try again later; the operator should check the store",
     "probeer het later opnieuw; de beheerder moet de store nakijken"),
]
_COMPILED = [(re.compile(pattern + r"\Z", re.DOTALL), dutch) for pattern, dutch in _CATALOGUE]
_WORDS = {  # group values that are words rather than tokens
    " (or an object as AFK/object, e.g. BAG/pand)": " (of een object als AFK/object, bijvoorbeeld BAG/pand)",
    "basisregistratie or registratieobject": "basisregistratie of registratieobject",
    "this query": "deze query",
    " (and the store's own)": " (en die van de store zelf)",
    "none configured": "geen ingesteld",
    "federation is limited to the allow-list (GDI_GRAPH_SERVICE_ALLOWLIST)":
        "federatie is beperkt tot de lijst van toegestane endpoints (GDI_GRAPH_SERVICE_ALLOWLIST)",
}


def _word(value: str) -> str:
    value = _WORDS.get(value, value)
    value = re.sub(r"^a (\w+) query$", r"een \1-query", value)
    return value.replace(" (the store said: ", " (de store zei: ")


def to_dutch(english: str) -> str:
    """The Dutch form of an English error text from the catalogue, or the text unchanged."""
    for pattern, dutch in _COMPILED:
        m = pattern.match(english)
        if m:
            groups = {k: _word(v) if v else "" for k, v in m.groupdict().items()}
            return dutch.format(**groups)
    return english
