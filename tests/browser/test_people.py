"""What a person does with the pages, in a real browser against the real server: from the
landing page to DigiD's table and chart, search, every page kind at 360 px, no console
errors, and no serious or critical axe-core violation."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest
from browsing import (
    NARROW,
    WIDE,
    axe_violations,
    console_errors,
    load_lazy_images,
    screenshot,
    wait_for,
    wait_until,
)

BASE = "https://w3id.org/gdi-graph"


def sparql(web_server: str, query: str) -> list[dict]:
    """Ask the server under test (plain HTTP), for what a page should show."""
    prefixes = f"PREFIX gdi: <{BASE}/def#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    url = web_server + "/sparql?" + urllib.parse.urlencode({"query": prefixes + query, "format": "json"})
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.load(r)["results"]["bindings"]


def page_kinds(web_server: str) -> dict[str, str]:
    """One path of every kind of page, found in the data."""
    def first(query: str) -> str:
        return sparql(web_server, query)[0]["s"]["value"].removeprefix(BASE)

    return {
        "home": "/",
        "voorziening": "/id/voorziening/digid",
        "basisregistratie": first("SELECT ?s WHERE { ?s a gdi:Basisregistratie ; gdi:afkorting \"BRP\" }"),
        "organisatie": first("SELECT ?s WHERE { ?a a gdi:Aansluiting ; gdi:organisatie ?s } GROUP BY ?s "
                             "ORDER BY DESC(COUNT(?a)) ?s LIMIT 1"),
        "indicator": first("SELECT ?s WHERE { ?o gdi:indicator ?s ; gdi:waarde ?w } GROUP BY ?s "
                           "HAVING (COUNT(?w) >= 3) ORDER BY ?s LIMIT 1"),
        "verbinding": first("SELECT ?s WHERE { ?s a gdi:Verbinding } ORDER BY ?s LIMIT 1"),
        "registratieobject": first("SELECT ?s WHERE { ?s a gdi:Registratieobject } ORDER BY ?s LIMIT 1"),
        "functionele-groep": first("SELECT ?s WHERE { ?s a gdi:FunctioneleGroep } ORDER BY ?s LIMIT 1"),
        "zoeken": "/zoeken?q=brp",
        "sparql": "/sparql",
        "queries": "/queries",
        "query": "/queries/voorzieningen",
        "generiek": first("SELECT ?s WHERE { ?s a gdi:Rapport } LIMIT 1"),
    }


def test_from_home_to_digid_its_table_and_chart(browser, web_server, screenshots):
    from selenium.webdriver.common.by import By

    browser.get(web_server + "/")
    groups = wait_for(browser, "#voorzieningen")
    load_lazy_images(browser)
    screenshot(browser, screenshots, "home")
    browser.set_window_size(WIDE, 900)
    groups.find_element(By.LINK_TEXT, "DigiD").click()
    assert wait_for(browser, "h1#title").text == "DigiD"
    table = wait_for(browser, "section.figures table.cijfers", visible=True)
    years = [th.text for th in table.find_elements(By.CSS_SELECTOR, "thead th.num")]
    assert "2017" in years
    assert len(table.find_elements(By.CSS_SELECTOR, "tbody tr")) >= 5
    chart = browser.find_element(By.CSS_SELECTOR, "#grafieken ~ .charts img, .charts img")
    browser.execute_script("arguments[0].scrollIntoView()", chart)
    wait_until(browser, lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0",
                                                   chart), "DigiD's first chart to load")
    assert chart.get_attribute("src").startswith(web_server + "/grafiek/")
    load_lazy_images(browser)
    screenshot(browser, screenshots, "digid")
    assert console_errors(browser) == []


def test_search_brp_by_type_ahead_and_by_the_results_page(browser, web_server, screenshots):
    from selenium.webdriver.common.keys import Keys

    brp = sparql(web_server, "SELECT ?s ?l WHERE { ?s gdi:afkorting \"BRP\" ; skos:prefLabel ?l }")[0]
    browser.get(web_server + "/")
    box = wait_for(browser, "#zoek-kop")
    box.send_keys("brp")
    option = wait_for(browser, "#zoek-kop ~ ul[role=listbox] li[role=option]", visible=True)
    assert box.get_attribute("aria-expanded") == "true"
    assert option.text.startswith(brp["l"]["value"])
    screenshot(browser, screenshots, "type-ahead", full=False)
    box.send_keys(Keys.ARROW_DOWN)
    assert box.get_attribute("aria-activedescendant") == option.get_attribute("id")
    box.send_keys(Keys.ENTER)
    wait_until(browser, lambda d: d.current_url.endswith(brp["s"]["value"].removeprefix(BASE)), "to land on the BRP")
    assert wait_for(browser, "h1#title").text == brp["l"]["value"]

    box = wait_for(browser, "#zoek-kop")  # without choosing a suggestion: the results page
    box.clear()
    box.send_keys("brp", Keys.ENTER)  # nothing chosen from the list: Enter submits the form
    first = wait_for(browser, "#resultaten li a")
    assert "/zoeken?q=brp" in browser.current_url
    first.click()
    assert wait_for(browser, "h1#title").text == brp["l"]["value"]
    assert console_errors(browser) == []


def test_keyboard_reaches_the_search_and_the_skip_link(browser, web_server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(web_server + "/id/voorziening/digid")
    wait_for(browser, "h1#title")
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    skip = browser.switch_to.active_element
    assert skip.get_attribute("class") == "skip" and skip.is_displayed()
    skip.send_keys(Keys.ENTER)
    wait_until(browser, lambda d: d.switch_to.active_element.get_attribute("id") == "inhoud", "focus on the content")


@pytest.mark.parametrize("width", [WIDE, NARROW])
def test_every_page_kind_fits_has_no_console_error_and_passes_axe(browser, web_server, screenshots, width):
    problems = {}
    for kind, path in page_kinds(web_server).items():
        browser.set_window_size(width, 900)
        browser.get(web_server + path)
        wait_for(browser, "main h1")
        load_lazy_images(browser)
        errors = console_errors(browser)
        overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        violations = axe_violations(browser)
        if width == NARROW and kind in ("home", "voorziening", "basisregistratie", "zoeken", "sparql"):
            screenshot(browser, screenshots, f"{kind}-{width}")
        if errors or overflow > 0 or violations:
            problems[kind] = {"console": errors, "overflow px": overflow, "axe": violations}
    assert problems == {}, json.dumps(problems, indent=1, ensure_ascii=False)
