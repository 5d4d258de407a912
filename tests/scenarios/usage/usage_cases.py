"""What the usage tests share: the samples, the alternatives, a CSV header and two look-ups.

Expected figures are worked out by hand from the price files (USD per 1M tokens):
gpt-4o-mini 0.15 / cached 0.075 / 0.60, batch 0.075 / 0.30 (no batch cached rate);
gpt-4o 5.00 / 15.00 until 2024-10-01, then 2.50 / 1.25 / 10.00 from 2024-10-02;
gpt-4.1-mini 0.40 / 0.10 / 1.60, batch 0.20 / 0.80; gpt-4.1-nano 0.10 / 0.025 / 0.40,
batch 0.05 / 0.20; the 4.1 family exists from 2025-04-14.
"""

from __future__ import annotations

from scenarios import usage

SAMPLES = usage.sample_files()
ALTS = ["gpt-4.1-mini", "gpt-4.1-nano"]
HEADER = "date,model,input_tokens,input_cached_tokens,output_tokens,num_model_requests,batch\n"
USAGE_1M = {"prompt_tokens": 1_000_000, "completion_tokens": 0}


def cell(result: usage.RepriceResult, month: str, model: str, column: str = "cost") -> float:
    frame = result.comparison
    row = frame[(frame["month"] == month) & (frame["model"] == model)]
    assert len(row) == 1, (month, model)
    return row[column].iloc[0]


def reprice_text(text: str, alternatives=ALTS, **kwargs) -> usage.RepriceResult:
    return usage.reprice_file(text.encode(), alternatives, **kwargs)
