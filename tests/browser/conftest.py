"""Fixtures for checking the built site in Debian's headless Chromium, driven by Playwright.

The browser is the distribution's (``.ci/install-chromium`` installs it), never one that
Playwright downloads: the machines this runs on have no network for that, and a pinned
download would be a second browser to keep up to date. The site is served over HTTP on
loopback, as a reader's browser gets it; ``file://`` URLs would change how search and
scripts load.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = Path(os.environ.get("FAKENOVA_SITE", ROOT / "doc" / "build" / "html"))
SCREENSHOTS = Path(os.environ.get("FAKENOVA_SCREENSHOTS", ROOT / "doc" / "build" / "screenshots"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

# Without the networking switches Chromium phones home at start, and on a closed network
# every such attempt fails (and is slow); the rest make it run as root in a container.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, fmt: str, *args: Any) -> None:
        """Keep the test output to failures; every page load would log a dozen lines."""


@pytest.fixture(scope="session")
def site_url() -> Iterator[str]:
    """The built site, served from a thread on an ephemeral loopback port."""
    if not (SITE / "index.html").exists():
        pytest.fail(f"no built site in {SITE}: build it first (tox -e browser does)")
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, started once for the whole run."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"no Chromium at {CHROMIUM}: run .ci/install-chromium (or set CHROMIUM)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class Tab:
    """A fresh browser tab that records what a reader would never see but should not happen:
    console errors, uncaught exceptions, and requests that leave this machine."""

    def __init__(self, browser: Any, base_url: str) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.base_url = base_url
        self.errors: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))
        self.page.route("**/*", self._local_only)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text} ({message.location.get('url')})")

    def _local_only(self, route: Any) -> None:
        # An offline reader (or this test) must get the whole page from the site itself.
        if route.request.url.startswith(self.base_url):
            route.continue_()
        else:
            self.errors.append(f"external request: {route.request.url}")
            route.abort()

    def open(self, path: str) -> Any:
        response = self.page.goto(f"{self.base_url}/{path}", wait_until="load")
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        return self.page

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tab(browser: Any, site_url: str) -> Iterator[Tab]:
    opened = Tab(browser, site_url)
    try:
        yield opened
    finally:
        opened.close()
