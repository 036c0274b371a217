"""Two editions in a real browser against a real server: DigiD's revised figure is marked
"herzien", the mark opens (by keyboard too) on the earlier printing, the pages that show
editions fit a phone and pass axe-core, and nothing is refused by the Content-Security-Policy."""

from __future__ import annotations

import json

import pytest
from browsing import (
    NARROW,
    WIDE,
    axe_violations,
    console_errors,
    load_lazy_images,
    screenshot,
    wait_for,
)
from editions_support import NEWER, OLDER, printed, serve, two_edition_project

REVISED = ("aangesloten-organisaties", "2016")  # the fixture edition's revision (its README)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from serve(two_edition_project(tmp_path_factory))


def test_a_revised_figure_opens_on_its_earlier_printing(browser, server, screenshots):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    older, newer = printed(OLDER, "digid")[REVISED], printed(NEWER, "digid")[REVISED]
    browser.get(server + "/id/voorziening/digid")
    wait_for(browser, "section.figures table.cijfers", visible=True)
    row = browser.find_element(By.CSS_SELECTOR, f"section.figures tbody a[href$='/digid/{REVISED[0]}']")
    tr = row.find_element(By.XPATH, "./ancestor::tr")
    mark = tr.find_element(By.CSS_SELECTOR, "details.herzien")
    cell = mark.find_element(By.XPATH, "./ancestor::td")
    assert cell.text.startswith(newer)
    earlier = mark.find_element(By.CSS_SELECTOR, "ul")
    assert not earlier.is_displayed()
    summary = mark.find_element(By.TAG_NAME, "summary")
    assert older in summary.get_attribute("title")  # what a mouse shows on hover
    browser.execute_script("arguments[0].focus()", summary)
    summary.send_keys(Keys.ENTER)  # a keyboard opens it
    assert mark.get_attribute("open") is not None and earlier.is_displayed() and older in earlier.text
    screenshot(browser, screenshots, "digid-herzien", full=False)
    assert console_errors(browser) == []


@pytest.mark.parametrize("width", [WIDE, NARROW])
def test_pages_with_editions_fit_and_pass_axe(browser, server, screenshots, width):
    paths = ["/", "/id/voorziening/digid", "/id/voorziening/digid?alle_edities=true",
             f"/id/voorziening/digid?editie={OLDER}", f"/id/indicator/digid/{REVISED[0]}", f"/id/tabel/{OLDER}/digid"]
    problems = {}
    for path in paths:
        browser.set_window_size(width, 900)
        browser.get(server + path)
        wait_for(browser, "main h1")
        browser.execute_script("document.querySelectorAll('details').forEach(d => d.open = true)")
        load_lazy_images(browser)
        errors = console_errors(browser)
        overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        violations = axe_violations(browser)
        if width == NARROW and path == "/id/voorziening/digid":
            screenshot(browser, screenshots, f"digid-editions-{width}")
        if errors or overflow > 0 or violations:
            problems[path] = {"console": errors, "overflow px": overflow, "axe": violations}
    assert problems == {}, json.dumps(problems, indent=1, ensure_ascii=False)
