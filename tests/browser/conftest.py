"""A real headless Chromium (Debian's chromium + chromedriver, through Selenium) against the
real server (`web_server`); screenshots are kept as test artefacts (see `screenshots`)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from browsing import WIDE

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


@pytest.fixture(scope="session")
def web_browser():
    if not CHROMIUM.exists() and not shutil.which("chromium"):
        pytest.skip("chromium is not installed (/usr/bin/chromium); the browser tests need it")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM if CHROMIUM.exists() else shutil.which("chromium"))
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--hide-scrollbars", "--lang=nl-NL", f"--window-size={WIDE},900"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver_path = str(CHROMEDRIVER) if CHROMEDRIVER.exists() else shutil.which("chromedriver")
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture()
def browser(web_browser):
    """The session's browser, wide, with an empty console log, for one test."""
    web_browser.set_window_size(WIDE, 900)
    web_browser.get("about:blank")
    web_browser.get_log("browser")
    return web_browser


_SHOTS: list[Path] = []


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory) -> Path:
    """Where the screenshots go: a folder under pytest's temporary directory, kept after the run."""
    folder = tmp_path_factory.mktemp("screenshots")
    _SHOTS.append(folder)
    return folder


def pytest_terminal_summary(terminalreporter):
    for folder in _SHOTS:
        shots = sorted(p.name for p in folder.glob("*.png"))
        if shots:
            terminalreporter.write_line(f"browser screenshots ({len(shots)}) in {folder}")
