"""Browser-test fixtures: the ASGI app served by uvicorn in a thread, Debian's chromium, axe.

Usage in a test module under tests/browser/:

    def test_it_shows_the_home_page(page, live_server_url):
        page.goto("/")  # contexts have base_url = the live server
        axe_check(page)

Contexts depend on the server, so they close (and their pages stop reconnecting) before it
stops; the server depends on ``transactional_db``, so data a test makes is visible to it.

Fixtures: ``app_server`` (the running server: ``.url``, ``.stop()``, ``.start()``,
``.restart()``), ``live_server_url``, ``browser`` (per package run), ``context``/``page``
(desktop), ``phone_context``/``phone`` (390×844 touch), ``make_context`` (more people, each
with their own cookies). Helpers: ``axe_check``, ``no_horizontal_overflow``, ``check_page``
(both, plus no browser errors so far, at 390px too), ``login_as``, ``console_errors``,
``allow_errors``. Every page opened through these fixtures fails its test if the browser logs
an error (a JS exception, a CSP violation, a failed request) unless the test allowed it.
"""

from __future__ import annotations

import asyncio
import os
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


# --- The app server ----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppServer:
    """flipchart.asgi:application under uvicorn in a background thread; stoppable, restartable.

    ``stop()`` drops every connection at once (as a crash or a redeploy would) and
    ``start()`` serves again on the same port, so open pages can reconnect to the same URL.
    """

    def __init__(self, host: str = "127.0.0.1", port: int | None = None):
        self.host = host
        self.port = port or _free_port()
        self.url = f"http://{host}:{self.port}"
        self._server = None
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, timeout: float = 10.0) -> None:
        import uvicorn

        from flipchart.asgi import application

        if self.running:
            return
        config = uvicorn.Config(
            application,
            host=self.host,
            port=self.port,
            lifespan="off",
            loop="asyncio",
            # As `flipchart serve` runs it (flipchart/cli.py).
            ws_max_size=64 * 1024,
            ws_ping_interval=20,
            log_level="warning",
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        # A fresh event loop of its own: never the one Playwright or pytest-asyncio runs.
        self._thread = threading.Thread(
            target=lambda: asyncio.run(self._server.serve()), name="uvicorn", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn did not start on {self.url}")
            time.sleep(0.01)

    def stop(self, timeout: float = 10.0) -> None:
        if not self.running:
            return
        self._server.should_exit = True
        self._server.force_exit = True  # don't wait for open WebSockets to say goodbye
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise RuntimeError("uvicorn did not stop")
        self._thread = None
        from django.db import connections

        connections.close_all()

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture
def app_server(transactional_db, settings):
    """The app served on a free port, sharing the test database (a file, so threads see it)."""
    server = AppServer()
    settings.SITE_URL = server.url
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    # Read when the app is first built: look static files up per request, as in development,
    # so a stylesheet edited while the suite runs is not served with a stale Content-Length.
    settings.WHITENOISE_AUTOREFRESH = True
    server.start()
    yield server
    server.stop()


@pytest.fixture
def live_server_url(app_server) -> str:
    return app_server.url


# --- The browser -------------------------------------------------------------------------


@pytest.fixture(scope="package")
def _async_unsafe_allowed():
    """Let the tests' own ORM calls through while Playwright's loop is open in this thread.

    Playwright's sync API keeps an event loop running in a greenlet of the main thread, so
    Django would refuse every ORM call a test makes between browser calls. Those calls are
    plain synchronous code; the app under test runs in uvicorn's own thread, unaffected.
    Package scope: the loop (and this permission) end with the browser tests,
    so async tests elsewhere in the run keep their own loop and Django's safety check.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def _playwright(_async_unsafe_allowed):
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests drive Debian's chromium. "
            "Run `make test` as root (it installs it) or `apt-get install chromium`.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="package")
def browser(_playwright):
    browser = _playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def _watch(page, seen: list) -> None:
    """Collect what the browser reports as an error into page.errors."""
    page.errors = []
    page.allowed_errors = []
    seen.append(page)

    def note(text: str) -> None:
        if not any(allowed in text for allowed in page.allowed_errors):
            page.errors.append(text)

    def on_console(msg):
        if msg.type == "error":
            where = msg.location.get("url", "")
            note(f"console: {msg.text}" + (f" ({where})" if where else ""))

    page.on("console", on_console)
    page.on("pageerror", lambda exc: note(f"uncaught: {exc}"))
    page.set_default_timeout(TIMEOUT_MS)


@pytest.fixture
def make_context(browser, app_server):
    """Open more browser contexts (more people): ``make_context()`` desktop, ``(phone=True)``.

    Each is a separate person (own cookies) with ``base_url`` set to the live server; its pages
    are watched for errors, and all are closed before the server stops.
    """
    contexts, pages = [], []

    def make(*, phone: bool = False, **options):
        options = {**(PHONE if phone else DESKTOP), **options}
        context = browser.new_context(
            base_url=app_server.url, locale="en-GB", timezone_id="Europe/London", **options
        )
        context.on("page", lambda page: _watch(page, pages))
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    errors = [f"{p.url}: {e}" for p in pages for e in p.errors]
    if errors:
        pytest.fail("The browser reported errors:\n  " + "\n  ".join(errors), pytrace=False)


@pytest.fixture
def context(make_context):
    """A desktop browser (1280×900), a leader at their desk."""
    return make_context()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def phone_context(make_context):
    """A phone browser: 390×844, touch, mobile."""
    return make_context(phone=True)


@pytest.fixture
def phone(phone_context):
    """A page on a 390×844 touch screen, as a teacher's phone."""
    return phone_context.new_page()


# --- Helpers -----------------------------------------------------------------------------

SERIOUS = {"serious", "critical"}


def axe_check(page, *, context: str | None = None) -> None:
    """Fail on any axe-core violation of serious or critical impact on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context=context)
    bad = [v for v in results.response["violations"] if v.get("impact") in SERIOUS]
    if bad:
        lines = [f"axe: {len(bad)} serious/critical violation(s) on {page.url}"]
        for v in bad:
            lines.append(f"- {v['id']} ({v['impact']}): {v['help']} — {v['helpUrl']}")
            for node in v["nodes"][:5]:
                lines.append(f"    at {', '.join(map(str, node['target']))}")
                lines.append(f"       {node.get('html', '')[:200]}")
                if node.get("failureSummary"):
                    summary = node["failureSummary"].replace("\n", "\n         ")
                    lines.append(f"       {summary}")
            if len(v["nodes"]) > 5:
                lines.append(f"    … and {len(v['nodes']) - 5} more")
        pytest.fail("\n".join(lines), pytrace=False)


def console_errors(page) -> list[str]:
    """What the browser has reported as an error on this page so far."""
    return list(getattr(page, "errors", []))


def allow_errors(page, *fragments: str) -> None:
    """Tolerate browser errors containing any of these fragments, from now on and so far.

    For tests that cause errors on purpose, e.g. ``allow_errors(page, "ERR_CONNECTION_REFUSED",
    "WebSocket")`` around ``app_server.stop()``.
    """
    page.allowed_errors.extend(fragments)
    page.errors[:] = [e for e in page.errors if not any(f in e for f in fragments)]


# The innermost elements whose right edge is past the screen's, to say what to fix.
_WIDEST = """width => {
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.right <= width + 0.5) continue;
    if ([...el.children].some(c => c.getBoundingClientRect().right > width + 0.5)) continue;
    out.push(`${el.tagName.toLowerCase()}${el.className ? "." + el.className : ""} `
      + `right=${Math.round(r.right)}: ${el.outerHTML.slice(0, 120)}`);
  }
  return out.slice(0, 8);
}"""


def no_horizontal_overflow(page, width: int | None = None) -> None:
    """Fail when the page scrolls sideways (content wider than the viewport)."""
    width = width or page.viewport_size["width"]
    scroll = page.evaluate("document.documentElement.scrollWidth")
    if scroll > width:
        culprits = page.evaluate(_WIDEST, width)
        pytest.fail(
            f"{page.url} is {scroll}px wide on a {width}px screen; reaching past the edge:\n  "
            + "\n  ".join(culprits),
            pytrace=False,
        )


def check_page(page, *, narrow: int = 390) -> None:
    """What every page must satisfy: no browser errors so far, axe clean, and nothing wider
    than a ``narrow``-pixel phone screen (checked by resizing the page for a moment)."""
    assert not console_errors(page), "\n".join(console_errors(page))
    axe_check(page)
    size = page.viewport_size
    if size["width"] > narrow:
        page.set_viewport_size({"width": narrow, "height": size["height"]})
        try:
            no_horizontal_overflow(page, narrow)
            axe_check(page)  # some rules (scrollable regions, contrast on wrap) depend on size
        finally:
            page.set_viewport_size(size)
    else:
        no_horizontal_overflow(page)


def login_as(page, live_server_url: str, user, password: str | None = None) -> None:
    """Sign in through the login form; lands on the leader's home page."""
    from tests.factory import PASSWORD

    page.goto(f"{live_server_url}/login/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(password or PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server_url}/")
