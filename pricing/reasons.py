"""Why a figure is missing or needs care, and what was wrong with an input, as data: the key it
is about, a code, the values behind it, and the text, worded here once.

* ``Reason``: the cost engine's (``reasons`` column of ``pricing.cost.monthly_cost``), keyed by
  the model; reports, the source check and pages read ``code`` (and the fields), never the
  wording (``Reason.text``, what ``warnings`` holds).
* ``Problem``: an input's (a link parameter, a page box, a flag), keyed by the parameter; the
  link decoders and the pages' readers return these, and pages show ``key`` and ``text``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

NOT_RELEASED = "not_released"
"""The model did not exist on the pricing date (``date``: its release)."""
SHUT_DOWN = "shut_down"
"""Shut down on or before the pricing date (``date``); last list price shown (``detail``:
the lifecycle sentence)."""
SHUTS_DOWN = "shuts_down"
"""A shutdown is announced for a later day (``date``)."""
PROMOTIONAL = "promotional"
"""The price in effect is a promotion (``detail``: the provider's wording)."""
TIER_NOT_OFFERED = "tier_not_offered"
"""A batch/flex/priority share was asked of a model without that tier (``tier``)."""
CONTEXT_EXCEEDED = "context_exceeded"
"""Input + output per request (``figure``) above the context window (``limit``)."""
MAX_OUTPUT_EXCEEDED = "max_output_exceeded"
"""Output per request (``figure``) above the max output (``limit``)."""
NO_1H_CACHE_PRICE = "no_1h_cache_price"
"""1-hour cache writes asked where only 5-minute writes are priced."""
NO_CACHED_PRICE = "no_cached_price"
"""A cached share asked of a model without a cached-input price."""
APPROXIMATE_TOKENS = "approximate_tokens"
"""The model's tokenizer is not public: counts are approximations."""
TOOL_NOT_OFFERED = "tool_not_offered"
"""Calls of a built-in tool (``tier`` holds the tool, e.g. ``web_search``) asked of a model whose
price entry lists no fee for it: never priced as a free tool."""

SESSION_TOO_LONG = "session_too_long"
"""A session's request (``figure``: the largest, input + output) above the context window
(``limit``); ``detail`` the share of sessions that overflow. Never priced as if it fit."""

SESSIONS_CUT = "sessions_cut"
"""Some sessions (``detail``: the share) outgrow the context window (``limit``; ``figure``:
the largest request): priced up to their last request that fits, as the provider bills them."""

PEER_PRICE = "peer_price"
"""The price is the live peer layer's (``detail``: its provenance), not a curated entry."""
YOUR_PRICE = "your_price"
"""Priced with a price book of your own (``detail``: "your price: 20% off openai")."""

UNAVAILABLE_CODES = frozenset({NOT_RELEASED, TIER_NOT_OFFERED, TOOL_NOT_OFFERED, SESSION_TOO_LONG})
"""Codes that leave a model without figures for the workload (``available`` False)."""
LIFECYCLE_CODES = frozenset({NOT_RELEASED, SHUT_DOWN, SHUTS_DOWN, PROMOTIONAL})


@dataclass(frozen=True)
class Reason:
    code: str
    model: str
    date: dt.date | None = None
    tier: str | None = None
    figure: float | None = None
    limit: float | None = None
    detail: str | None = None
    """Words that come from the data (a lifecycle sentence, a promotion's wording)."""
    as_of: dt.date | None = None
    """The pricing date the reason was found on."""

    @property
    def unavailable(self) -> bool:
        return self.code in UNAVAILABLE_CODES

    @property
    def key(self) -> str:
        """What the reason is about: the model (``Problem.key``'s counterpart)."""
        return self.model

    @property
    def values(self) -> dict:
        """The figures behind the reason (``Problem.values``'s counterpart)."""
        names = ("date", "tier", "figure", "limit", "detail", "as_of")
        return {n: getattr(self, n) for n in names if getattr(self, n) is not None}

    @property
    def text(self) -> str:
        """The one wording of each code."""
        code = self.code
        if code == NOT_RELEASED:
            return f"not released yet on {self.as_of} (released {self.date})"
        if code in (SHUT_DOWN, SHUTS_DOWN, PROMOTIONAL) and self.detail:
            return self.detail
        if code == SHUT_DOWN:
            return f"shut down on {self.date}; last list price shown"
        if code == SHUTS_DOWN:
            return f"shuts down on {self.date}"
        if code == PROMOTIONAL:
            return "promotional price"
        if code == TIER_NOT_OFFERED:
            return f"{self.tier} tier not offered: unavailable for this workload"
        if code == CONTEXT_EXCEEDED:
            return (
                f"request of {self.figure:,.0f} tokens exceeds the "
                f"context window of {self.limit:,.0f}"
            )
        if code == MAX_OUTPUT_EXCEEDED:
            return (
                f"output of {self.figure:,.0f} tokens exceeds the max output of {self.limit:,.0f}"
            )
        if code == NO_1H_CACHE_PRICE:
            return "no 1-hour cache-write price: those writes billed at the 5-minute rate"
        if code == NO_CACHED_PRICE:
            return "no cached-input price: cached tokens billed as ordinary input"
        if code == TOOL_NOT_OFFERED:
            tool = (self.tier or "tool").replace("_", " ")  # web_search -> web search
            return f"no {tool} fee for this model: unavailable for this workload"
        if code == SESSION_TOO_LONG:
            return (
                f"the median session reaches {self.figure:,.0f} tokens, above the context "
                f"window of {self.limit:,.0f} ({self.detail} of sessions do): not priced; "
                "compact the history or pick a larger window"
            )
        if code == SESSIONS_CUT:
            return (
                f"{self.detail} of sessions would reach {self.figure:,.0f} tokens, above the "
                f"context window of {self.limit:,.0f}: they are priced up to their last request "
                "that fits (the provider refuses the next); compact the history to keep them"
            )
        if code == PEER_PRICE:
            return self.detail or "price from a peer table, not yet checked against a second source"
        if code == YOUR_PRICE:
            return self.detail or "your price"
        if code == APPROXIMATE_TOKENS:
            return "tokenizer not public: token counts are approximations"
        raise ValueError(f"unknown reason code {code!r}")


# -- problems with an input -------------------------------------------------------------------

WORDING = {
    "not_a_number": "{given} is {why}; used {used}",
    "below": "{given} is below {low}; used {used}",
    "above": "{given} is above the most allowed, {high}; used {used}",
    "not_whole": "{given} is not a whole number; used {used}",
    "not_a_date": "{given} is not a date (YYYY-MM-DD); used {used}",
    "date_outside": "{given} is outside {low}..{high}; used {used}",
    "not_one_of": "{given} is not {choices}; {then}",
    "unknown_param": "not a {page}link parameter; ignored",
    "book_entry": "{why}",
    "more_unknown_params": "{more} more parameter{s} not {page}link parameters; ignored",
    "unknown_version": "link format {given} is not known; read as version {version}",
    "shortened": "longer than {most} characters; shortened",
    "shares_exceed": "{shares} exceed 100%; used {used}",
    "not_among_models": "{given} is not one of the models compared; used {used}",
    "unknown_model": "unknown model {given}; {then}",
    "unknown_model_left_out": "unknown model {given} left out",
    "more_unknown_models": "{more} more unknown model{s} left out",
    "too_many_models": "more than {most} models; kept the first {most}",
    "no_known_model": "no known model in {given}; {then}",
    "detail_without_part": "read only with {part}=...; ignored",
    "own_entry": "{given} left out: {why}",
    "session_without_shape": "a session figure, read only with shape=sessions; ignored",
    "route_without_kind": "first/second given without route=split or cascade; no mix",
    "answer_without_cascade": "only a cascade resends the first answer; ignored",
    "route_needs_models": "needs first= and second= models; no mix",
    "route_same_models": "first and second are both {model}; no mix",
    "route_pick_two": "pick two different models; no mix",
    "currency": "{why}",
}
"""The one wording of each problem code; ``{given}`` is the value as given, quoted and cut
(``scenarios.written.show``), ``{used}`` what was used instead."""


class Problem(str):
    """A problem with an input (a link parameter, a page box, a command-line value), as data:
    the ``key`` it is about, a ``code`` of ``WORDING``, the ``values`` behind it and its ``text``
    (worded here, once). It is also the string ``"key: text"`` a page or the command line
    prints, so it reads as before wherever text is enough; a page reads ``key`` and ``text``,
    never parses the string."""

    key: str
    code: str
    values: dict
    text: str

    def __new__(cls, key: str, code: str, **values: object) -> Problem:
        text = WORDING[code].format(**values)
        self = super().__new__(cls, f"{key}: {text}" if key else text)
        self.key, self.code, self.values, self.text = key, code, dict(values), text
        return self

    def keyed(self, key: str) -> Problem:
        """The same problem about another key (a Budget link's ``bud_`` parameter)."""
        return Problem(key, self.code, **self.values)

    def __reduce__(self):
        return (_problem, (self.key, self.code, self.values))


def _problem(key: str, code: str, values: dict) -> Problem:
    return Problem(key, code, **values)
