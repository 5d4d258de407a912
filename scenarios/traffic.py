"""A workload as it really runs, priced per model: retries and images per request. Pure.

The cost engine (``pricing.cost.monthly_cost``) prices one request shape on every model. Real
traffic adds two things this module prices with that same engine, never with arithmetic of its
own on prices:

* **retries**: a share of the requests is sent again (failures, validation retries). Those are
  full extra requests of the same shape, priced as their own workload, and shown as their own
  component (``retry_cost``); the total includes them.
* **images per request**: each model counts an image with its own published rule
  (``scenarios.tokens.images``), so each model is priced with its own input tokens per
  request. Image tokens are uncached input; the part of the uncached input cost they account
  for is shown as its own component (``image_input_cost``). A model that takes no images is
  not priced (a note says so, never a price without the images).

``price`` is the one entry point; with no retries and no images it returns the engine's rows
unchanged (plus zero ``retry_cost`` / ``image_input_cost`` columns).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from pricing.catalog import Catalog, load_catalog
from pricing.cost import monthly_cost
from pricing.workload import Workload
from scenarios.tokens.images import image_tokens

DETAILS = ("high", "low")

NO_IMAGE_INPUT = "no_image_input"
"""A note's code: the model takes no image input (or no published rule counts its images)."""


@dataclass(frozen=True)
class Images:
    """Images sent with each request: how many (an average may be fractional), their size."""

    count: float
    width: int
    height: int
    detail: str = "high"

    def __post_init__(self) -> None:
        if not (np.isfinite(self.count) and self.count >= 0):
            raise ValueError(f"images: count must be 0 or more ({self.count!r})")
        if int(self.width) < 1 or int(self.height) < 1:
            raise ValueError(f"images: size must be at least 1x1 ({self.width}x{self.height})")
        if self.detail not in DETAILS:
            raise ValueError(f"images: detail must be high or low ({self.detail!r})")

    @property
    def size(self) -> str:
        return f"{self.width}x{self.height}"


@dataclass(frozen=True)
class Note:
    """Why a model has no figure for this traffic; read like ``pricing.reasons.Reason`` (a
    ``code``, the ``model``, ``text``, ``unavailable``)."""

    code: str
    model: str
    detail: str
    tier: str | None = None
    date: dt.date | None = None
    unavailable: bool = True

    @property
    def text(self) -> str:
        return self.detail


@dataclass(frozen=True)
class Traffic:
    """What a workload adds as it runs (the defaults add nothing)."""

    retry_share: float = 0.0
    """Share (0..1) of requests sent again, in full."""
    images: Images | None = None

    def __post_init__(self) -> None:
        if not (np.isfinite(self.retry_share) and 0 <= self.retry_share <= 1):
            raise ValueError(f"retry share must be between 0 and 1 ({self.retry_share!r})")

    @property
    def has_images(self) -> bool:
        return self.images is not None and self.images.count > 0


@dataclass(frozen=True)
class ImageInput:
    """One model's image tokens per request, or why it has none."""

    model: str
    tokens_per_request: float
    """Tokens of all the request's images (count x tokens of one)."""
    rule: str
    """Which published rule counted them (or why they are not counted)."""
    supported: bool


def image_input(model: str, images: Images) -> ImageInput:
    """The input tokens ``images`` add to one request on ``model`` (its own rule)."""
    try:
        counted = image_tokens(model, int(images.width), int(images.height), images.detail)
    except ValueError as exc:
        return ImageInput(model, 0.0, str(exc), False)
    tokens = getattr(counted, "tokens", None)
    if tokens is None or not getattr(counted, "supported", True):
        return ImageInput(model, 0.0, str(getattr(counted, "rule", "")), False)
    return ImageInput(model, float(tokens) * images.count, str(counted.rule), True)


def _with_images(workload: Workload, image_tokens: float) -> Workload:
    """The request with ``image_tokens`` more uncached input (the cached tokens stay the same
    count, so the cached share shrinks)."""
    if image_tokens <= 0:
        return workload
    grown = workload.input_tokens + image_tokens
    scale = workload.input_tokens / grown
    return replace(
        workload,
        input_tokens=grown,
        cached_share=workload.cached_share * scale,
        cache_write_share=workload.cache_write_share * scale,
    )


COMPONENT_COLUMNS = (
    "uncached_input_cost",
    "image_input_cost",
    "cached_input_cost",
    "cache_write_cost",
    "output_cost",
    "tool_fee_cost",
    "retry_cost",
)
"""The components ``price`` splits a model's total into (USD per month); they add up to
``total_cost``."""


def price(
    workload: Workload,
    models: Sequence[str],
    as_of: dt.date,
    catalog: Catalog | None = None,
    traffic: Traffic | None = None,
) -> pd.DataFrame:
    """``monthly_cost`` rows (one per model, in order) for ``workload`` running as ``traffic``
    says, with these columns added or changed:

    * ``image_tokens_per_request`` and ``image_input_tokens`` (a month's), ``image_rule``;
      ``image_input_cost``: the images' share of the uncached input cost (taken out of
      ``uncached_input_cost``);
    * ``tool_fee_cost`` (the engine's: the original requests' tool calls x the table's fee);
    * ``retry_requests`` (a month's) and ``retry_cost``: the retried requests, in full (their
      tool calls too);
    * ``total_cost`` includes the retries; ``cost_per_request`` and ``cost_per_1k_requests``
      are per original request.

    One engine call prices every model's request shape and its retries.
    """
    catalog = catalog or load_catalog()
    traffic = traffic or Traffic()
    model_ids = [catalog.resolve(m) for m in models]
    inputs = {m: _image_input(m, traffic) for m in model_ids}
    shapes = [_with_images(workload, inputs[m].tokens_per_request) for m in model_ids]
    retried = [replace(w, requests=w.requests * traffic.retry_share) for w in shapes]
    # Distinct shapes only: without images every model shares one shape (and one retry shape).
    frame = list(dict.fromkeys([*shapes, *retried]))
    index = {w: i for i, w in enumerate(frame)}
    grid = monthly_cost(frame, model_ids, as_of, catalog)
    by_key = {(int(r.workload), r.model): i for i, r in enumerate(grid.itertuples())}
    main_rows = [by_key[(index[w], m)] for w, m in zip(shapes, model_ids, strict=True)]
    retry_rows = [by_key[(index[w], m)] for w, m in zip(retried, model_ids, strict=True)]
    out = grid.iloc[main_rows].reset_index(drop=True)
    retry = grid.iloc[retry_rows].reset_index(drop=True)

    image_pr = np.array([inputs[m].tokens_per_request for m in model_ids])
    out["image_tokens_per_request"] = image_pr
    out["image_input_tokens"] = image_pr * out["requests"].to_numpy()
    out["image_rule"] = [inputs[m].rule for m in model_ids]
    uncached_tokens = out["uncached_input_tokens"].to_numpy(dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        image_part = np.where(
            uncached_tokens > 0, out["image_input_tokens"].to_numpy() / uncached_tokens, 0.0
        )
    uncached = out["uncached_input_cost"].to_numpy(dtype="float64")
    out["image_input_cost"] = uncached * image_part
    out["uncached_input_cost"] = uncached - out["image_input_cost"]
    out["retry_requests"] = retry["requests"].to_numpy()
    out["retry_cost"] = retry["total_cost"].to_numpy()
    out["total_cost"] = out["total_cost"].to_numpy() + out["retry_cost"].to_numpy()
    requests = out["requests"].to_numpy(dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        per_request = np.where(requests > 0, out["total_cost"].to_numpy() / requests, 0.0)
    available = out["available"].to_numpy(dtype=bool)
    out["cost_per_request"] = np.where(available, per_request, np.nan)
    out["cost_per_1k_requests"] = out["cost_per_request"] * 1000
    _refuse_without_images(out, inputs)
    return out


def _image_input(model: str, traffic: Traffic) -> ImageInput:
    if not traffic.has_images:
        return ImageInput(model, 0.0, "", True)
    assert traffic.images is not None
    return image_input(model, traffic.images)


def _refuse_without_images(out: pd.DataFrame, inputs: dict[str, ImageInput]) -> None:
    """A model that takes no images gets no figures and a note saying so."""
    costs = [c for c in out.columns if c.endswith("_cost") or c.startswith("cost_per_")]
    for i, model in enumerate(out["model"]):
        counted = inputs[model]
        if counted.supported:
            continue
        text = f"{counted.rule} (no figure: one without its images would be too low)"
        out.loc[i, costs] = np.nan
        out.loc[i, "available"] = False
        out.at[i, "reasons"] = [*out.at[i, "reasons"], Note(NO_IMAGE_INPUT, model, text)]
        out.at[i, "warnings"] = [*out.at[i, "warnings"], text]


def months_workload(workload: Workload, model: str, traffic: Traffic | None) -> Workload:
    """The one workload whose engine price is ``model``'s whole monthly cost under
    ``traffic``: its own image tokens, and the retries as more requests of the same shape (the
    engine is linear in requests). For the projection (``pricing.projection.projection``), which
    prices one workload month by month."""
    traffic = traffic or Traffic()
    shaped = _with_images(workload, _image_input(model, traffic).tokens_per_request)
    return replace(shaped, requests=shaped.requests * (1 + traffic.retry_share))


def pricer(as_of: dt.date, catalog: Catalog | None = None, traffic: Traffic | None = None):
    """``price`` of one workload on one model, as a ``scenarios.routing.Pricer``: each part of
    a routed mix retries and counts its images like a single model."""
    catalog = catalog or load_catalog()
    return lambda workload, model: price(workload, [model], as_of, catalog, traffic)
