"""Sessions: conversations and agent loops whose context grows every turn, priced with each
provider's caching rules, with a band from the sessions' spread. Pure (no streamlit).

**The shape** (``Shape``): a shared prefix of ``P`` tokens (system prompt, tool definitions);
``T`` turns; on each turn new input ``N`` (the user's message, or the tool results) and output
``O`` (plus reasoning ``R``, billed as output and not re-sent). Turn ``t`` (1-based) sends::

    input_t = P + (t - 1) * (N + O) + N

so a session's input is ``T*P + T*N + (N + O) * T*(T-1)/2``: it grows quadratically.

**Caching** (``CacheRule``, from the price table on the date): a request reads from the cache
the part that repeats the previous request of the session (its whole input), at the model's
``cached_input`` price, when the gap between turns is shorter than the cache's lifetime and
that part is at least the model's ``min_cached_prompt_tokens``. Turn 1 reads the prefix ``P``
when sessions arrive more often than the lifetime (a warm shared prefix, kept warm by the
traffic: its one write is not counted). A request that another request of the session follows
writes the rest of its input to the cache (the last turn's new tokens are not written: nothing
reads them); writes are billed at ``cache_write`` (or ``cache_write_1h`` with the 1-hour
lifetime) where the provider charges them, and as ordinary input where it does not (the cost
engine's rule, ``pricing.cost``). Without a ``cached_input`` price a model caches nothing.

**Compaction**: when a turn's input would exceed the threshold (``compact_tokens``, or
``compact_share`` of the model's context window, the smaller), the history is first summarised
into ``S`` tokens by an extra request (input ``P`` + history, output ``S``, priced too); the turn
then sends ``P + S + N``, and the cache keeps only the prefix. A request above the model's
context window (input + output) makes the model *not fit*: it is never priced as if it fit.

**The spread**: turns, turn input and turn output each come as p10 / p50 / p90 (``Spread``).
``SAMPLES`` sessions are drawn (seeded, so the figures repeat) from a split log-normal through
the three quantiles, each priced exactly by the cost engine; the month's figure is the sessions
per month times the mean session, and its band the p5-p95 of a month's total (the sum of that
many sessions, by the normal approximation of a sum for 50 sessions or more, else by drawing
months). Without a spread a single session is priced: the figures are exact.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pricing.catalog import Catalog, NotReleasedError
from pricing.cost import COST_COLUMNS, monthly_cost
from pricing.dated import prices_on

SAMPLES = 10_000
"""Sessions drawn for the band."""
MAX_DRAWN_TURNS = 2_000_000
"""The drawn sessions hold at most this many turns in all: past it, the band is computed from
the first sessions drawn that fit (still a random sample: the draws are independent), so a
link asking for 10,000-turn sessions costs seconds, not minutes."""
SEED = 0
Z90 = 1.2815515655446004
"""The standard normal's 90th percentile: p10 and p90 are this many sigmas from the median."""
Z95 = 1.6448536269514722
CACHE_LIFETIME = 300.0
"""Seconds an unused cache entry lives: OpenAI's "5-10 minutes of inactivity", Anthropic's
default 5 minutes (refreshed on each hit), Gemini's implicit cache (not published: 5 minutes
assumed). The shortest published, so a warm cache is never claimed where it may be cold."""
CACHE_LIFETIME_1H = 3600.0
"""Seconds with a 1-hour write, where the table prices one (``cache_write_1h``)."""
SECONDS_PER_MONTH = 30 * 86_400
DRAWN_MONTHS = 2_000
"""Months drawn for the band when a month has fewer than 50 sessions."""

TOKEN_PARTS = ("uncached_input", "cached_input", "cache_write", "output")
"""How a session's tokens are billed, in the spend split's order."""


@dataclass(frozen=True)
class Spread:
    """A figure that varies across sessions: its p10, median and p90 (equal: no spread)."""

    p50: float
    p10: float | None = None
    p90: float | None = None

    @property
    def low(self) -> float:
        return self.p50 if self.p10 is None else min(self.p10, self.p50)

    @property
    def high(self) -> float:
        return self.p50 if self.p90 is None else max(self.p90, self.p50)

    @property
    def spread(self) -> bool:
        return self.low < self.p50 or self.high > self.p50

    def draw(self, z: np.ndarray) -> np.ndarray:
        """Values at standard normal scores ``z``: a log-normal through p10, p50 and p90 (one
        sigma below the median, one above), so the draws have exactly these quantiles."""
        if not self.spread or self.p50 <= 0:
            return np.full(len(z), float(self.p50))
        low = math.log(self.p50 / self.low) / Z90 if self.low > 0 else 0.0
        high = math.log(self.high / self.p50) / Z90
        return self.p50 * np.exp(np.where(z < 0, z * low, z * high))


@dataclass(frozen=True)
class Shape:
    """One kind of session and how sessions arrive. Tokens are per turn unless named."""

    prefix: float
    turns: Spread
    turn_input: Spread
    turn_output: Spread
    turn_reasoning: float = 0.0
    turn_gap: float = 30.0
    """Seconds between a turn's answer and the next request."""
    session_gap: float = 0.0
    """Seconds between sessions (0: the month's sessions spread evenly)."""
    cache: bool = True
    cache_1h: bool = False
    """Write with the 1-hour lifetime where the model prices one."""
    compact_tokens: float = 0.0
    compact_share: float = 0.0
    summary_tokens: float = 2_000.0

    @property
    def spread(self) -> bool:
        return any(s.spread for s in (self.turns, self.turn_input, self.turn_output))

    def gap_between_sessions(self, sessions_per_month: float) -> float:
        if self.session_gap > 0:
            return self.session_gap
        return SECONDS_PER_MONTH / sessions_per_month if sessions_per_month > 0 else math.inf


@dataclass(frozen=True)
class CacheRule:
    """How a model caches on the date (its price entry, its ``min_cached_prompt_tokens``)."""

    model: str
    caches: bool
    """The entry has a ``cached_input`` price."""
    charges_writes: bool
    one_hour: bool
    """A ``cache_write_1h`` price, so the 1-hour lifetime can be chosen."""
    min_tokens: int
    window: int
    lifetime: float

    @property
    def kind(self) -> str:
        if not self.caches:
            return "no prompt caching"
        return "explicit, writes charged" if self.charges_writes else "automatic, no write charge"


def cache_rule(catalog: Catalog, model_id: str, as_of: dt.date, one_hour: bool) -> CacheRule:
    dated = prices_on(catalog, as_of)
    info = dated.model(model_id)
    try:
        entry = dated.price(model_id)
    except NotReleasedError:
        entry = info.prices[0]
    offers_1h = entry.cache_write_1h is not None
    return CacheRule(
        model_id,
        entry.cached_input is not None,
        entry.cache_write is not None,
        offers_1h,
        int(info.min_cached_prompt_tokens),
        int(info.context_window),
        CACHE_LIFETIME_1H if one_hour and offers_1h else CACHE_LIFETIME,
    )


# -- the sessions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sessions:
    """Sessions as arrays (one value each): the median session alone, or ``SAMPLES`` draws."""

    prefix: np.ndarray
    turns: np.ndarray
    turn_input: np.ndarray
    turn_output: np.ndarray
    turn_reasoning: np.ndarray

    def __len__(self) -> int:
        return len(self.turns)


def median_session(shape: Shape) -> Sessions:
    def one(value: float) -> np.ndarray:
        return np.array([float(value)])

    return Sessions(
        one(shape.prefix),
        one(max(1, round(shape.turns.p50))),
        one(shape.turn_input.p50),
        one(shape.turn_output.p50),
        one(shape.turn_reasoning),
    )


def drawn_sessions(shape: Shape, samples: int = SAMPLES, seed: int = SEED) -> Sessions:
    """``samples`` sessions from the shape's spreads (the median session when none), the
    three figures drawn independently."""
    if not shape.spread:
        return median_session(shape)
    z = np.random.default_rng(seed).standard_normal((3, samples))
    turns = np.maximum(1.0, np.rint(shape.turns.draw(z[0])))
    kept = max(1, int(np.searchsorted(np.cumsum(turns), MAX_DRAWN_TURNS, side="right")))
    kept = min(kept, samples)
    return Sessions(
        np.full(kept, float(shape.prefix)),
        turns[:kept],
        np.rint(shape.turn_input.draw(z[1]))[:kept],
        np.rint(shape.turn_output.draw(z[2]))[:kept],
        np.full(kept, float(shape.turn_reasoning)),
    )


@dataclass(frozen=True)
class Requests:
    """Every request of every session on one model: flat arrays, a row per request."""

    session: np.ndarray
    turn: np.ndarray
    """The turn (1-based) a request belongs to; a compaction call has its turn's number."""
    compaction: np.ndarray
    input: np.ndarray
    cached: np.ndarray
    written: np.ndarray
    output: np.ndarray
    reasoning: np.ndarray

    @property
    def largest(self) -> np.ndarray:
        return self.input + self.output + self.reasoning


def compaction_threshold(shape: Shape, window: int) -> float:
    """Input tokens above which the history is summarised (inf: never)."""
    limits = [shape.compact_tokens] if shape.compact_tokens > 0 else []
    if shape.compact_share > 0:
        limits.append(shape.compact_share * window)
    return min(limits) if limits else math.inf


@dataclass(frozen=True)
class Geometry:
    """The sessions' requests before caching: what each sends, for one compaction threshold.
    Flat arrays, a row per turn; compaction calls apart (``calls``: the turns they precede)."""

    session: np.ndarray
    i: np.ndarray
    """0-based turn."""
    input: np.ndarray
    previous: np.ndarray
    """The previous request's input (turn 1: the prefix)."""
    prefix: np.ndarray
    after_compaction: np.ndarray
    last: np.ndarray
    output: np.ndarray
    reasoning: np.ndarray
    calls: np.ndarray
    call_input: np.ndarray
    summary: float


def geometry(sessions: Sessions, shape: Shape, limit: float) -> Geometry:
    """Turn by turn, the input of every session (growing, or reset by compaction at
    ``limit`` input tokens). Closed form, vectorised over every turn of every session."""
    n_turns = sessions.turns.astype(np.int64)
    session = np.repeat(np.arange(len(sessions)), n_turns)
    starts = np.cumsum(n_turns) - n_turns
    i = np.arange(int(n_turns.sum())) - np.repeat(starts, n_turns)
    p, n = sessions.prefix[session], sessions.turn_input[session]
    o, r = sessions.turn_output[session], sessions.turn_reasoning[session]
    g = n + o  # what each turn adds to the history
    s = float(shape.summary_tokens)
    last = i == n_turns[session] - 1
    if not math.isfinite(limit):
        history = i * g
        turn_input = p + history + n
        none = np.zeros(0, dtype=np.int64)
        return Geometry(
            session, i, turn_input, turn_input - g, p, np.zeros(len(i), bool), last, o, r,
            none, np.zeros(0), s,
        )  # fmt: skip
    # Turns per stretch of history: the first from an empty history, later ones from the
    # summary. A summary no shorter than the history it would replace never runs.
    with np.errstate(divide="ignore", invalid="ignore"):
        step = np.where(g > 0, g, np.nan)
        first = np.floor((limit - p - n) / step) + 1
        later = np.floor((limit - p - n - s) / step) + 1
    # Turn 1 has no history to summarise; a summary that cannot get a turn under the
    # threshold still runs before every turn (it shrinks the history all the same).
    first = np.maximum(first, 1.0)
    later = np.maximum(np.nan_to_num(later, nan=1.0), 1.0)
    compacts = np.isfinite(first) & (s < first * np.where(g > 0, g, np.inf))
    first = np.where(compacts, first, np.inf)
    later = np.where(compacts, later, 1.0)
    past = i - first  # turns after the first stretch
    after = past >= 0
    position = np.where(after, np.mod(np.maximum(past, 0), later), i)
    history = np.where(after, s + position * g, i * g)
    stretch = after & (position == 0)  # a compaction call comes first
    turn_input = p + history + n
    calls = np.flatnonzero(stretch)
    before = np.where(past[calls] == 0, first[calls] * g[calls], s + later[calls] * g[calls])
    return Geometry(
        session, i, turn_input, turn_input - g, p, stretch, last, o, r,
        calls, p[calls] + before, s,
    )  # fmt: skip


def requests(
    sessions: Sessions,
    shape: Shape,
    rule: CacheRule,
    sessions_per_month: float,
    shaped: Geometry | None = None,
) -> Requests:
    """The requests the sessions send on a model with ``rule``: per turn its input, the part
    read from the cache and the part written (``shaped``: the ``geometry`` at this model's
    compaction threshold, when already worked out)."""
    geo = shaped or geometry(sessions, shape, compaction_threshold(shape, rule.window))
    warm_turns = shape.cache and rule.caches and shape.turn_gap < rule.lifetime
    warm_sessions = (
        shape.cache
        and rule.caches
        and shape.gap_between_sessions(sessions_per_month) < rule.lifetime
    )
    zero = np.zeros(len(geo.i))
    # What repeats the previous request: the earlier turn's input; after a compaction only
    # the prefix survives; turn 1 finds the prefix when sessions keep it warm.
    repeat = geo.previous if warm_turns else zero
    repeat = np.where(geo.i == 0, geo.prefix if warm_sessions else 0.0, repeat)
    if len(geo.calls):
        repeat = np.where(geo.after_compaction, geo.prefix if warm_turns else 0.0, repeat)
    cached = np.where(repeat >= rule.min_tokens, repeat, 0.0)
    written = zero
    if warm_turns:
        keep = ~geo.last & (geo.input >= rule.min_tokens)
        written = np.where(keep, geo.input - cached, 0.0)
    k = geo.calls
    # A compaction call repeats the last turn before it: the history it summarises minus
    # that turn's answer.
    call_repeat = geo.call_input - geo.output[k] if warm_turns else np.zeros(len(k))
    call_cached = np.where(call_repeat >= rule.min_tokens, call_repeat, 0.0)
    if not len(k):
        return Requests(
            geo.session, geo.i + 1, np.zeros(len(geo.i), bool), geo.input, cached, written,
            geo.output, geo.reasoning,
        )  # fmt: skip
    return Requests(
        np.concatenate([geo.session, geo.session[k]]),
        np.concatenate([geo.i + 1, geo.i[k] + 1]),
        np.concatenate([np.zeros(len(geo.i), bool), np.ones(len(k), bool)]),
        np.concatenate([geo.input, geo.call_input]),
        np.concatenate([cached, call_cached]),
        np.concatenate([written, np.zeros(len(k))]),
        np.concatenate([geo.output, np.full(len(k), geo.summary)]),
        np.concatenate([geo.reasoning, np.zeros(len(k))]),
    )


# -- prices -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tiers:
    """The scenario's tier shares, applied to every request of a session."""

    batch_share: float = 0.0
    flex_share: float = 0.0
    priority_share: float = 0.0


_SUMMED_TOKENS = ("input", "cached", "written", "output", "reasoning")


def _frame(sent: Requests, tiers: Tiers, one_hour: bool, by: np.ndarray | None) -> pd.DataFrame:
    """The cost engine's workload rows: a row per request, or (``by``: a group number per
    request) a row per group, its requests' tokens summed. Prices are linear in tokens, so a
    group priced whole costs what its requests cost one by one, as long as they sit on the
    same side of the long-context threshold (the caller groups them so)."""
    if by is None:
        count, sums = np.ones(len(sent.input)), sent
    else:
        size = int(by.max(initial=-1)) + 1
        count = np.bincount(by, minlength=size).astype("float64")
        used = count > 0

        def total(values: np.ndarray) -> np.ndarray:
            return np.bincount(by, values, minlength=size)[used]

        count = count[used]
        sums = Requests(
            *(None,) * 3,
            *(total(getattr(sent, f)) for f in _SUMMED_TOKENS),
        )  # fmt: skip
    with np.errstate(divide="ignore", invalid="ignore"):
        cached = np.where(sums.input > 0, sums.cached / sums.input, 0.0)
        written = np.where(sums.input > 0, sums.written / sums.input, 0.0)
    rows = len(count)
    cached = np.minimum(cached, 1.0)
    return pd.DataFrame(
        {
            "requests": count,
            "input_tokens": sums.input / count,
            "output_tokens": sums.output / count,
            "reasoning_tokens": sums.reasoning / count,
            "cached_share": cached,
            "cache_write_share": np.minimum(written, 1.0 - cached),
            "cache_write_1h_share": np.full(rows, 1.0 if one_hour else 0.0),
            "batch_share": np.full(rows, tiers.batch_share),
            "flex_share": np.full(rows, tiers.flex_share),
            "priority_share": np.full(rows, tiers.priority_share),
        }
    )


@dataclass(frozen=True)
class ModelSessions:
    """One model's sessions priced: per session and per request, USD."""

    model: str
    rule: CacheRule
    sent: Requests
    """The requests billed: a session that outgrows the context window stops before the
    request the provider refuses."""
    priced: pd.DataFrame
    """The cost engine's row per request (``pricing.cost.monthly_cost``)."""
    session_cost: np.ndarray
    """USD per session, in the sessions' order (NaN when the model cannot price one)."""
    fits: bool
    """Every request of every session fits the model's context window."""
    overflow_share: float
    """Share of sessions with a request above the context window."""
    largest: float
    """The largest request of any session (input + output tokens)."""

    @property
    def available(self) -> bool:
        return bool(self.priced["available"].all())


def price_sessions(
    sessions: Sessions,
    shape: Shape,
    model_id: str,
    as_of: dt.date,
    catalog: Catalog,
    sessions_per_month: float,
    tiers: Tiers = Tiers(),
    by_request: bool = True,
    shapes: dict | None = None,
) -> ModelSessions:
    """``sessions`` on one model at the prices of ``as_of``, priced by the cost engine (tiers,
    long-context rates, cache writes): a row per request (``by_request``, for the cost by
    turn), or a row per session and side of the long-context threshold (the same totals, a
    tenth of the rows). ``shapes`` keeps each compaction threshold's ``geometry`` for the
    next model."""
    rule = cache_rule(catalog, model_id, as_of, shape.cache_1h)
    limit = compaction_threshold(shape, rule.window)
    shapes = {} if shapes is None else shapes
    key = (id(sessions), shape, limit)
    if key not in shapes:
        shapes[key] = (sessions, geometry(sessions, shape, limit))
    # Models that cache alike send the same requests.
    sent_key = (*key, rule.caches, rule.min_tokens, rule.lifetime)
    if sent_key not in shapes:
        shapes[sent_key] = requests(sessions, shape, rule, sessions_per_month, shapes[key][1])
    sent = shapes[sent_key]
    one_hour = shape.cache_1h and rule.one_hour
    threshold = math.inf if by_request else _long_threshold(catalog, model_id, as_of)
    rows_key = (*sent_key, by_request, threshold, one_hour, tiers, rule.window)
    if rows_key not in shapes:
        billed, over = _within_window(sent, len(sessions), rule.window)
        by = None if by_request else billed.session * 2 + (billed.input > threshold)
        row_session = billed.session if by is None else np.flatnonzero(np.bincount(by)) // 2
        shapes[rows_key] = (_frame(billed, tiers, one_hour, by), row_session, over, billed)
    frame, row_session, over, billed = shapes[rows_key]
    priced = monthly_cost(frame, [model_id], as_of, catalog)
    costs = priced["total_cost"].to_numpy()
    cost = np.bincount(row_session, costs, minlength=len(sessions))
    fits = not bool(over.any())
    if not bool(priced["available"].all()):
        cost = np.full(len(sessions), np.nan)
    return ModelSessions(
        model_id,
        rule,
        billed,
        priced,
        cost,
        fits,
        float(over.mean()),
        float(sent.largest.max(initial=0.0)),
    )


def _within_window(sent: Requests, sessions: int, window: int) -> tuple[Requests, np.ndarray]:
    """The requests a provider bills when a session outgrows the context window: those
    before the first one that does not fit (which it refuses, ending the session); and which
    sessions outgrew it."""
    too_big = sent.largest > window
    over = np.zeros(sessions, dtype=bool)
    if not too_big.any():
        return sent, over
    over[sent.session[too_big]] = True
    stop = np.full(sessions, np.inf)
    np.minimum.at(stop, sent.session[too_big], sent.turn[too_big])
    keep = sent.turn < stop[sent.session]
    kept = {name: getattr(sent, name)[keep] for name in Requests.__dataclass_fields__}
    return Requests(**kept), over


def _long_threshold(catalog: Catalog, model_id: str, as_of: dt.date) -> float:
    try:
        entry = prices_on(catalog, as_of).price(model_id)
    except NotReleasedError:
        entry = catalog.model(model_id).prices[0]
    return float(entry.long_context.threshold) if entry.long_context else math.inf


@dataclass(frozen=True)
class Band:
    """A month's spend on one model: the mean-based figure and its p5-p95, USD."""

    monthly: float
    low: float
    high: float
    session_median: float
    session_low: float
    session_high: float
    """p5 and p95 of one session's cost."""


def band(session_cost: np.ndarray, sessions_per_month: float, seed: int = SEED) -> Band:
    """The month's total for ``sessions_per_month`` sessions drawn from ``session_cost``."""
    if len(session_cost) == 0 or np.isnan(session_cost).any():
        nan = float("nan")
        return Band(nan, nan, nan, nan, nan, nan)
    mean = float(session_cost.mean())
    monthly = mean * sessions_per_month
    sd = float(session_cost.std())
    if sd == 0 or sessions_per_month == 0:
        low = high = monthly
    elif sessions_per_month >= 50:
        half = Z95 * sd * math.sqrt(sessions_per_month)
        low, high = max(0.0, monthly - half), monthly + half
    else:
        rng = np.random.default_rng(seed)
        whole = int(sessions_per_month)
        draws = rng.choice(session_cost, size=(DRAWN_MONTHS, max(whole, 1)))
        totals = draws.sum(axis=1) * (sessions_per_month / max(whole, 1))
        low, high = (float(v) for v in np.percentile(totals, [5, 95]))
    q = np.percentile(session_cost, [5, 50, 95])
    return Band(monthly, low, high, float(q[1]), float(q[0]), float(q[2]))


# -- what the page and the reports show -----------------------------------------------------------


@dataclass(frozen=True)
class ModelResult:
    model: str
    median: ModelSessions
    """The median session, priced exactly."""
    drawn: ModelSessions
    """The drawn sessions (the median one again when the shape has no spread)."""
    band: Band
    no_cache: Band
    """The same sessions with caching off (the saving of caching)."""
    no_compaction: Band | None
    """The same sessions without compaction (None when the shape compacts nothing)."""
    one_hour: Band | None
    """With the 1-hour lifetime instead (None when the model prices no 1-hour write)."""
    break_even: str

    @property
    def rule(self) -> CacheRule:
        return self.median.rule

    @property
    def available(self) -> bool:
        """The median session fits the window and the engine prices every request."""
        return self.median.fits and self.drawn.available

    def per_session(self) -> dict[str, float]:
        """The mean session's tokens and costs by part (``TOKEN_PARTS``), requests included."""
        priced, n = self.drawn.priced, len(self.drawn.session_cost)
        out = {
            "requests": float(priced["requests"].sum()) / n,
            "input_tokens": float(priced["input_tokens"].sum()) / n,
            "cached_input_tokens": float(priced["cached_input_tokens"].sum()) / n,
            "cache_write_tokens": float(priced["cache_write_tokens"].sum()) / n,
            "uncached_input_tokens": float(priced["uncached_input_tokens"].sum()) / n,
            "output_tokens": float(priced["output_tokens"].sum()) / n,
        }
        for column in COST_COLUMNS:
            out[column] = float(priced[column].sum()) / n
        return out

    def warm_text(self, shape: Shape, sessions_per_month: float) -> str:
        rule = self.rule
        if not shape.cache:
            return "caching off"
        if not rule.caches:
            return "no prompt caching on this model"
        minutes = rule.lifetime / 60
        turns = "warm between turns" if shape.turn_gap < rule.lifetime else "cold between turns"
        gap = shape.gap_between_sessions(sessions_per_month)
        prefix = "prefix shared" if gap < rule.lifetime else "prefix not shared across sessions"
        return f"{turns}, {prefix} ({minutes:g}-minute lifetime, {rule.kind})"


@dataclass(frozen=True)
class SessionComparison:
    shape: Shape
    sessions_per_month: float
    as_of: dt.date
    median: Sessions
    drawn: Sessions
    """The sessions priced for the band (``median`` itself when the shape has no spread)."""
    results: dict[str, ModelResult] = field(default_factory=dict)

    def turn_costs(self) -> pd.DataFrame:
        """Cost of each turn of the median session per model (USD; a compaction call is
        counted in its turn): columns ``model``, ``turn``, ``cost``, ``input_tokens``."""
        frames = []
        for model, result in self.results.items():
            sent, priced = result.median.sent, result.median.priced
            frame = pd.DataFrame(
                {
                    "turn": sent.turn,
                    "cost": priced["total_cost"].to_numpy(),
                    "input_tokens": sent.input,
                }
            )
            frame = frame.groupby("turn", as_index=False).sum()
            frame.insert(0, "model", model)
            if not result.median.fits:
                frame["cost"] = np.nan
            frames.append(frame)
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _result(
    model_id: str,
    shape: Shape,
    median: Sessions,
    drawn: Sessions,
    as_of: dt.date,
    catalog: Catalog,
    per_month: float,
    tiers: Tiers,
    shapes: dict,
) -> ModelResult:
    from dataclasses import replace

    def priced(sessions: Sessions, the_shape: Shape) -> ModelSessions:
        alone = sessions is median
        return price_sessions(
            sessions, the_shape, model_id, as_of, catalog, per_month, tiers, alone, shapes
        )

    def monthly(the_shape: Shape) -> Band:
        """The band of ``the_shape``'s drawn sessions (NaN when the median session does not
        fit the window: never priced as if it fit)."""
        if not priced(median, the_shape).fits:
            return band(np.array([np.nan]), per_month)
        return band(priced(drawn, the_shape).session_cost, per_month)

    at_median = priced(median, shape)
    at_draws = at_median if drawn is median else priced(drawn, shape)
    main = monthly(shape)
    no_cache = monthly(replace(shape, cache=False)) if shape.cache else main
    no_compaction = None
    if shape.compact_tokens > 0 or shape.compact_share > 0:
        no_compaction = monthly(replace(shape, compact_tokens=0.0, compact_share=0.0))
    one_hour = None
    if at_median.rule.one_hour and shape.cache:
        one_hour = main if shape.cache_1h else monthly(replace(shape, cache_1h=True))
    return ModelResult(
        model_id,
        at_median,
        at_draws,
        main,
        no_cache,
        no_compaction,
        one_hour,
        break_even_text(catalog, model_id, as_of, shape.turn_gap),
    )


def compare_sessions(
    shape: Shape,
    models: list[str],
    as_of: dt.date,
    catalog: Catalog,
    sessions_per_month: float,
    tiers: Tiers = Tiers(),
    samples: int = SAMPLES,
) -> SessionComparison:
    """Every model's sessions: the median session exactly, the drawn ones for the band, and
    the same without caching, without compaction and with the other cache lifetime."""
    median = median_session(shape)
    drawn = drawn_sessions(shape, samples) if shape.spread else median
    shapes: dict = {}
    results = {
        m: _result(m, shape, median, drawn, as_of, catalog, sessions_per_month, tiers, shapes)
        for m in models
    }
    return SessionComparison(shape, sessions_per_month, as_of, median, drawn, results)


def break_even_text(catalog: Catalog, model_id: str, as_of: dt.date, turn_gap: float) -> str:
    """When 1-hour cache writes pay on this model: a token written once and read back ``k``
    times costs ``w1h + k * read`` with the 1-hour lifetime, against ``w5m + k * read`` with
    the 5-minute one while it stays warm (gap under 5 minutes), or ``(k + 1) * input`` sent
    again uncached when the gap lets the 5-minute cache go cold."""
    try:
        entry = prices_on(catalog, as_of).price(model_id)
    except NotReleasedError:
        return ""
    if entry.cache_write_1h is None or entry.cached_input is None:
        return ""
    w1h, read, full = (float(x) for x in (entry.cache_write_1h, entry.cached_input, entry.input))
    if turn_gap < CACHE_LIFETIME:
        return "1-hour writes do not pay at this gap: the 5-minute cache stays warm"
    if turn_gap >= CACHE_LIFETIME_1H:
        return "the gap is longer than an hour: neither cache stays warm"
    # w1h + k * read < (k + 1) * full  <=>  k > (w1h - full) / (full - read)
    k = math.floor((w1h - full) / (full - read)) + 1 if full > read else None
    if k is None:
        return ""
    return f"break-even: 1-hour writes pay from the {_ordinal(max(k, 1))} reuse"


def _ordinal(k: int) -> str:
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"
