"""The SPARQL editor (YASGUI, served by gdi-graph) in a real browser: write and run a query,
see a sortable table with labelled links, complete a class, load an example, download, and
copy the NORA wiki text."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

from browsing import axe_violations, console_errors, screenshot, wait_for, wait_until

BASE = "https://w3id.org/gdi-graph"
QUERY = (f"SELECT ?registratie ?naam WHERE {{ ?registratie a <{BASE}/def#Basisregistratie> ; "
         "<http://www.w3.org/2000/01/rdf-schema#label> ?naam }")


def expected(web_server: str) -> list[dict]:
    url = web_server + "/sparql?" + urllib.parse.urlencode({"query": QUERY, "format": "json"})
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.load(r)["results"]["bindings"]


def only_same_origin(driver, web_server: str) -> bool:
    urls = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    return all(u.startswith(web_server) for u in urls)


def open_editor(browser, web_server) -> None:
    browser.get(web_server + "/sparql")
    wait_for(browser, "#editor .CodeMirror", visible=True)


def editor(browser, script: str, *args):
    """Run `script` with `cm`, the editor (CodeMirror inside YASQE)."""
    return browser.execute_script("const cm = document.querySelector('#editor .CodeMirror').CodeMirror; " + script, *args)


def test_write_and_run_a_query_and_see_a_sortable_labelled_table(browser, web_server, screenshots):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    open_editor(browser, web_server)
    browser.find_element(By.CSS_SELECTOR, "#editor .CodeMirror").click()
    field = browser.switch_to.active_element
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(Keys.DELETE)
    field.send_keys(QUERY)
    field.send_keys(Keys.ESCAPE)
    written = editor(browser, "return cm.getValue()")
    assert written == QUERY
    browser.find_element(By.ID, "run").click()
    rows = expected(web_server)
    wait_until(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#yasr table tbody tr")) == len(rows),
               f"{len(rows)} result rows")
    labels = {r["registratie"]["value"]: r["naam"]["value"] for r in rows}
    wait_until(browser, lambda d: all(a.text in labels.values() for a in d.find_elements(By.CSS_SELECTOR, "#yasr a.iri")
                                      if a.get_attribute("data-iri") in labels), "links to show labels")
    for a in browser.find_elements(By.CSS_SELECTOR, "#yasr a.iri"):
        iri = a.get_attribute("data-iri")
        if iri in labels:
            assert a.get_attribute("href") == web_server + iri.removeprefix(BASE)
            assert a.text == labels[iri]

    header = next(th for th in browser.find_elements(By.CSS_SELECTOR, "#yasr table thead th") if th.text == "naam")
    header.click()
    header.click()  # descending
    def first_name(d):
        return d.find_elements(By.CSS_SELECTOR, "#yasr table tbody tr")[0].find_elements(By.TAG_NAME, "td")[-1].text
    wait_until(browser, lambda d: first_name(d).strip('"').split('"@')[0] == max(labels.values()), "sorted descending")

    downloads = {a.get_attribute("data-format"): a.get_attribute("href")
                 for a in browser.find_elements(By.CSS_SELECTOR, "#downloads a")}
    assert {"csv", "json"} <= set(downloads)
    assert all(h.startswith(web_server + "/sparql?query=") for h in downloads.values())
    assert axe_violations(browser) == []  # the editor and the result table, as a person uses them
    screenshot(browser, screenshots, "sparql-editor")
    assert console_errors(browser) == []
    assert only_same_origin(browser, web_server)


def test_copy_the_wiki_text_for_the_query(browser, web_server):
    from selenium.webdriver.common.by import By

    browser.execute_cdp_cmd("Browser.grantPermissions", {"origin": web_server,
                                                         "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    open_editor(browser, web_server)
    editor(browser, "cm.setValue(arguments[0])", QUERY)
    browser.find_element(By.ID, "run").click()
    area = wait_for(browser, "#wikitext", visible=True)
    wiki = area.get_attribute("value")
    assert "{{#get_web_data:" in wiki and "format=csv with header" in wiki and "{{#for_external_table:" in wiki
    url = next(line.split("url=", 1)[1] for line in wiki.splitlines() if "url=" in line)
    assert url.startswith(web_server + "/sparql?")
    with urllib.request.urlopen(url, timeout=10) as r:  # the wiki's URL gives the query's CSV
        assert r.read().decode().splitlines()[0] == "registratie,naam"
    browser.find_element(By.ID, "wikitext-kopieer").click()
    wait_until(browser, lambda d: d.find_element(By.ID, "wikitext-gekopieerd").text, "the copy to be confirmed")
    copied = browser.execute_async_script(
        "const done = arguments[0]; navigator.clipboard.readText().then(done, e => done('error: ' + e))")
    assert copied == wiki
    assert console_errors(browser) == []


def test_complete_a_class_and_load_an_example(browser, web_server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    open_editor(browser, web_server)
    editor(browser, "cm.setValue(arguments[0]); cm.focus(); cm.setCursor(cm.lineCount(), 0)",
           f"PREFIX gdi: <{BASE}/def#>\nSELECT * WHERE {{ ?s a gdi:Basisreg")
    field = browser.switch_to.active_element
    field.send_keys(Keys.CONTROL, " ")
    hint = wait_for(browser, ".CodeMirror-hints li", visible=True)
    assert hint.text == "gdi:Basisregistratie"
    field.send_keys(Keys.ENTER)
    assert editor(browser, "return cm.getValue()").endswith("?s a gdi:Basisregistratie")

    vocabulary = json.load(urllib.request.urlopen(web_server + "/sparql/vocabulary.json", timeout=10))
    example = vocabulary["examples"][0]
    Select(browser.find_element(By.ID, "voorbeeld")).select_by_value(example["name"])
    wait_until(browser, lambda d: editor(d, "return cm.getValue()") == example["query"], "the example in the editor")
    assert console_errors(browser) == []
