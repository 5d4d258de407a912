"""The table of a scenario's figures, written once: for each, its one name in the core, its link
key (also the page's widget key), its command-line flag, unit, bounds, default, CSV header, label
and help. Pure (no streamlit); of the project it imports only the text helpers
(``scenarios.written``, ``scenarios.formatting``) and ``pricing.reasons.Problem``.

Everything that reads or writes a figure is derived from ``FIELDS``:

* ``scenarios.scenario.Scenario`` has one attribute per field (``Field.name``), in core units;
* the Compare link (``scenarios.links.compare``) writes and reads ``key=...``, the Budget link
  ``bud_key=...`` for the fields marked ``budget``;
* the Compare page draws a box per field in its ``box``, the Budget page the ``budget`` fields;
* ``tokenbudget cost`` has ``--flag`` per field with a flag, checked against the same bounds;
* the comparison CSV has a column ``csv`` per field;
* the README's table of link parameters is generated from it (``scenarios.links.reference``).

**One unit inside, each outside spelling converted here once.** A share is a fraction 0..1 in the
core and on the command line (``--cached-share 0.4``); a person writes it in percent in a link, a
page box and the CSV (``cached=40``, ``cached_input_share_pct``): ``Field.written`` and
``Field.core`` are the one conversion between the two.

To add a figure: add a ``Field`` to ``FIELDS`` (and, when it changes the bill, read it where the
cost is computed). The test ``tests/scenarios/test_fields.py`` adds one and finds it in the page,
the link, the command line, the CSV and the README.
"""

from __future__ import annotations

from dataclasses import dataclass

from pricing.reasons import Problem
from scenarios.formatting import count
from scenarios.written import number_text, parse_number, show


@dataclass(frozen=True)
class Field:
    """One figure of a scenario."""

    name: str
    """The one name in the core: the ``Scenario`` attribute (and ``Workload``'s if ``workload``)."""
    key: str
    """The link parameter (``?cached=40``) and the page's widget key (``cmp_cached``)."""
    default: float
    low: float
    high: float
    """Bounds, inclusive, in core units (a share 0..1)."""
    unit: str
    """What the core value counts, in words (the README's and the help's unit)."""
    label: str
    """The page box's label (short: it sits in a narrow column)."""
    title: str
    """The figure's name in words (a page's note: "Cached share: ...")."""
    help: str
    """One line for ``--help`` and the README."""
    csv: str = ""
    """The comparison CSV's header ("": no column)."""
    integer: bool = False
    percent: bool = False
    """A share or a rate of change: a fraction in the core and on the command line, a percent
    in links, page boxes and the CSV."""
    box: str = ""
    """The Compare page box it is drawn in ("": drawn by the page part that owns it)."""
    step: float = 1.0
    format: str | None = "%.0f"
    """The page box's number format (None: a whole-number box)."""
    always_written: bool = False
    """Written in a link even at its default, so a link reads on its own."""
    budget: bool = False
    """Also an input of the Budget page and its link (``bud_key``)."""
    workload: bool = False
    """A field of ``pricing.workload.Workload`` (what the cost engine prices)."""
    flag: str | None = ""
    """The command-line flag ("": ``--`` and the name with dashes; None: none)."""
    required: bool = False
    """The command line needs it (without ``--link``; its help says so)."""

    @property
    def scale(self) -> float:
        """Written units per core unit (100 for a percent)."""
        return 100.0 if self.percent else 1.0

    @property
    def option(self) -> str | None:
        """The command-line flag, or None."""
        if self.flag is None:
            return None
        return self.flag or "--" + self.name.replace("_", "-")

    def written(self, value: float) -> float:
        """A core value as a person writes it (a share 0.4 -> 40), to the 6 decimals a link
        keeps."""
        return round(float(value) * self.scale, 6)

    def core(self, written: float) -> float | int:
        """A checked written value in core units (40 -> 0.4; a whole number when ``integer``)."""
        value = written / self.scale
        return int(value) if self.integer else float(value)

    def clamp(self, written: float) -> tuple[float, list[tuple[str, dict]]]:
        """A finite number in written units, within bounds (whole if ``integer``), rounded to
        the 6 decimals a link keeps; and each problem found, as a ``pricing.reasons.WORDING``
        code and its values, the value used after it among them."""
        value = float(written)
        low, high = float(self.low) * self.scale, float(self.high) * self.scale
        problems: list[tuple[str, dict]] = []
        if value < low:
            value = low
            problems.append(("below", {"low": number_text(low), "used": number_text(value)}))
        elif value > high:
            value = high
            unit = "%" if self.percent else ""
            most = {"high": f"{count(high)}{unit}", "used": number_text(value)}
            problems.append(("above", most))
        if self.integer and not value.is_integer():
            value = float(round(value))
            problems.append(("not_whole", {"used": number_text(value)}))
        return round(value, 6), problems

    def parse(self, raw: str) -> tuple[float | None, list[Problem]]:
        """The number a link's text says, in written units (a share may end in ``%``), or None
        and the problem (``in: '1e400' is not a finite number; used 1500``)."""
        text = raw.strip().replace(" ", "")
        if text.endswith("%") and self.percent:
            text = text[:-1]
        value, problem = parse_number(text)
        if problem is None:
            return value, []
        default = number_text(float(self.default) * self.scale)
        return None, [Problem(self.key, "not_a_number", given=show(raw), why=problem, used=default)]

    def check(self, written: float, given: str) -> tuple[float | int, list[Problem]]:
        """The core value of ``written`` (clamped) and a problem per change, naming the key,
        the value as ``given`` and the value used: ``cached: '150' is above ...; used 100``."""
        used, problems = self.clamp(written)
        quoted = show(given)
        return self.core(used), [Problem(self.key, c, given=quoted, **v) for c, v in problems]

    def text(self, value: float) -> str:
        """A core value as a link writes it (``0.4`` -> ``40``)."""
        return number_text(self.written(value), self.integer)

    @property
    def default_value(self) -> float | int:
        return int(self.default) if self.integer else float(self.default)

    @property
    def bounds_text(self) -> str:
        """The written bounds, as the README and help show them (``0 to 100``)."""
        low, high = self.low * self.scale, self.high * self.scale
        unit = "%" if self.percent else ""
        return f"{number_text(low)}{unit} to {count(high)}{unit}"


WORKLOAD = "workload"
TRAFFIC = "traffic"
SESSION = "session"

# fmt: off
FIELDS: tuple[Field, ...] = (
    Field(
        "requests", "req", 100_000, 0, 1e12, "requests per `per` (a month, or a day)",
        "Requests", "Requests", "requests per month",
        csv="requests_per_month", box="volume", step=1000.0, always_written=True, budget=True,
        workload=True, required=True,
    ),
    Field(
        "input_tokens", "in", 1_500, 0, 10_000_000, "tokens per request", "Input",
        "Input tokens", "input tokens per request",
        csv="input_tokens_per_request", box="tokens", step=100.0, always_written=True,
        budget=True, workload=True, required=True,
    ),
    Field(
        "output_tokens", "out", 300, 0, 1_000_000, "tokens per request", "Output",
        "Output tokens", "output tokens per request",
        csv="output_tokens_per_request", box="tokens", step=50.0, always_written=True,
        budget=True, workload=True, required=True,
    ),
    Field(
        "reasoning_tokens", "rsn", 0, 0, 1_000_000, "tokens per request", "Reasoning",
        "Reasoning tokens", "reasoning tokens per request",
        csv="reasoning_tokens_per_request", box="tokens", step=100.0, budget=True, workload=True,
    ),
    Field(
        "cached_share", "cached", 0, 0, 1, "share of input tokens", "Cached %", "Cached share",
        "share of input tokens that are cache hits", csv="cached_input_share_pct",
        percent=True, box="tokens", step=5.0, format="%.1f", always_written=True, budget=True,
        workload=True,
    ),
    Field(
        "batch_share", "batch", 0, 0, 1, "share of requests", "Batch", "Batch share",
        "share of requests in batch", csv="batch_share_pct", percent=True, box="tiers",
        step=10.0, format="%.1f", budget=True, workload=True,
    ),
    Field(
        "flex_share", "flex", 0, 0, 1, "share of requests", "Flex", "Flex share",
        "share of requests in flex", csv="flex_share_pct", percent=True, box="tiers", step=10.0,
        format="%.1f", budget=True, workload=True,
    ),
    Field(
        "priority_share", "prio", 0, 0, 1, "share of requests", "Priority", "Priority share",
        "share of requests in priority", csv="priority_share_pct", percent=True, box="tiers",
        step=10.0, format="%.1f", budget=True, workload=True,
    ),
    Field(
        "growth", "growth", 0, -0.9, 2.0, "change of requests a month", "Growth %",
        "Monthly growth",
        "monthly growth of requests (0.05 = +5%% a month) for the 12-month total",
        csv="monthly_growth_pct", percent=True, box="growth", step=1.0, format="%.1f",
    ),
    Field(
        "months", "months", 12, 1, 60, "months", "Months", "Horizon",
        "projection horizon in months", integer=True, box="growth", format=None, flag=None,
    ),
)
"""The workload's figures: every page that prices a request shape draws a box for these."""

TRAFFIC_FIELDS: tuple[Field, ...] = (
    Field(
        "retry_share", "retry", 0, 0, 1, "share of requests", "Retries", "Retries",
        "share of requests sent again, in full", csv="retry_share_pct", percent=True,
    ),
    Field(
        "images_per_request", "img", 0, 0, 100, "images per request", "Images per request",
        "Images per request", "images sent with each request", csv="images_per_request",
    ),
    Field(
        "image_width", "imgw", 1024, 1, 65_535, "px", "Image width", "Image width",
        "image width in pixels", integer=True, flag=None,
    ),
    Field(
        "image_height", "imgh", 1024, 1, 65_535, "px", "Image height", "Image height",
        "image height in pixels", integer=True, flag=None,
    ),
    Field(
        "web_search_calls", "web", 0, 0, 100, "calls per request", "Web searches per request",
        "Web searches per request",
        "web search calls per request (priced from the table's fee per 1,000 calls)",
        csv="web_search_calls_per_request",
    ),
    Field(
        "file_search_calls", "file", 0, 0, 100, "calls per request",
        "File searches per request", "File searches per request",
        "file search calls per request (priced from the table's fee per 1,000 calls)",
        csv="file_search_calls_per_request",
    ),
    Field(
        "escalation", "esc", 0.2, 0, 1, "share of requests", "Escalated %", "Escalated %",
        "share of requests to (split) / escalated to (cascade) the second model",
        percent=True, flag=None,
    ),
    Field(
        "currency_rate", "rate", 0, 0, 1e6, "units per USD", "Rate", "Rate",
        "units of the display currency per USD (0: the shipped, dated reference rate)",
        budget=True,
    ),
)
SESSION_FIELDS: tuple[Field, ...] = (
    Field(
        "sessions", "ses", 10_000, 0, 1e10, "sessions per `per` (a month, or a day)", "Sessions",
        "Sessions", "sessions (conversations or agent tasks) per month", csv="sessions_per_month",
        box="session", step=1000.0, always_written=True,
    ),
    Field(
        "prefix_tokens", "pre", 1_000, 0, 10_000_000, "tokens per session", "Prefix",
        "Shared prefix", "shared prefix: system prompt and tool definitions, sent on every turn",
        csv="prefix_tokens", box="session", step=100.0, always_written=True,
    ),
    Field(
        "turns", "turns", 5, 1, 10_000, "turns per session", "Turns (p50)", "Turns",
        "turns per session (the median session)", csv="turns_p50", integer=True,
        box="session", format=None, always_written=True,
    ),
    Field(
        "turns_p10", "turns10", 0, 0, 10_000, "turns per session", "Turns p10", "Turns p10",
        "turns per session, 10th percentile (0: the median, no spread)", csv="turns_p10",
        integer=True, box="spread", format=None,
    ),
    Field(
        "turns_p90", "turns90", 0, 0, 10_000, "turns per session", "Turns p90", "Turns p90",
        "turns per session, 90th percentile (0: the median, no spread)", csv="turns_p90",
        integer=True, box="spread", format=None,
    ),
    Field(
        "turn_input_tokens", "tin", 200, 0, 10_000_000, "tokens per turn", "New input",
        "New input per turn",
        "new input per turn (the user's message or the tool results), median",
        csv="turn_input_tokens_p50", box="session", step=50.0, always_written=True,
    ),
    Field(
        "turn_input_p10", "tin10", 0, 0, 10_000_000, "tokens per turn", "Input p10",
        "New input p10", "new input per turn, 10th percentile (0: the median)",
        csv="turn_input_tokens_p10", box="spread", step=50.0,
    ),
    Field(
        "turn_input_p90", "tin90", 0, 0, 10_000_000, "tokens per turn", "Input p90",
        "New input p90", "new input per turn, 90th percentile (0: the median)",
        csv="turn_input_tokens_p90", box="spread", step=50.0,
    ),
    Field(
        "turn_output_tokens", "tout", 300, 0, 1_000_000, "tokens per turn", "Output",
        "Output per turn", "output per turn (the answer, or the tool calls), median",
        csv="turn_output_tokens_p50", box="session", step=50.0, always_written=True,
    ),
    Field(
        "turn_output_p10", "tout10", 0, 0, 1_000_000, "tokens per turn", "Output p10",
        "Output p10", "output per turn, 10th percentile (0: the median)",
        csv="turn_output_tokens_p10", box="spread", step=50.0,
    ),
    Field(
        "turn_output_p90", "tout90", 0, 0, 1_000_000, "tokens per turn", "Output p90",
        "Output p90", "output per turn, 90th percentile (0: the median)",
        csv="turn_output_tokens_p90", box="spread", step=50.0,
    ),
    Field(
        "turn_reasoning_tokens", "trsn", 0, 0, 1_000_000, "tokens per turn", "Reasoning",
        "Reasoning per turn", "reasoning tokens per turn (billed as output, not re-sent)",
        csv="turn_reasoning_tokens", box="session", step=100.0,
    ),
    Field(
        "turn_gap", "gap", 30, 0, 1e7, "seconds", "Turn gap (s)", "Gap between turns",
        "seconds between a turn's answer and the next request (the cache stays warm when this "
        "is under its lifetime)", csv="turn_gap_seconds", box="cache", step=10.0,
    ),
    Field(
        "session_gap", "sgap", 0, 0, 1e9, "seconds", "Session gap (s)", "Gap between sessions",
        "seconds between sessions (0: the month's sessions spread evenly); under the cache's "
        "lifetime the prefix is shared", csv="session_gap_seconds", box="cache", step=60.0,
    ),
    Field(
        "cache", "cache", 1, 0, 1, "1 on, 0 off", "Caching", "Prompt caching",
        "prompt caching on (1) or off (0)", csv="prompt_caching", integer=True, format=None,
        flag=None,
    ),
    Field(
        "cache_1h", "c1h", 0, 0, 1, "1 on, 0 off", "1-hour cache", "1-hour cache writes",
        "write with the 1-hour lifetime where the model prices one (1) or the 5-minute (0)",
        csv="cache_1h", integer=True, format=None, flag=None,
    ),
    Field(
        "compact_tokens", "ctok", 0, 0, 10_000_000, "input tokens", "Compact at (tokens)",
        "Compaction threshold",
        "summarise the history when a turn's input would exceed this many tokens (0: never)",
        csv="compact_at_tokens", box="compaction", step=1000.0,
    ),
    Field(
        "compact_share", "cpct", 0, 0, 1, "share of the context window", "Compact at (% window)",
        "Compaction threshold", "summarise the history at this share of each model's context "
        "window (0: never; with both, the smaller)", csv="compact_at_window_pct", percent=True,
        box="compaction", step=5.0, format="%.1f",
    ),
    Field(
        "summary_tokens", "sum", 2_000, 0, 1_000_000, "tokens", "Summary", "Summary length",
        "tokens the compacted history is summarised into (an extra call writes them)",
        csv="summary_tokens", box="compaction", step=100.0,
    ),
)
"""A session workload's figures (``scenarios.session``): read when ``shape`` is ``sessions``,
written in a link only then."""

# fmt: on
"""How the requests run and how figures are shown (``scenarios.traffic``, ``scenarios.routing``,
``scenarios.currency``): retries, images per request and their size, tool calls per request,
the routed mix's escalation rate, the display currency's rate (0: the shipped reference rate).
A link writes one only when its part is on (``scenarios.links.compare.traffic_params``)."""


def figures(part: str | None = None) -> dict[str, Field]:
    """The fields by link key: the workload's (``WORKLOAD``), the traffic's (``TRAFFIC``) or
    all. Read at call time, so a field added to the table is seen everywhere."""
    parts = {WORKLOAD: FIELDS, TRAFFIC: TRAFFIC_FIELDS, SESSION: SESSION_FIELDS}
    chosen = parts.get(part) if part else None
    return {f.key: f for f in (chosen or all_fields())}


def all_fields() -> tuple[Field, ...]:
    """Every field, in the table's order: the workload's, the traffic's, the session's."""
    return (*FIELDS, *TRAFFIC_FIELDS, *SESSION_FIELDS)


def by_name() -> dict[str, Field]:
    """Every field by its core name."""
    return {f.name: f for f in all_fields()}


def in_box(box: str) -> list[Field]:
    """The workload (or session) fields the Compare page draws in ``box``, in table order."""
    return [f for f in (*FIELDS, *SESSION_FIELDS) if f.box == box]


def budget_fields() -> list[Field]:
    """The fields of the Budget page and link, in table order."""
    return [f for f in all_fields() if f.budget]
