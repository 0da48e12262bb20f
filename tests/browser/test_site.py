"""The published site, as a reader's browser shows it: every page renders without script
errors or requests off the machine, tabs switch, search finds, code can be copied, and wide
CLI tables scroll instead of wrapping. Screenshots of every page are kept for review.

Run by ``tox -e browser`` (which builds the site first); deselected from the plain test run.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SCREENSHOTS, SITE, Tab

pytestmark = pytest.mark.browser

SOURCE = ROOT / "doc" / "source"

# Samples allowed to scroll sideways at 1280 px, by page and first line: a table of 133 or more
# characters, a traceback in a table's cell, or a client's error message, which it prints on
# one line of more than 200 characters.
WIDER_THAN_THE_COLUMN = {
    "api-guide/down_cells.html": (
        "$ source conf/openrc admin admin",
        "$ openstack server list --all-projects",
    ),
    "api-guide/faults.html": (
        "$ source conf/openrc admin admin",
        "$ openstack server reboot --soft vm1",
    ),
    "api-guide/server_concepts.html": ("$ openstack server resize --flavor m1.medium test11",),
    "api-guide/general_info.html": (
        "$ openstack compute service list",
        '$ openstack compute service set --disable --disable-reason "new disks" compute2'
        " nova-compute",
        "$ openstack aggregate create --zone az1 fast-disks",
    ),
    "api-guide/versions.html": ("$ openstack versions show --service compute",),
}


def _pages() -> list[str]:
    """Every page of the site, by its HTML path, found from the sources (no build needed)."""
    found = [
        path.relative_to(SOURCE).with_suffix(".html").as_posix()
        for path in sorted(SOURCE.rglob("*"))
        if path.suffix in (".rst", ".md") and not path.name.startswith("_")
    ]
    return [*found, "search.html", "genindex.html"]


@pytest.mark.parametrize("path", _pages())
def test_page_renders_cleanly_and_is_screenshotted(tab: Tab, path: str) -> None:
    page = tab.open(path)
    assert page.locator("article h1").count() == 1 or path in ("search.html", "genindex.html")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = path.removesuffix(".html").replace("/", "--")
    page.screenshot(path=SCREENSHOTS / f"{shot}.png", full_page=True)
    # Console output keeps its columns (a wrapped table no longer reads as one) and scrolls on
    # its own when wider than the column; JSON, HTTP and Python wrap long lines instead.
    wrapped = page.eval_on_selector_all(
        "div.highlight-console div.highlight pre",
        "pres => pres.filter(p => getComputedStyle(p).whiteSpace !== 'pre'"
        " || !['auto', 'scroll'].includes(getComputedStyle(p).overflowX)).length",
    )
    assert wrapped == 0, f"{path}: {wrapped} console blocks wrap or cannot scroll"
    # At 1280 px the column fits every sample but a few whose lines are longer than any
    # column (named in WIDER_THAN_THE_COLUMN).
    overflowing = page.eval_on_selector_all(
        "div.highlight pre",
        "pres => pres.filter(p => p.scrollWidth > p.clientWidth)"
        ".map(p => p.innerText.split('\\n')[0])",
    )
    allowed = WIDER_THAN_THE_COLUMN.get(path, ())
    unexpected = [first for first in overflowing if first not in allowed]
    assert unexpected == [], f"{path}: samples wider than the column at 1280 px: {unexpected}"
    page_width = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert page_width <= 0, f"{path} scrolls sideways by {page_width}px"
    assert tab.errors == []


def _pages_with_tab_sets() -> list[str]:
    """The pages whose built HTML holds a tab set: a page without one has nothing to click, and
    opening all of them again would double the pages this module loads."""
    tab_set = re.compile(r'<div class="sphinx-tabs[ "]')
    return [path for path in _pages() if tab_set.search((SITE / path).read_text())]


def test_every_tab_set_switches_what_is_shown(tab: Tab) -> None:
    switched = 0
    for path in _pages_with_tab_sets():
        page = tab.open(path)
        for tab_set in page.locator("div.sphinx-tabs").all():
            buttons = tab_set.locator(":scope > [role=tablist] > [role=tab]").all()
            assert len(buttons) >= 2, f"{path}: a tab set with one tab"
            # Every tab in turn (the first one too: sphinx-tabs remembers the reader's choice
            # of a code-tab language from page to page, so any tab may be open at first).
            shown = []
            for button in buttons:
                button.click()
                assert button.get_attribute("aria-selected") == "true"
                panel = tab_set.locator(f"[id='{button.get_attribute('aria-controls')}']")
                assert panel.is_visible(), f"{path}: tab {button.inner_text()!r} shows nothing"
                assert _visible_panels(tab_set) == 1, f"{path}: several tab panels visible"
                shown.append(panel.inner_text())
            assert len(set(shown)) == len(shown), f"{path}: two tabs show the same content"
            switched += 1
    assert switched >= 1, "no tab set anywhere on the site"
    assert tab.errors == []


def _first_visible(locator: Any) -> Any:
    return next(item for item in locator.all() if item.is_visible())


def _visible_panels(tab_set: Any) -> int:
    return sum(panel.is_visible() for panel in tab_set.locator(":scope > [role=tabpanel]").all())


def test_search_box_finds_unknown_on_the_down_cells_page(tab: Tab) -> None:
    page = tab.open("index.html")
    page.locator("input[name=q]").first.fill("UNKNOWN")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search.html?q=UNKNOWN*")
    results = page.locator("#search-results ul.search li a")
    results.first.wait_for(timeout=15_000)
    targets = [link.get_attribute("href") for link in results.all()]
    assert any("api-guide/down_cells.html" in (href or "") for href in targets), targets
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "search-UNKNOWN.png", full_page=True)
    assert tab.errors == []


def test_copy_button_copies_the_commands_without_prompts_or_output(tab: Tab) -> None:
    tab.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = tab.open("try-it.html")
    block = page.locator("div.highlight-console", has_text="source conf/openrc").first
    block.hover()
    button = block.locator("button.copybtn")
    assert button.count() == 1
    button.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == "source conf/openrc demo demo\nopenstack server list"
    assert tab.errors == []


def test_screenshots_are_where_the_artifacts_are_collected() -> None:
    # Reviewers look at these after a run; an empty directory would mean nothing to review.
    shots = sorted(Path(SCREENSHOTS).glob("*.png"))
    assert {shot.name for shot in shots} >= {"index.png", "api-guide--down_cells.png"}


def test_samples_show_who_sends_them_and_what_the_operator_changed(tab: Tab) -> None:
    page = tab.open("api-guide/server_concepts.html")
    captions = page.locator("div.fakenova-caption")
    assert captions.count() > 100
    texts = [text.replace("\xa0", " ").strip() for text in captions.all_inner_texts()]
    assert all(text.startswith("as ") for text in texts), texts[:3]
    for expected in (
        "as admin",
        "nova.conf reclaim_instance_interval = 3600",
        "nova.conf shelved_offload_time = -1",
        "compute2's nova-compute not reporting",
        "policy os_compute_api:servers:show:host_status: rule:project_reader_or_admin",
    ):
        shown = captions.filter(has_text=expected).first
        assert shown.is_visible(), expected
    # Small and above its sample: smaller text than the page's, right before the code.
    caption = captions.first
    size = caption.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    body = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size < body
    follows = caption.evaluate("e => e.nextElementSibling.className")
    assert "highlight-" in follows
    assert tab.errors == []


def test_samples_say_whether_nova_replays_them_too(tab: Tab) -> None:
    page = tab.open("api-guide/server_concepts.html")
    replayed = page.locator("span.fakenova-provenance.fakenova-nova")
    fake_only = page.locator("span.fakenova-provenance.fakenova-fake")
    assert replayed.count() > 50 and fake_only.count() > 5
    assert replayed.first.inner_text().strip().endswith("also replayed on Nova 34.0.0")
    assert fake_only.first.inner_text().strip() == "fake only"
    # A mark sits on a sample's caption line and links to how it is decided.
    # (the first visible one of each: a tab set shows one of its samples at a time)
    for mark in (_first_visible(replayed), _first_visible(fake_only)):
        caption = mark.locator("xpath=ancestor::div[contains(@class, 'fakenova-caption')]")
        assert "highlight-" in caption.evaluate("e => e.nextElementSibling.className")
        href = mark.locator("a").get_attribute("href") or ""
        assert href.endswith("reference/fidelity.html")
    # Commands carry one too, from the requests the sample run recorded for them.
    consoles = page.locator("div.fakenova-caption + div.highlight-console")
    assert consoles.count() > 10
    marked = page.eval_on_selector_all(
        "div.fakenova-caption",
        "cs => cs.filter(c => c.nextElementSibling.className.includes('highlight-console')"
        " && c.querySelector('.fakenova-provenance')).length",
    )
    assert marked > 10
    assert tab.errors == []


def test_the_at_a_glance_tables_render_whole_within_the_column(tab: Tab) -> None:
    page = tab.open("api-guide/server_concepts.html")
    tables = page.locator("table.fakenova-glance")
    assert tables.count() == 2
    statuses, actions = tables.nth(0), tables.nth(1)
    assert statuses.locator("tbody tr").count() >= 7
    assert actions.locator("tbody tr").count() >= 25
    assert "owner or admin" in actions.inner_text()
    for table in (statuses, actions):
        assert table.is_visible()
        # All columns in view at 1280 px: the table needs no sideways scrolling.
        wider = table.evaluate("t => t.scrollWidth - t.parentElement.clientWidth")
        assert wider <= 0, f"a table is {wider}px wider than its column"
    assert tab.errors == []


def test_the_instance_action_names_table_renders_whole_within_the_column(tab: Tab) -> None:
    page = tab.open("api-guide/faults.html")
    tables = page.locator("table.fakenova-glance")
    assert tables.count() == 1
    names = tables.nth(0)
    assert names.locator("tbody tr").count() >= 30
    assert "live-migration" in names.inner_text()
    assert names.is_visible()
    wider = names.evaluate("t => t.scrollWidth - t.parentElement.clientWidth")
    assert wider <= 0, f"the table is {wider}px wider than its column"
    assert tab.errors == []
