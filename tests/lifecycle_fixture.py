"""A small OpenAI-like price file for the lifecycle tests of the pages, the CSV and the CLI, so
their figures are worked out by hand and do not move when the shipped data does.

On 2026-12-01 (USD per 1M tokens, input / cached / output; default workload 100,000 requests of
1,500 in + 300 out = 150M input and 30M output tokens a month):

=============  ===================  ===============================================  =========
model          prices               lifecycle on 2026-12-01                          default
=============  ===================  ===============================================  =========
gpt-4.1-mini   0.40 / 0.10 / 1.60   available                                        $108.00
gpt-4o-mini    0.15 / 0.075 / 0.60  available                                        $40.50
gpt-4.1-nano   0.10 / 0.025 / 0.40  shut down 2026-10-23, successor gpt-9-nano       $27.00
gpt-9-nano     0.20 / 0.02 / 0.80   available; doubles on 2027-02-01 (announced)     $54.00
gpt-8-mini     0.05 / - / 0.40      shuts down 2026-12-10 (in 9 days) -> gpt-9-nano  $19.50
gpt-9-pico     0.12 / 0.03 / 0.40   available, promotional until 2027-01-31          $30.00
=============  ===================  ===============================================  =========

So the default view on 2026-12-01 is gpt-4.1-mini (baseline), gpt-4o-mini, gpt-4.1-nano (shut
down), gpt-9-nano (nano's successor) and gpt-9-pico (the cheapest OpenAI model selectable on the
date that does not shut down within 12 months: gpt-8-mini, $19.50, goes in 9 days). The
cheapest is gpt-9-pico at $30.00, not the shut-down gpt-4.1-nano at $27.00: savings $78.00,
72.2% of the baseline's $108.00.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

from pricing.catalog import Catalog

DAY = dt.date(2026, 12, 1)

_MODEL = """
[[models]]
id = "{id}"
name = "{id}"
encoding = "o200k_base"
context_window = 1000000
max_output_tokens = 32768
released = {released}
{extra}
"""

_PRICE = """
[[models.prices]]
effective = {effective}
input = {input}
{cached}output = {output}
source = "https://example.com/pricing"
checked = 2026-12-01
{extra}
"""

SHUTDOWN = (
    'shutdown = {{ date = {date}, announced = 2026-04-22, source = "https://example.com/dep" }}'
)


def price_file() -> str:
    parts = ['provider = "openai"\nname = "OpenAI (test)"\n']

    def model(id_, released, *prices, shutdown=None, successor=None):
        extra = []
        if shutdown:
            extra.append(SHUTDOWN.format(date=shutdown))
        if successor:
            extra.append(f'successor = "{successor}"')
        parts.append(_MODEL.format(id=id_, released=released, extra="\n".join(extra)))
        for effective, p_in, p_cached, p_out, price_extra in prices:
            cached = f"cached_input = {p_cached}\n" if p_cached is not None else ""
            parts.append(
                _PRICE.format(
                    effective=effective, input=p_in, cached=cached, output=p_out, extra=price_extra
                )
            )

    model("gpt-4.1-mini", "2025-04-14", ("2025-04-14", "0.40", "0.10", "1.60", ""))
    model("gpt-4o-mini", "2024-07-18", ("2024-07-18", "0.15", "0.075", "0.60", ""))
    model(
        "gpt-4.1-nano",
        "2025-04-14",
        ("2025-04-14", "0.10", "0.025", "0.40", ""),
        shutdown="2026-10-23",
        successor="gpt-9-nano",
    )
    model(
        "gpt-9-nano",
        "2026-09-22",
        ("2026-09-22", "0.20", "0.02", "0.80", ""),
        ("2027-02-01", "0.40", "0.04", "1.60", 'note = "announced doubling"'),
    )
    model(
        "gpt-8-mini",
        "2025-08-07",
        ("2025-08-07", "0.05", None, "0.40", ""),
        shutdown="2026-12-10",
        successor="gpt-9-nano",
    )
    promotion = textwrap.dedent(
        """
        [models.prices.promotion]
        until = 2027-01-31
        wording = "at least through 2027-01-31"
        source = "https://example.com/promo"
        """
    )
    model("gpt-9-pico", "2026-09-22", ("2026-09-22", "0.12", "0.03", "0.40", promotion))
    return "".join(parts)


def catalog(tmp_path: Path) -> Catalog:
    path = tmp_path / "openai.toml"
    path.write_text(price_file(), encoding="utf-8")
    return Catalog.from_files([path])
