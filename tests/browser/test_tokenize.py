"""The Tokenize page in a real browser: carrying counts into Compare's scenario, keeping the
inputs across pages, request files (JSONL) counted per request with their bad lines shown, images
counted per model and the text shown token by token, on a laptop and a phone."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from scenarios.formatting import tokens
from scenarios.links import compare as compare_link
from scenarios.tokens.prompt_counts import count_inputs, count_prompt
from tests.browser.conftest import SCREENSHOTS, screenshot, wait_for_app

pytestmark = pytest.mark.browser

COMPARE = (
    "v=1&name=support%20bot&req=50000&per=day&in=2400&out=350&batch=50"
    "&models=gpt-4.1-mini,gpt-4o-mini,gpt-4.1-nano&base=gpt-4o-mini&date=2025-06-01"
)
PROMPT = (
    "A customer writes: my order 1142 arrived with a cracked screen. "
    "Write a polite reply offering a replacement or a refund."
)
JSONL_LINES = [
    json.dumps({"messages": [{"role": "user", "content": f"Where is my order number {i}?"}]})
    for i in range(5)
]


def screenshot_path(name: str):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"


def no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0


def open_tokenize(page) -> None:
    page.get_by_role("link", name="Tokenize").click()
    expect(page.get_by_role("heading", name="Count tokens")).to_be_visible()
    wait_for_app(page)


def type_into(page, label: str, text: str) -> None:
    box = page.get_by_label(label, exact=True)
    box.fill(text)
    box.press("Control+Enter")


def test_carry_keeps_the_compare_scenario(app_url, page):
    page.set_viewport_size({"width": 1440, "height": 2000})
    page.goto(f"{app_url}/?{COMPARE}")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Compare monthly spend")).to_be_visible()
    no_exception(page)
    open_tokenize(page)
    type_into(page, "User message", PROMPT)
    expected = int(count_prompt("", PROMPT, ["gpt-4.1-mini"])["prompt_tokens"].iloc[0])
    button = page.get_by_role("button", name=f"Compare costs with {tokens(expected)} input tokens")
    expect(button).to_be_visible()
    expect(page.get_by_text("“support bot”, 50,000 requests a day")).to_be_visible()
    no_exception(page)
    screenshot(page, "tokenize_before_carry")
    button.click()

    expect(page.get_by_role("heading", name="Compare monthly spend")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"[?&]in={expected}(&|$)"))
    wait_for_app(page)
    scenario = compare_link.decode_url(page.url).scenario
    assert scenario.input_tokens == expected
    assert scenario.output_tokens == 350  # no answer given: Compare's own stays
    assert scenario.requests == 50_000 and scenario.per == "day"
    assert scenario.batch_share == pytest.approx(0.5)
    assert scenario.baseline == "gpt-4o-mini"
    assert scenario.name == "support bot"
    expect(page.get_by_label("Input", exact=True)).to_have_value(str(expected))
    expect(page.get_by_label("Scenario name", exact=True)).to_have_value("support bot")
    no_exception(page)
    screenshot(page, "tokenize_carried")


def test_inputs_and_files_survive_a_visit_to_compare(app_url, page, tmp_path):
    page.set_viewport_size({"width": 1440, "height": 2400})
    requests = tmp_path / "requests.jsonl"
    lines = [*JSONL_LINES[:2], "{not json", *JSONL_LINES[2:]]
    requests.write_text("\n".join(lines) + "\n", encoding="utf-8")
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Caf\xe9 cr\xe8me".encode("latin-1"))
    copy = tmp_path / "copy.jsonl"
    copy.write_bytes(requests.read_bytes())

    page.goto(app_url)
    wait_for_app(page)
    open_tokenize(page)
    type_into(page, "System message", "You are a helpful support agent.")
    page.locator('.st-key-tok_files [data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        [str(requests), str(latin1), str(copy)]
    )
    expect(page.get_by_text("5 requests, one per line; 1 line skipped")).to_be_visible()
    expect(page.get_by_text("Line 3: Not valid JSON", exact=False)).to_be_visible()
    expect(page.get_by_text("Not UTF-8 text", exact=False)).to_be_visible()
    expect(page.get_by_text("The same content as requests.jsonl: counted once")).to_be_visible()
    wait_for_app(page)
    no_exception(page)

    # A typed prompt stays the input until the user picks the file.
    expect(
        page.get_by_label("The pasted prompt (system + user message + documents)")
    ).to_be_checked()
    page.get_by_text("Uploaded file requests.jsonl: mean of 5 requests").click()
    wait_for_app(page)
    counts = count_inputs("", "", ["gpt-4.1-mini"], [("requests.jsonl", requests.read_bytes())])
    mean = round(counts.requests["mean_tokens"].iloc[0])
    expect(
        page.get_by_role("button", name=f"Compare costs with {mean} input tokens")
    ).to_be_visible()
    screenshot(page, "tokenize_jsonl")

    page.get_by_role("link", name="Compare").click()
    expect(page.get_by_role("heading", name="Compare monthly spend")).to_be_visible()
    wait_for_app(page)
    open_tokenize(page)
    expect(page.get_by_label("System message", exact=True)).to_have_value(
        "You are a helpful support agent."
    )
    expect(page.get_by_text("Kept from earlier in this session", exact=False)).to_be_visible()
    expect(page.get_by_text("5 requests, one per line; 1 line skipped")).to_be_visible()
    expect(
        page.get_by_role("button", name=f"Compare costs with {mean} input tokens")
    ).to_be_visible()
    no_exception(page)
    screenshot(page, "tokenize_back")


@pytest.mark.parametrize(("width", "height"), [(1440, 900), (390, 844)])
def test_images_and_the_token_view(app_url, page, tmp_path, width, height):
    from PIL import Image

    page.set_viewport_size({"width": width, "height": height})
    photo = tmp_path / "photo.png"
    Image.new("RGB", (1024, 1024), (40, 120, 200)).save(photo)
    page.goto(app_url)
    wait_for_app(page)
    if width < 640:  # the phone layout folds the navigation into the sidebar
        page.goto(f"{app_url}/tokenize")
        wait_for_app(page)
    else:
        open_tokenize(page)
    expect(page.get_by_text("A sample prompt to start with", exact=False)).to_be_visible()
    type_into(page, "User message", '<b>bold?</b> {"json": [1, 2]}\nNew line  ünïcode 日本語')
    expect(page.get_by_text("Characters typed")).to_be_visible()
    page.locator('.st-key-tok_files [data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        [str(photo)]
    )
    expect(page.get_by_text("PNG image, 1,024 x 1,024 px")).to_be_visible()
    wait_for_app(page)
    no_exception(page)
    tokens_block = page.locator(".tb-tokens")
    expect(tokens_block).to_be_visible()
    # The user's markup is shown as text, token by token: no <b> element was made from it.
    assert tokens_block.locator("b").count() == 0
    assert "<b>bold?</b>" in tokens_block.inner_text()
    assert tokens_block.locator("span.t").count() > 10
    # Nothing wider than the page.
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1
    screenshot(page, f"tokenize_images_{width}x{height}")
    typed = page.get_by_label("User message", exact=True).input_value()
    page.get_by_text("Images (tokens of each image", exact=False).scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_path(f"tokenize_images_table_{width}x{height}")))
    tokens_block.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_path(f"tokenize_tokens_{width}x{height}")))
    # A reload keeps the short typed prompt: the address bar holds it.
    page.reload()
    wait_for_app(page)
    expect(page.get_by_label("User message", exact=True)).to_have_value(typed)
    no_exception(page)
