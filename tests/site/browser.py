"""A headless Chromium, driven through chromedriver (selenium), that records every request it makes."""

import contextlib
import functools
import http.server
import json
import pathlib
import shutil
import tempfile
import threading
import urllib.parse

CHROME_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--window-size=1280,900",
    "--disable-dev-shm-usage", "--disable-extensions", "--disable-default-apps", "--no-default-browser-check",
]
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}


def find_chromium():
    """Paths of (chromium, chromedriver), or None for each one missing."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    return browser, shutil.which("chromedriver")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(directory):
    """Serves ``directory`` on 127.0.0.1 (a free port) in a thread; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium():
    """A selenium Chrome driver on the system's chromium with a fresh user-data dir."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver_path = find_chromium()
    profile = tempfile.mkdtemp(prefix="lamina-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in CHROME_FLAGS + [f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    try:
        driver.set_page_load_timeout(30)
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def requested_urls(driver):
    """Every URL the browser asked for since the last call (CDP Network events and resource timing)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    urls += driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    return urls


def leaves_localhost(url):
    """Whether a request for ``url`` goes to a host other than this machine."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https", "ws", "wss", "ftp"):
        return False  # data:, blob:, about:, and the browser's own chrome*: pages
    return (parts.hostname or "") not in LOCAL_HOSTS


def screenshot(driver, folder, name):
    """Saves a full-width screenshot of the current page; returns its path."""
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    driver.save_screenshot(str(path))
    return path
