"""The pages in a real headless browser (Chromium via Selenium), against the real server."""

from __future__ import annotations

from browsing import wait_for


def only_same_origin(driver, web_server: str) -> bool:
    urls = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    return all(u.startswith(web_server) for u in urls)


def test_named_query_page_with_parameters_and_wikitext(browser, web_server):
    from selenium.webdriver.common.by import By

    browser.get(web_server + "/queries")
    wait_for(browser, "table#queries")
    browser.find_element(By.CSS_SELECTOR, 'a[href="/queries/web-label"]').click()
    field = wait_for(browser, "input#p-naam")  # required and not given: the form, and why there is no result
    assert "'naam' is required" in browser.find_element(By.ID, "error").text
    field.clear()
    field.send_keys("eHerkenning")
    browser.find_element(By.ID, "run").click()
    wait_for(browser, "table#results")
    assert "eHerkenning" in browser.find_element(By.ID, "results").text
    wiki = browser.find_element(By.ID, "wikitext").get_attribute("value")
    assert "{{#get_web_data:" in wiki and "naam=eHerkenning" in wiki and "format=csv" in wiki
    csv_link = browser.find_element(By.CSS_SELECTOR, '#downloads a[data-format="csv"]').get_attribute("href")
    assert csv_link.startswith(web_server + "/queries/web-label?naam=eHerkenning")
    assert only_same_origin(browser, web_server)


def test_entity_pages_link_to_each_other(browser, web_server):
    from selenium.webdriver.common.by import By

    browser.get(web_server + "/id/voorziening/digid")
    assert wait_for(browser, "h1#title").text == "DigiD"
    group = browser.find_element(By.CSS_SELECTOR, 'a[href="/id/functionele-groep/identificeren-en-authenticeren"]')
    group.click()
    assert wait_for(browser, "h1#title").text == "Identificeren en authenticeren"
    assert "DigiD" in browser.find_element(By.ID, "incoming").text
    assert only_same_origin(browser, web_server)
