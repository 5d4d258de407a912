"""Image tokens: each family's published rule worked by hand, the size read from headers only,
and a clear refusal for what cannot be counted."""

from __future__ import annotations

import base64
import io
import json
import math
import struct
import zlib

import pytest
from PIL import Image

from pricing.catalog import UnknownModelError, load_catalog
from scenarios.tokens import images as im
from scenarios.tokens.images import ImageError, image_tokens, read_image_size


def png_bytes(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def fake_png_header(width: int, height: int) -> bytes:
    """A PNG signature, an IHDR claiming ``width`` x ``height`` and an empty IDAT: no pixels."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        return struct.pack(">I", len(body)) + kind + body + crc

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", b"")


# -- tiles: gpt-4o class ----------------------------------------------------------------------


def test_gpt_4o_1024_square_high_is_765():
    # 1024 fits in 2048; shortest side 1024 -> 768: 768 x 768; ceil(768/512)^2 = 4 tiles;
    # 85 + 170 * 4 = 765 (OpenAI's own worked example).
    result = image_tokens("gpt-4o", 1024, 1024)
    assert (result.tokens, result.supported, result.exact) == (765, True, True)
    assert "4 tiles" in result.rule and "85 + 170 x 4" in result.rule
    assert result.short == "4 tiles: 85 + 170 x 4"


def test_gpt_4o_mini_1024_square_high_is_25501():
    # Same 4 tiles, 4o-mini's constants: 2833 + 5667 * 4 = 2833 + 22668 = 25501.
    assert image_tokens("gpt-4o-mini", 1024, 1024).tokens == 25_501


def test_gpt_4o_2048_by_4096_is_1105():
    # Fit 2048 x 2048: 1024 x 2048; shortest 1024 -> 768: 768 x 1536; 2 x 3 = 6 tiles;
    # 85 + 170 * 6 = 1105 (the docs' second example).
    assert image_tokens("gpt-4o", 2048, 4096).tokens == 1_105


def test_low_detail_is_the_flat_base_whatever_the_size():
    assert image_tokens("gpt-4o", 4096, 8192, "low").tokens == 85
    assert image_tokens("gpt-4o-mini", 4096, 8192, "low").tokens == 2_833
    assert image_tokens("o3", 10, 10, "low").tokens == 75


def test_small_images_are_not_scaled_up():
    # 128 x 64 stays 128 x 64: one tile, 85 + 170 = 255 (measured: one tile over low detail).
    assert image_tokens("gpt-4o", 128, 64).tokens == 255
    # 513 x 500: 2 x 1 tiles -> 85 + 340 = 425.
    assert image_tokens("gpt-4.1", 513, 500).tokens == 425


def test_o_series_and_gpt_5_constants():
    # o3, 3000 x 1000: fit 2048 -> 2048 x 682.67 (floor 682); shortest 682 < 768, so one scale
    # 2048/3000: 2048 x 682 -> 4 x 2 = 8 tiles; 75 + 150 * 8 = 1275 (litellm gives 1275 too).
    assert image_tokens("o3", 3000, 1000).tokens == 1_275
    # gpt-5, 1024 x 1024: 4 tiles; 70 + 140 * 4 = 630.
    assert image_tokens("gpt-5", 1024, 1024).tokens == 630


def test_auto_is_counted_as_high_and_says_so():
    result = image_tokens("gpt-4o", 1024, 1024, "auto")
    assert result.tokens == 765
    assert "auto counted as high" in result.rule


# -- patches: gpt-4.1-mini class --------------------------------------------------------------


def test_gpt_41_mini_1024_square_is_1659():
    # ceil(1024/32)^2 = 1024 patches (under 1536); 1024 * 1.62 = 1658.88 -> 1659 rounded up.
    result = image_tokens("gpt-4.1-mini", 1024, 1024)
    assert result.tokens == 1_659
    assert "1,024 patches x 1.62" in result.rule


def test_patch_cap_follows_openais_worked_example():
    # 1800 x 2400: 57 * 75 = 4275 patches > 1536; shrink sqrt(1536*1024/(1800*2400)) = 0.6034;
    # 33.94 x 45.25 patches -> scale by 33/33.94: 1056 x 1408 -> 33 * 44 = 1452 patches.
    assert im.patch_count(1800, 2400, 1536) == (1452, 1056, 1408)
    # gpt-4.1-nano: 1452 * 2.46 = 3571.92 -> 3572.
    assert image_tokens("gpt-4.1-nano", 1800, 2400).tokens == 3_572
    # o4-mini: 1452 * 1.72 = 2497.44 -> 2498.
    assert image_tokens("o4-mini", 1800, 2400).tokens == 2_498


def test_patch_rule_ignores_detail():
    assert (
        image_tokens("gpt-5-mini", 64, 64, "low").tokens
        == image_tokens("gpt-5-mini", 64, 64, "high").tokens
        == math.ceil(4 * 1.62)
    )


def test_gpt_5_mini_records_the_measured_disagreement():
    result = image_tokens("gpt-5-mini", 1024, 1024)
    assert result.tokens == 1_659  # the docs' 1.62
    assert "1.2" in result.disagreement


# -- aliases, other providers, no vision -------------------------------------------------------


def test_aliases_and_snapshots_resolve_to_their_model():
    dated = image_tokens("gpt-4o-mini-2024-07-18", 1024, 1024)
    assert (dated.model, dated.tokens) == ("gpt-4o-mini", 25_501)
    assert image_tokens("openai/gpt-4o", 1024, 1024).tokens == 765


def test_a_model_without_vision_is_not_priced():
    result = image_tokens("gpt-3.5-turbo", 1024, 1024)
    assert (result.supported, result.status, result.tokens) == (False, "no_vision", 0)
    assert "takes no image input" in result.rule


def test_no_published_rule_is_labelled_not_guessed():
    result = image_tokens("gemini-3.5-flash", 1024, 1024)
    assert (result.supported, result.status, result.tokens) == (False, "no_rule", 0)
    assert "no published image rule" in result.rule
    assert image_tokens("grok-4.7", 1024, 1024).status == "no_rule"


def test_anthropic_area_estimate_is_approximate():
    # 1092 * 1092 / 750 = 1589.94 -> 1590 (Anthropic's table: ~1590 for 1092 x 1092).
    result = image_tokens("claude-haiku-4-5", 1092, 1092)
    assert (result.tokens, result.exact) == (1_590, False)
    # 3136 x 1568 -> long edge 1568: 1568 x 784 = 1,229,312 / 750 = 1639.1 -> capped at 1600.
    assert image_tokens("claude-3-haiku", 3136, 1568).tokens == 1_600


def test_gemini_2_tiles():
    assert image_tokens("gemini-2.0-flash", 384, 384).tokens == 258
    # 1000 x 500: ceil(1000/768) * ceil(500/768) = 2 * 1 tiles * 258 = 516.
    result = image_tokens("gemini-2.5-flash", 1000, 500)
    assert (result.tokens, result.exact) == (516, False)


def test_every_catalog_model_has_a_rule_entry():
    rules = im.vision_rules()
    for model in load_catalog().models():
        if "@" in model.id:  # a host variant takes its model's rule (pricing.peers.hosts)
            own = model.id.split("@", 1)[0]
            assert im.rule_entry(model.id)[1] == im.rule_entry(own)[1], model.id
            continue
        assert model.id in rules["models"] or model.provider in rules["providers"], model.id


def test_every_counted_entry_names_real_sources_and_a_date():
    rules = im.vision_rules()
    for name, entry in [*rules["models"].items(), *rules["providers"].items()]:
        assert "checked" in entry, name
        for key in entry.get("sources", []):
            assert key in rules["sources"], (name, key)
        if entry["rule"] not in ("none", "unknown"):
            assert len(entry["sources"]) >= 1, name


def test_bad_sizes_details_and_models_are_refused():
    for width, height in [(0, 10), (10, -1), (70_000, 10)]:
        with pytest.raises(ImageError):
            image_tokens("gpt-4o", width, height)
    with pytest.raises(ImageError, match="whole number"):
        image_tokens("gpt-4o", 10.5, 10)
    with pytest.raises(ImageError, match="detail must be"):
        image_tokens("gpt-4o", 10, 10, "ultra")
    with pytest.raises(UnknownModelError):
        image_tokens("gpt-9-imaginary", 10, 10)


# -- reading sizes ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "GIF"])
def test_reads_the_size_of_each_format(fmt):
    buffer = io.BytesIO()
    Image.new("RGB", (300, 170)).save(buffer, format=fmt)
    size = read_image_size(buffer.getvalue(), f"x.{fmt.lower()}")
    assert (size.width, size.height, size.format) == (300, 170, fmt)


def test_a_decompression_bomb_header_is_refused_unread():
    with pytest.raises(ImageError, match="too many pixels"):
        read_image_size(fake_png_header(60_000, 60_000), "bomb.png")


def test_broken_empty_and_other_files_are_refused():
    with pytest.raises(ImageError, match="empty"):
        read_image_size(b"", "a.png")
    with pytest.raises(ImageError, match="not a PNG"):
        read_image_size(b"hello, not an image", "a.png")
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="BMP")
    with pytest.raises(ImageError, match="not a PNG"):
        read_image_size(buffer.getvalue(), "a.bmp")
    with pytest.raises(ImageError, match="20 MB"):
        read_image_size(b"\x89PNG" + b"\0" * (im.MAX_IMAGE_BYTES + 1), "huge.png")


def test_a_header_only_png_is_enough():
    # No pixel data at all: the size comes from the header.
    assert read_image_size(fake_png_header(1024, 768), "h.png").width == 1024


def test_data_url_size_reads_the_header_and_never_a_remote_url():
    url = "data:image/png;base64," + base64.b64encode(png_bytes(640, 480)).decode()
    assert im.data_url_size(url) == im.ImageSize(640, 480, "PNG")
    assert im.data_url_size("https://example.com/cat.png") is None
    with pytest.raises(ImageError):
        im.data_url_size("data:image/png;base64,@@@@")
    with pytest.raises(ImageError):
        im.data_url_size("data:text/plain,hello")


# -- images in request files and image files -----------------------------------------------------


def image_message(url: str, **extra) -> dict:
    return {
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "What is this?"},
                    {"type": "image_url", "image_url": {"url": url, **extra}},
                ],
            }
        ]
    }


def test_jsonl_image_parts_are_counted_per_model(tmp_path):
    from scenarios.tokens import count_file, count_messages

    url = "data:image/png;base64," + base64.b64encode(png_bytes(1024, 1024)).decode()
    lines = [
        image_message(url, detail="high"),  # 1024 x 1024 read from the data: URL
        image_message("https://example.com/a.png"),  # no size: the upper bound
        image_message("https://example.com/b.png", width=512, height=512, detail="low"),
    ]
    path = tmp_path / "chats.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines))
    text = count_messages([{"role": "user", "content": "What is this?"}], "gpt-4o").tokens
    # gpt-4o: 765 (4 tiles) + 85 + 170 * 8 = 1445 (the most: 2 x 4 tiles) + 85 (low).
    on_4o = count_file(path, "gpt-4o")
    assert on_4o.image_tokens == 765 + 1_445 + 85
    assert on_4o.tokens == 3 * text + 765 + 1_445 + 85
    assert on_4o.distribution.max == text + 1_445
    assert not on_4o.exact and any("upper bound" in n for n in on_4o.notes)
    # gpt-4.1-mini: ceil(1024 * 1.62) = 1659; ceil(1536 * 1.62) = 2489; 256 patches -> 415.
    assert count_file(path, "gpt-4.1-mini").image_tokens == 1_659 + 2_489 + 415
    # No vision: the images are left out and a note says so.
    on_35 = count_file(path, "gpt-3.5-turbo")
    assert on_35.image_tokens == 0
    assert any("takes no image input" in n for n in on_35.notes)


def test_json_request_with_an_image(tmp_path):
    from scenarios.tokens import count_file

    path = tmp_path / "request.json"
    body = image_message("https://example.com/a.png", width=2048, height=4096)
    path.write_text(json.dumps(body))
    with_image = count_file(path, "gpt-4o")
    assert (with_image.kind, with_image.images, with_image.image_tokens) == ("request", 1, 1_105)


def test_a_broken_data_url_skips_its_line(tmp_path):
    from scenarios.tokens import count_file

    path = tmp_path / "bad.jsonl"
    lines = [
        image_message("data:image/png;base64,@@@@"),
        {"messages": [{"role": "user", "content": "hi"}]},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines))
    result = count_file(path, "gpt-4o")
    assert result.distribution.requests == 1
    assert "base64" in result.distribution.skipped[0].reason


def test_an_image_file_counts_as_one_image(tmp_path):
    from scenarios.tokens import TokenCountError, count_bytes, count_file

    path = tmp_path / "photo.png"
    path.write_bytes(png_bytes(1024, 1024))
    result = count_file(path, "gpt-4o")
    assert (result.kind, result.tokens, result.characters) == ("image", 765, 0)
    assert count_file(path, "gpt-4o", detail="low").tokens == 85
    assert count_bytes(png_bytes(1024, 1024), "p.png", "gpt-4o-mini").tokens == 25_501
    with pytest.raises(TokenCountError, match="takes no image input"):
        count_file(path, "gpt-3.5-turbo")
    with pytest.raises(TokenCountError, match="name a model"):
        count_file(path)
