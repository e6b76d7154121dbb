"""Headless Chromium on the built site: headings, backend tabs, a rendered plot, math, search, no outside requests.

Chromium and chromedriver are the Debian packages ``chromium`` and
``chromium-driver`` (``.ci/run`` installs them). Without them the test is
skipped, unless ``LAMINA_REQUIRE_BROWSER=1`` (set by CI), where it fails.
Screenshots go to a temporary folder, or to ``LAMINA_SCREENSHOTS`` when set
(``LAMINA_SCREENSHOTS=site/screenshots`` refreshes the committed set).
"""

import os
import pathlib
import time

import pytest

from tests.site import browser

pytestmark = pytest.mark.backends("numpy")
BACKEND_LABELS = ("JAX", "PyTorch", "TensorFlow")


@pytest.fixture(scope="module")
def chrome():
    chromium, driver = browser.find_chromium()
    if not (chromium and driver):
        message = "chromium and chromedriver are needed (apt-get install chromium chromium-driver)"
        if os.environ.get("LAMINA_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    pytest.importorskip("selenium", reason="selenium is part of the dev extra")
    with browser.chromium() as driver:
        yield driver


def _wait(driver, script, timeout=10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = driver.execute_script(script)
        if value:
            return value
        time.sleep(0.1)
    return driver.execute_script(script)


def _headings(driver, timeout=20.0):
    """The page's h1 and h2 texts, waiting (a loaded CI machine renders slowly) until there are some."""
    return _wait(driver, "const hs = [...document.querySelectorAll('article h1, article h2')]"
                         ".map(h => h.textContent.replace('\\u00b6', '').trim());"
                         "return hs.length ? hs : null;", timeout) or []


def _page_state(driver):
    """What the browser shows, for a failure message: URL, title and the start of the text."""
    text = driver.execute_script("return document.body ? document.body.innerText.slice(0, 300) : '(no body)'")
    return f"url={driver.current_url!r} title={driver.title!r} text={text!r}"


def _tab_labels(driver):
    return driver.execute_script(
        "return [...document.querySelectorAll('.tabbed-set .tabbed-labels label')].map(l => l.textContent.trim())")


def _visible_tab_text(driver):
    return driver.execute_script(
        "const block = [...document.querySelectorAll('.tabbed-set .tabbed-block')]"
        ".find(b => b.offsetParent !== null); return block ? block.innerText : '';")


@pytest.fixture(scope="module")
def site_url(built_site):
    with browser.serve(built_site["dir"]) as base:
        yield base


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    return pathlib.Path(os.environ.get("LAMINA_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))


def _no_outside_requests(driver):
    outside = [u for u in browser.requested_urls(driver) if browser.leaves_localhost(u)]
    assert outside == [], f"requests that left localhost: {outside}"


def test_home_page_tabs_math_and_search(chrome, site_url, shots):
    browser.requested_urls(chrome)  # drop what the browser did before the first page
    chrome.get(site_url + "index.html")
    assert chrome.title.startswith("Lamina")
    assert {"Lamina", "Quick start", "A first example", "Choosing a backend"} <= set(_headings(chrome))
    assert _tab_labels(chrome)[:4] == ["JAX", "PyTorch", "TensorFlow", "NumPy"]
    assert "LAMINA_BACKEND=jax" in _visible_tab_text(chrome)
    chrome.execute_script("[...document.querySelectorAll('.tabbed-labels label')]"
                          ".find(l => l.textContent.trim() === 'PyTorch').click()")
    assert _wait(chrome, "return [...document.querySelectorAll('.tabbed-block')].filter(b => b.offsetParent"
                         " !== null).map(b => b.innerText).join(' ').includes('LAMINA_BACKEND=torch')")
    # The math is typeset by the vendored KaTeX, with its own fonts.
    assert _wait(chrome, "return document.querySelectorAll('.arithmatex .katex').length") >= 2
    assert _wait(chrome, "return [...document.fonts].some(f => f.family.includes('KaTeX') && f.status === 'loaded')")
    browser.screenshot(chrome, shots, "home")
    # Search runs in the theme's local worker on the site's own index.
    chrome.execute_script("window.scrollTo(0, 0)")
    box = chrome.find_element("css selector", ".md-search__input")
    box.click()
    box.send_keys("Dense")
    hits = _wait(chrome, "return document.querySelectorAll('.md-search-result__item').length", 20)
    assert "Dense" in chrome.find_element("css selector", ".md-search-result").text
    assert hits > 0, "the search box found nothing for 'Dense'"
    browser.screenshot(chrome, shots, "search")
    _no_outside_requests(chrome)


def test_a_lesson_shows_backend_tabs_and_a_plot(chrome, site_url, built_site, shots):
    lessons = sorted((built_site["dir"] / "course").glob("[0-9][0-9]-*.html"))
    if not lessons:
        pytest.skip("no lesson is rendered in site/docs/course/ yet (tools/build_lessons.py)")
    lesson = f"course/{lessons[0].name}"
    chrome.get(site_url + lesson)
    headings = _headings(chrome)
    if not headings:  # one retry: a renderer starved by the parallel tests can come back blank
        chrome.refresh()
        headings = _headings(chrome)
    assert headings and headings[0], f"{lesson} has no h1; the browser shows {_page_state(chrome)}"
    labels = _tab_labels(chrome)
    assert set(BACKEND_LABELS) <= set(labels), f"{lesson}: tab labels {labels}"
    images = _wait(chrome, "const imgs = [...document.querySelectorAll('article img')];"
                           "return imgs.length && imgs.every(i => i.complete) ? "
                           "imgs.map(i => [i.getAttribute('src'), i.naturalWidth]) : null;")
    assert images, f"{lesson} shows no plot"
    assert all(width > 0 for _, width in images), f"{lesson}: images that did not load: {images}"
    # For the screenshot: a plot in a visible backend tab, if there is one.
    chrome.execute_script("const shown = i => i.offsetParent !== null;"
                          "const img = [...document.querySelectorAll('article .tabbed-set img')].find(shown)"
                          " || document.querySelector('article img');"
                          "img.scrollIntoView({block: 'center'});")
    browser.screenshot(chrome, shots, "lesson")
    _no_outside_requests(chrome)


def test_an_api_page_shows_classes_signatures_and_examples(chrome, site_url, shots):
    chrome.get(site_url + "api/layers.html")
    assert _headings(chrome)[0] == "lamina.layers"
    dense = chrome.find_element("id", "lamina.layers.core.dense.Dense")
    assert dense.text.strip().endswith("Dense")
    chrome.execute_script("arguments[0].scrollIntoView()", dense)
    assert chrome.execute_script("return [...document.querySelectorAll('.doc-contents pre code')]"
                                 ".some(c => c.textContent.includes('>>>'))")
    browser.screenshot(chrome, shots, "api-layers")
    _no_outside_requests(chrome)


def test_the_request_log_sees_a_request_to_another_host(chrome, tmp_path):
    (tmp_path / "index.html").write_text('<html><body><img src="https://example.invalid/pixel.png">'
                                         '<img src="local.png"></body></html>')
    with browser.serve(tmp_path) as base:
        browser.requested_urls(chrome)
        chrome.get(base + "index.html")
        urls = browser.requested_urls(chrome)
    assert "https://example.invalid/pixel.png" in urls
    assert [u for u in urls if browser.leaves_localhost(u)] == ["https://example.invalid/pixel.png"] * len(
        [u for u in urls if "example.invalid" in u])
    assert any(u.endswith("/local.png") and not browser.leaves_localhost(u) for u in urls)
