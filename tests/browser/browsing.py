"""What the browser tests share: waiting for an element or a condition, the browser console,
images, axe-core and screenshots."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# .ci/run installs axe-core here with npm; GDI_GRAPH_AXE_JS may point at another copy.
WIDE, NARROW = 1280, 360  # a desktop window, and the narrowest phone the pages must serve
AXE = Path(os.environ.get("GDI_GRAPH_AXE_JS") or REPO / ".ci" / "npm" / "node_modules" / "axe-core" / "axe.min.js")


def wait_for(driver, css: str, timeout: float = 15, visible: bool = False):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    condition = ec.visibility_of_element_located if visible else ec.presence_of_element_located
    return WebDriverWait(driver, timeout).until(condition((By.CSS_SELECTOR, css)))


def wait_until(driver, condition, what: str, timeout: float = 15):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.1).until(lambda d: condition(d), message=what)


def console_errors(driver) -> list[str]:
    """Errors in the browser console since the last look (failed loads, script errors, CSP refusals)."""
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def images_loaded(driver) -> bool:
    return driver.execute_script(
        "return Array.from(document.images).every(i => i.complete && (i.loading === 'lazy' || i.naturalWidth > 0))")


def load_lazy_images(driver) -> None:
    """Scroll through the page so lazy images load, then wait until every image has."""
    driver.execute_script("document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')")
    wait_until(driver, lambda d: d.execute_script(
        "return Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"), "images to load", 30)


def screenshot(driver, folder: Path, name: str, full: bool = True) -> Path:
    """The whole page (or the window) as a PNG in `folder`."""
    width = driver.execute_script("return window.innerWidth")
    if full:
        height = driver.execute_script("return Math.min(document.documentElement.scrollHeight, 8000)")
        driver.set_window_size(width, height)
    path = folder / f"{name}.png"
    driver.save_screenshot(str(path))
    return path


def axe_violations(driver, impacts=("serious", "critical")) -> list[dict]:
    """axe-core's violations of the given impacts on the current page."""
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed at {AXE}; .ci/run installs it (npm install axe-core)")
    if not driver.execute_script("return typeof window.axe !== 'undefined'"):
        driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations), e => done(String(e)));")
    assert isinstance(result, list), result
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result if v["impact"] in impacts]
