"""Headless Chromium for the browser tests: one launch per test process, a fresh browser context (cookies,
storage) and page per test, signing in, and where screenshots go (FUND_SCREENSHOTS, default
.local/screenshots/) for a person to look at.

tests/conftest.py provides the `browser` and `page` fixtures; a module imports only the helpers it uses
(`from tests.browser_support import SHOTS, sign_in`). Importing the fixtures into a module would give that
module a browser of its own, kept open to the end of the run.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
CHROMIUM = os.environ.get("FUND_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium keeps knocking on this machine's closed network.
# --lang (with Debian's chromium-l10n) draws dates and numbers as a Chinese user's browser does: a date input
# reads 2026/12/03, not the en-US 12/03/2026 of a bare Chromium.
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--lang=zh-CN"]
SHOTS = Path(os.environ.get("FUND_SCREENSHOTS", Path(__file__).resolve().parent.parent / ".local" / "screenshots"))


# Once per process, not per module: a launch is a second or more of CPU, and each test's context is new anyway.
@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: scripts/test installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN", accept_downloads=True)
    yield context.new_page()
    context.close()


def sign_in(page: Any, live_server: Any, username: str) -> None:
    from tests.conftest import PASSWORD  # tests/conftest.py imports this module's fixtures

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")


def fill_form(page: Any, **values: Any) -> None:
    """Type each value into the form field of that name, as a person would: a <select> is chosen, a checkbox
    ticked for True, anything else typed."""
    for name, value in values.items():
        field = page.locator(f"[name={name}]").first
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(str(value))
        elif value is True:
            field.check()
        else:
            field.fill(str(value))
