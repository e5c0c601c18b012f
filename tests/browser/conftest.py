"""Real-browser fixtures: Playwright driving Debian's Chromium against pytest-django's live server.

Chromium comes from $CHROMIUM, else /usr/bin/chromium (``apt-get install chromium``); Playwright's own
browser download is never used. Without a browser the tests are skipped, except on CI (CI=true), where a
missing browser fails the run.
"""

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from factories.lessons import load_lesson
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from lessons.models import Lesson

BROWSER_DIR = Path(__file__).resolve().parent
ARTIFACTS_DIR = Path(settings.BASE_DIR) / "tests" / "artifacts"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DESKTOP = {"width": 1280, "height": 800}
SCREENSHOT_WIDTHS = (1280, 375)
TIMEOUT_MS = 10_000
SERIOUS_IMPACTS = {"serious", "critical"}
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
# Two xdist groups of about equal time (some 40 s each on a quiet 2-core machine): the first the modules
# below, the second the others. Each is taken whole by one worker, so one worker's run is never longer than
# half the browser tests and the rest of the suite fills the time the browser tests spend waiting.
FIRST_GROUP_MODULES = {"test_assignment_browser.py", "test_self_study_journey.py"}
BROWSER_GROUPS = ("browser-1", "browser-2")


def pytest_itemcollected(item: pytest.Item) -> None:
    """Mark every test in tests/browser as a browser test, and put it in one of two xdist groups: with
    `--dist loadgroup` each group goes whole to one worker, first, while the other workers run the rest of the
    suite beside it (a browser test spends much of its time waiting for Chromium and the live server)."""
    item.add_marker(pytest.mark.browser)
    group = BROWSER_GROUPS[0] if item.path.name in FIRST_GROUP_MODULES else BROWSER_GROUPS[1]
    item.add_marker(pytest.mark.xdist_group(group))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep the browser tests together, after all the others (pytest-django's ordering is kept within each
    group): without xdist they run last, and on a worker that takes a group of them they run in one
    stretch, after which Playwright is stopped (see `pytest_runtest_teardown`)."""
    browser_items = [item for item in items if BROWSER_DIR in item.path.parents]
    chosen = set(browser_items)
    items[:] = [item for item in items if item not in chosen] + browser_items


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """After the last browser test before another kind of test, stop Playwright (and Chromium with it).

    Playwright's sync API leaves its asyncio loop registered as running in this thread, which the other
    tests must not inherit (see `playwright_instance`). Its session fixture is finished the way pytest
    finishes it at the end of a session, so every fixture built on it goes first, and a browser test that
    came later would simply start it again.
    """
    try:
        return (yield)
    finally:
        if nextitem is not None and BROWSER_DIR not in nextitem.path.parents:
            stop_playwright(item)


def stop_playwright(item: pytest.Item) -> None:
    assert isinstance(item, pytest.Function)
    fixturedefs = item.session._fixturemanager.getfixturedefs("playwright_instance", item) or ()
    for fixturedef in fixturedefs:
        if fixturedef.cached_result is not None:
            fixturedef.finish(item._request)


def chromium_path() -> str | None:
    """$CHROMIUM if set, else /usr/bin/chromium, as long as it is an executable file."""
    candidate = os.environ.get("CHROMIUM") or DEFAULT_CHROMIUM
    found = shutil.which(candidate)
    return found if found and Path(found).is_file() else None


@pytest.fixture(scope="session", autouse=True)
def chromium_executable() -> str:
    """Checked before anything else in tests/browser, so a missing browser skips (or fails) at once."""
    path = chromium_path()
    if path is None:
        wanted = os.environ.get("CHROMIUM") or DEFAULT_CHROMIUM
        message = f"Chromium not found: {wanted!r} (set $CHROMIUM, or `apt-get install chromium`)"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def playwright_instance(chromium_executable: str) -> Iterator[Playwright]:
    # Playwright's sync API keeps its asyncio loop registered as running in the main thread while it runs,
    # which trips Django's async-unsafe guard on every ORM call the tests make themselves (fixtures, the
    # transactional flush, the test database teardown). The standard workaround, set only while Playwright
    # runs (the browser tests run in one stretch, and Playwright stops after them, see above):
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as playwright:
            yield playwright
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright, chromium_executable: str) -> Iterator[Browser]:
    browser = playwright_instance.chromium.launch(
        executable_path=chromium_executable, args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


@pytest.fixture
def new_context(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """Make browser contexts (1280x800, 10 s timeouts) that are closed after the test."""
    contexts: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        context = browser.new_context(**{"viewport": DESKTOP, **options})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context: Callable[..., BrowserContext]) -> Page:
    """A fresh page in its own context, 1280x800, JavaScript on."""
    return new_context().new_page()


@pytest.fixture
def live_lesson(transactional_db: None, first_lesson_data: dict[str, Any]) -> Lesson:
    """The first fixture lesson, committed so that the live server's thread can read it."""
    return load_lesson(first_lesson_data)


def save_screenshots(page: Page, name: str) -> list[Path]:
    """Full-page screenshots of the current page at 1280 and 375 px wide, into tests/artifacts/."""
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size or DESKTOP
    paths: list[Path] = []
    for width in SCREENSHOT_WIDTHS:
        page.set_viewport_size({"width": width, "height": original["height"]})
        path = ARTIFACTS_DIR / f"{name}-{width}.png"
        page.screenshot(path=str(path), full_page=True)
        paths.append(path)
    page.set_viewport_size(original)
    return paths


AXE_SCRIPT = Axe().axe_script  # axe-core, as axe-playwright-python ships it
AXE_OPTIONS = {"resultTypes": ["violations"]}  # what Axe.run asks for


def first_target(violation: dict[str, Any]) -> str:
    nodes = violation.get("nodes") or [{}]
    target = nodes[0].get("target") or ["-"]
    return " >> ".join(str(part) for part in target)


def run_axe(page: Page) -> list[dict[str, Any]]:
    """Run axe-core on the current page; assert it finds no serious or critical violation.

    axe-core (570 kB of script) is put into a document once, not before every run: the checks of one
    state at two widths, or of a page before and after an htmx swap, share it.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    violations = page.evaluate("options => axe.run(document, options).then(r => r.violations)", AXE_OPTIONS)
    serious = [v for v in violations if v.get("impact") in SERIOUS_IMPACTS]
    report = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}; first target: {first_target(v)}" for v in serious
    )
    assert len(serious) == 0, f"axe: {len(serious)} serious/critical violation(s) on {page.url}:\n{report}"
    return serious


@pytest.fixture
def screenshot() -> Callable[[Page, str], list[Path]]:
    """``screenshot(page, "home")`` writes tests/artifacts/home-1280.png and home-375.png."""
    return save_screenshots


@pytest.fixture
def axe_check() -> Callable[[Page], list[dict[str, Any]]]:
    """``axe_check(page)`` fails the test on any serious or critical axe-core violation."""
    return run_axe


# Screenshots of the states the tests check are written (into tests/artifacts/, as fixed-<name>-<width>.png)
# only when this is set: the few committed ones are refreshed on purpose, not by every run.
SCREENSHOTS_VARIABLE = "QUIZSITE_SCREENSHOTS"


def check_state(page: Page, name: str, *, screenshot: bool = False) -> None:
    """A state a user sees, checked as they see it: axe-core at 1280 and at 375 px wide and no sideways
    scrolling; with `screenshot` and $QUIZSITE_SCREENSHOTS=1, a viewport screenshot at each width."""
    original = page.viewport_size or DESKTOP
    problems: list[str] = []
    for width in SCREENSHOT_WIDTHS:
        page.set_viewport_size({"width": width, "height": original["height"]})
        try:
            run_axe(page)
        except AssertionError as found:  # both widths are checked, and every finding reported
            problems.append(f"{name} at {width}px: {found}")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            problems.append(f"{name} scrolls sideways at {width}px: {scroll_width}px")
        if screenshot and os.environ.get(SCREENSHOTS_VARIABLE) == "1":
            ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS_DIR / f"fixed-{name}-{width}.png"))
    page.set_viewport_size(original)
    assert problems == [], "\n".join(problems)


@pytest.fixture
def state_check() -> Callable[..., None]:
    """``state_check(page, "review-after-answer", screenshot=True)``: see `check_state`."""
    return check_state
