"""Adversarial links and files through every page in Chromium: nothing a user typed becomes a
link, an image, styled text or a request to another host (issue 10, point 1).

Each page gets Markdown links and images, Streamlit's ``:red[...]`` / ``:smile:`` /
``:material/...:`` directives, bare URLs, e-mail addresses and HTML in its link values, its
parameter names, its file names and its cells. The test then asserts that the page holds no
``<a>`` or ``<img>`` pointing at the payloads' hosts, no bold/italic/coloured payload text, no
heading made from a payload, that the browser requested nothing from those hosts, and that no
exception box is shown. A link the app writes itself never points at ``payloads.MARKER``.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, wait_for_app
from tests.hostile import payloads
from tests.hostile.payloads import ALL, BUDGET_KEY, IMAGE_HOST, MARKER, MARKUP

pytestmark = pytest.mark.browser


def query(params: dict[str, str]) -> str:
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in params.items())


def watch(page) -> list[str]:
    """Every URL the page requests from a host that is not the app's."""
    foreign: list[str] = []

    def seen(request) -> None:
        host = urlsplit(request.url).netloc
        if MARKER in host or IMAGE_HOST in host:
            foreign.append(request.url)

    page.on("request", seen)
    return foreign


def assert_shown_as_text(page, foreign: list[str], name: str) -> None:
    main = page.locator('[data-testid="stMain"], [data-testid="stSidebar"]')
    page.wait_for_timeout(300)  # let images (if any) start loading
    screenshot(page, f"hostile-{name}")
    links = page.locator(f'a[href*="{MARKER}"], a[href*="{IMAGE_HOST}"]')
    images = page.locator(f'img[src*="{MARKER}"], img[src*="{IMAGE_HOST}"]')
    assert links.count() == 0, [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert images.count() == 0
    # Markup made from a payload: its bold text, a heading, an emoji or icon from a shortcode.
    made = page.evaluate(
        """() => [...document.querySelectorAll(
                '[data-testid="stMain"] :is(strong, em, h1, h2, h3, h4, h5, h6, span)')]
            .map(e => e.textContent.trim())
            .filter(t => t === 'ALERT: your key leaked' || t === 'heading' || t === 'x'
                || t.includes(String.fromCodePoint(0x1F604)))"""
    )
    assert not made, made
    icons = main.locator('[data-testid="stIconMaterial"]').all_inner_texts()
    assert "warning" not in [t for t in icons if "ALERT" in t], icons
    assert page.locator('[data-testid="stException"]').count() == 0
    assert not foreign, foreign


LINK_CASES = {
    "compare": (
        "",
        {
            "v": "1",
            "name": ALL,
            "models": ",".join(MARKUP),
            "base": MARKUP[0],
            "req": MARKUP[2],
            "date": MARKUP[1],
            MARKUP[3]: "1",
        },
    ),
    "prices": (
        "prices",
        {
            "prices_model": MARKUP[0],
            "prices_tab": MARKUP[1],
            "prices_as_of": ":red[**ALERT: your key leaked**]",
            "prices_before": MARKUP[3],
        },
    ),
    "budget": (
        "budget",
        {
            "bud_usd": MARKUP[2],
            "bud_models": ",".join(MARKUP),
            BUDGET_KEY: "1",
            "bud_in": ALL,
            "bud_cur": MARKUP[0],
            "bud_rate": MARKUP[1],
        },
    ),
    "tokenize": ("tokenize", {"tok_x": ALL, MARKUP[0]: MARKUP[1]}),
    "source-check": ("source-check", {"x": ALL, MARKUP[0]: MARKUP[1]}),
    "usage": ("usage", {"x": ALL}),
}


@pytest.mark.parametrize("name", list(LINK_CASES))
def test_adversarial_links_are_shown_as_text(app_url, page, name):
    path, params = LINK_CASES[name]
    foreign = watch(page)
    page.goto(f"{app_url}/{path}?{query(params)}")
    wait_for_app(page)
    assert_shown_as_text(page, foreign, f"link-{name}")


def test_adversarial_file_names_and_cells_on_tokenize(app_url, page):
    foreign = watch(page)
    page.goto(f"{app_url}/tokenize")
    wait_for_app(page)
    lines = [f'{{"messages": [{{"role": "user", "content": "{m}"}}]}}' for m in ("a", "b")]
    lines += [text.replace('"', "'") for text in MARKUP]  # not JSON: skipped, reason shown
    files = [
        {"name": f"{MARKUP[0]}.txt", "mimeType": "text/plain", "buffer": ALL.encode()},
        {"name": f"{MARKUP[1]}.jsonl", "mimeType": "application/jsonl",
         "buffer": "\n".join(lines).encode()},
        {"name": f"{MARKUP[2]}.txt", "mimeType": "text/plain", "buffer": b"\xff\xfe bad"},
    ]  # fmt: skip
    page.locator('.st-key-tok_files input[type="file"]').set_input_files(files)
    expect(page.get_by_text("skipped", exact=False).first).to_be_visible(timeout=30000)
    wait_for_app(page)
    assert_shown_as_text(page, foreign, "tokenize-files")


def test_adversarial_usage_file_on_usage(app_url, page):
    foreign = watch(page)
    page.goto(f"{app_url}/usage")
    wait_for_app(page)
    upload = {"name": f"{MARKUP[0]}.csv", "mimeType": "text/csv", "buffer": payloads.usage_csv()}
    page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(upload)
    expect(page.get_by_text("Unpriced rows", exact=False).first).to_be_visible(timeout=30000)
    wait_for_app(page)
    assert_shown_as_text(page, foreign, "usage-file")


def test_a_file_of_unknown_models_only_names_them_as_text(app_url, page):
    foreign = watch(page)
    page.goto(f"{app_url}/usage")
    wait_for_app(page)
    rows = "".join(f'2025-06-01,"{t.replace(chr(34), chr(39))}",1,1\n' for t in MARKUP)
    upload = {
        "name": "unknown.csv",
        "mimeType": "text/csv",
        "buffer": ("date,model,input_tokens,output_tokens\n" + rows).encode(),
    }
    page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(upload)
    expect(page.get_by_text("No row could be priced", exact=False)).to_be_visible(timeout=30000)
    wait_for_app(page)
    assert_shown_as_text(page, foreign, "usage-unknown")


def test_adversarial_saved_scenarios_and_portfolio_link_on_the_workspace(
    app_url, workspace_database, page
):
    """Saved names, teams, owners, tags and notes holding markup, and a portfolio link whose
    every value does, are shown as text on the Workspace page (lists, chart legend, warnings)."""
    from scenarios.workspace.store import Store

    store = Store(workspace_database)
    link = "?v=1&req=1000&models=gpt-4.1-mini&base=gpt-4.1-mini&date=2026-12-06"
    team = MARKUP[2][:80]
    for number, text in enumerate(MARKUP):
        store.add(
            link, f"{number} {text}"[:80], team=team, owner=text[:120], tags=text[:40], notes=ALL
        )
    foreign = watch(page)
    params = {"team": team, "budget": MARKUP[0], "months": MARKUP[1], "selection": MARKUP[3]}
    page.goto(f"{app_url}/workspace?{query({**params, MARKUP[4]: MARKUP[5]})}")
    wait_for_app(page)
    expect(page.get_by_text("Link parameter budget", exact=False).first).to_be_visible()
    assert_shown_as_text(page, foreign, "workspace")
