"""End to end: `streamlit run` the dashboard and drive headless Debian Chromium through every page.

Checks what AppTest cannot: the graph component renders with readable labels, pointing at a node
shows its English name, a click on a node reaches Python, no filter is hidden, deep links make no request that fails (no 404), and no request
leaves the machine (the component's assets come from the wheel, not a CDN). The dashboard is served
as `kg dashboard` serves it (dashboards/server.py). Screenshots go to tests/artifacts/dashboard/;
explore-labelled.png is what a new analyst sees of an actor's neighbourhood, explore-hover.png the
English name under the pointer.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import neo4j
import pytest
from dashboard_server import served_dashboard
from test_dashboard_apptest import REPO, sample_graph  # noqa: F401  (the same loaded sample)

pytestmark = [pytest.mark.neo4j, pytest.mark.browser]

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "tests" / "artifacts" / "dashboard"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# How long to wait for a page or the graph: generous, as the suite shares two cores with other jobs.
WAIT_MS = 90_000
PAGES = {  # url path -> text that shows the page rendered with data
    "": "Latest events",
    "timeline?actor=person:sergey-lavrov&actor=person:wang-yi": "Select a row to open the event",
    "profiles?entity=person:wang-yi": "Counterparts",
    "relations?a=CN&b=RU": "China and Russia",
    "analytics": "Communities",
    "cypher?recipe=who-met-whom": "Cypher console",
}


@pytest.fixture(scope="module")
def dashboard_url(sample_graph: neo4j.Driver) -> Iterator[str]:  # noqa: F811
    """The dashboard served by `streamlit run` on a free port, stopped after the module."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    with served_dashboard(timeout=30) as url:
        yield url


@pytest.fixture(scope="module")
def browser_page(dashboard_url: str) -> Iterator[tuple[object, list[str]]]:
    """A Chromium page plus the list of every URL it requested and every response that failed."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    requested: list[str] = []
    failed: list[tuple[int, str]] = []
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("request", lambda request: requested.append(request.url))
        page.on("response", lambda response: failed.append((response.status, response.url))
                if response.status >= 400 else None)
        yield page, requested, failed
        browser.close()


def test_every_page_loads(dashboard_url: str, browser_page: tuple) -> None:
    page, _, _ = browser_page
    for path, marker in PAGES.items():
        page.goto(f"{dashboard_url}/{path}")
        page.get_by_text(marker).first.wait_for(timeout=WAIT_MS)
        _settled(page)
        assert not page.get_by_text("Traceback").count(), path
        name = path.split("?")[0] or "overview"
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_click_a_node_in_the_explore_graph(dashboard_url: str, browser_page: tuple) -> None:
    page, requested, _ = browser_page
    page.goto(f"{dashboard_url}/explore?entity=person:sergey-lavrov")
    frame_element = page.locator("iframe[title*='st_link_analysis']").first
    frame_element.wait_for(timeout=WAIT_MS)
    frame = frame_element.element_handle().content_frame()
    frame.wait_for_function("() => document.getElementById('cy')?._cyreg?.cy?.nodes().length > 0", timeout=WAIT_MS)
    frame.wait_for_timeout(1500)  # let the layout settle before reading positions
    position = frame.evaluate("""() => {
        const cy = document.getElementById('cy')._cyreg.cy;
        const p = cy.getElementById('person:wang-yi').renderedPosition();
        return {x: p.x, y: p.y};
    }""")
    frame_element.scroll_into_view_if_needed()
    box = frame_element.bounding_box()
    page.screenshot(path=str(ARTIFACTS / "explore.png"), full_page=True)
    page.mouse.click(box["x"] + position["x"], box["y"] + position["y"])
    page.get_by_text("Wang Yi (Person)").first.wait_for(timeout=WAIT_MS)
    page.screenshot(path=str(ARTIFACTS / "explore-clicked.png"), full_page=True)
    outside = {urlsplit(u).hostname for u in requested} - {"127.0.0.1", "localhost", None}
    assert not outside, f"the dashboard fetched from other hosts: {sorted(outside)}"


def _settled(page: object) -> None:
    """Wait until the page has drawn its data (no placeholder left), for a screenshot worth reading."""
    page.wait_for_function("() => !document.querySelector(\"[data-testid='stSkeleton']\")", timeout=WAIT_MS)
    page.wait_for_timeout(500)


def _graph_frame(page: object) -> tuple[object, object]:
    frame_element = page.locator("iframe[title*='st_link_analysis']").first
    frame_element.wait_for(timeout=WAIT_MS)
    frame = frame_element.element_handle().content_frame()
    frame.wait_for_function("() => document.getElementById('cy')?._cyreg?.cy?.nodes().length > 0", timeout=WAIT_MS)
    frame.wait_for_timeout(1500)
    return frame_element, frame


def test_a_new_analyst_sees_a_labelled_graph_and_no_hidden_filter(dashboard_url: str, browser_page: tuple) -> None:
    """Opened from a shared link: every filter is visible (none set by default), the graph's nodes
    carry their names at the zoom it opens with, the centre actor is in the middle, and the page made
    no request that failed (the deep link's 404s of /explore/_stcore/health and host-config)."""
    page, _, failed = browser_page
    failed.clear()
    page.goto(f"{dashboard_url}/explore?entity=person:sergey-lavrov&depth=2")
    frame_element, frame = _graph_frame(page)
    alert = page.locator("[data-testid='stAlert']").filter(has_text="Filters:").first
    alert.wait_for(timeout=WAIT_MS)
    banner = alert.inner_text()
    assert "all dates" in banner and "undated events: hidden" in banner
    dates = page.locator("[data-testid='stSidebar'] [data-testid='stDateInput'] input")
    assert dates.count() == 2 and all(not dates.nth(i).input_value() for i in range(2))
    drawn = frame.evaluate("""() => {
        const cy = document.getElementById('cy')._cyreg.cy;
        const zoom = cy.zoom();
        const px = (el) => parseFloat(el.style('font-size')) * zoom;
        const drawnAt = (el, least) => el.style('label') && px(el) >= parseFloat(el.style('min-zoomed-font-size'))
            && px(el) >= least;
        const nodes = cy.nodes().filter(n => n.data('label') !== 'Event');
        const spokes = cy.edges("[spoke = 'yes']");
        const centre = cy.getElementById('person:sergey-lavrov').renderedPosition();
        const box = cy.container().getBoundingClientRect();
        return {nodes: nodes.length, readable: nodes.filter(n => drawnAt(n, 9)).length, spokes: spokes.length,
                spokesReadable: spokes.filter(e => drawnAt(e, 8)).length, shown: nodes.map(n => n.style('label')),
                dx: Math.abs(centre.x - box.width / 2) / box.width, dy: Math.abs(centre.y - box.height / 2) / box.height};
    }""")
    # Every name at 9 px or more, the type and day of every one of the centre's edges at 8 px or more.
    assert drawn["nodes"] >= 5 and drawn["readable"] == drawn["nodes"], drawn
    assert "拉夫罗夫" in drawn["shown"] and drawn["spokes"] >= 1 and drawn["spokesReadable"] == drawn["spokes"], drawn
    assert drawn["dx"] < 0.1 and drawn["dy"] < 0.1, drawn
    _settled(page)
    page.screenshot(path=str(ARTIFACTS / "explore-top.png"))  # what the page opens on: filters, legend
    frame_element.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "explore-labelled.png"))
    page.goto(f"{dashboard_url}/relations?a=CN&b=RU")
    page.get_by_text("China and Russia").first.wait_for(timeout=WAIT_MS)
    assert not failed, f"requests that failed: {failed}"


def test_pointing_at_a_node_shows_its_english_name(dashboard_url: str, browser_page: tuple) -> None:
    """The graph shows names as the articles write them (王毅); the pointer over one shows the English."""
    page, _, _ = browser_page
    page.goto(f"{dashboard_url}/explore?entity=person:sergey-lavrov")
    frame_element, frame = _graph_frame(page)
    frame_element.scroll_into_view_if_needed()
    position = frame.evaluate("""() => {
        const p = document.getElementById('cy')._cyreg.cy.getElementById('person:wang-yi').renderedPosition();
        return {x: p.x, y: p.y};
    }""")
    box = frame_element.bounding_box()
    page.mouse.move(box["x"] + position["x"], box["y"] + position["y"])
    frame.wait_for_function("() => document.getElementById('kg-hover')?.style.display === 'block'", timeout=WAIT_MS)
    assert frame.evaluate("() => document.getElementById('kg-hover').textContent").startswith("Wang Yi · Person")
    page.screenshot(path=str(ARTIFACTS / "explore-hover.png"))
    page.mouse.move(box["x"] + 5, box["y"] + 5)
    frame.wait_for_function("() => document.getElementById('kg-hover').style.display === 'none'", timeout=WAIT_MS)
