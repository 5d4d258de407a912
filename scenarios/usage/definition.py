"""The one definition of reading, checking and aggregating usage rows, written once in SQL.

``Definition`` is a query in DuckDB's dialect over a relation ``usage_source`` whose columns are
``USAGE_COLUMNS`` (text or typed, as the file holds them) plus ``row``, ``problem`` (a reader's
reason the row is unreadable) and ``audio_tokens``. It gives every row the first reason it
cannot be priced (missing value, bad value: the checks of ``scenarios.usage.check`` that need no
price table) or its group key: day, model name, tier (standard, batch, flex, priority) and
long-context bracket (which side of every long-context threshold its input tokens per request
fall). Values are parsed once per row (counts, date) and keys once per distinct value (model,
batch, service tier): rows are summed per key as read first, and the key checks run on those
sums (see ``Definition``). ``groups_sql`` sums rows per key and per reason; ``sample_sql`` lists
the first unpriced rows, values as read, re-checking only the rows of the models that have
unpriced groups. The price-table checks (unknown
model, date before the model existed, tier not offered) apply to the few groups afterwards
(``scenarios.usage.check.catalog_flags``), and pricing the groups stays in ``pricing.cost``.

Every engine runs that same text over a source bound as ``usage_source``
(``scenarios.usage.binding``): DuckDB (``scenarios.usage.duckdb_engine``, the default), Apache
Spark (``scenarios.usage.spark_engine``) or a warehouse (``scenarios.usage.warehouse_engine``),
the last two through sqlglot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from scenarios.usage.check import (
    FIRST_DATE,
    LAST_DATE,
    MAX_PER_ROW,
    MAX_PER_ROW_WHY,
    REASON_BAD,
    REASON_MISSING,
    REASON_TIER,
    day_number,
)
from scenarios.usage.columns import USAGE_COLUMNS

SOURCE = "usage_source"
"""The relation the definition reads: ``SOURCE_COLUMNS``."""

VALUE_COLUMNS = (*USAGE_COLUMNS, "problem", "audio_tokens")
"""The columns of ``usage_source`` that hold a row's values (``row`` aside)."""

SOURCE_COLUMNS = ("row", *VALUE_COLUMNS)


TRUE_TEXT = ("true", "t", "1", "yes", "y", "batch", "1.0")
FALSE_TEXT = ("false", "f", "0", "no", "n", "none", "null", "0.0", "")
STANDARD_TIERS = ("default", "auto", "standard", "on_demand", "")
"""``service_tier`` values billed at standard rates (OpenAI reports ``default``)."""
TIER_CODES = ("standard", "batch", "flex", "priority")

_MAX_DOUBLE = "1.7976931348623157e308"
"""Finite doubles are at most this; NaN sorts above every number in DuckDB and Spark alike, so
``x <= max`` is false for NaN and infinity."""

MAX_REPORTED = 1e9
"""A reported cost above this (USD, one row) is not read as one: counted as unreadable."""

REPORTED_SUMS = {
    "reported_cost": "v_reported",
    "reported_rows": "reported_ok",
    "reported_bad_rows": "reported_bad",
}
"""What ``groups_sql`` sums of the reported cost: the readable amounts, the rows that have one,
and the rows whose value is not a readable amount (negative, not a number, above
``MAX_REPORTED``)."""

_COUNTS = ("input_tokens", "cached_input_tokens", "cache_write_tokens", "output_tokens", "requests")

KINDS = ("text", "number", "date", "timestamp", "bool", "absent")
"""What a source column holds: decided once per source from its type, so a typed Parquet
column is read as it is and text is parsed."""


def _lit(text: str) -> str:
    """A SQL text literal."""
    return "'" + text.replace("'", "''") + "'"


def text_list(values: Sequence[str]) -> str:
    """SQL text literals, comma-separated (the items of an ``IN`` list)."""
    return ", ".join(_lit(v) for v in values)


@dataclass(frozen=True)
class Definition:
    """The SQL of one run: the long-context thresholds of the price table (for the bracket) and
    the kind of each source column.

    It has two stages, so that each value is parsed once and each key once per distinct key:

    * **per row** (``_row_stage``): the counts parsed, the first count check a row fails (as a
      small ``code``), the day (an ISO date takes one cast; other text the full parse), the
      long-context bracket; the other keys (model, batch, service tier, a reader's problem) as
      read;
    * **per key** (``_key_stage``): the model name trimmed, the tier and its check, and the
      reason, in the fixed order of ``scenarios.usage.check``. ``groups_sql`` runs it on the
      rows already summed per distinct key (a few thousand for a year of usage), ``sample_sql``
      on the rows it lists."""

    thresholds: tuple[float, ...]
    kinds: Mapping[str, str] = field(default_factory=dict)

    def kind(self, column: str) -> str:
        return self.kinds.get(column, "text")

    # -- per-row expressions ---------------------------------------------------------------

    def _text(self, column: str) -> str:
        return f"TRIM(CAST({column} AS VARCHAR))"

    def _present(self, column: str, parsed: str | None = None, name: str | None = None) -> str:
        """Whether ``column`` (read as ``name``, by default its own name) holds a value;
        ``parsed`` (its value as a number or date, NULL where it is not one) decides first, so
        only values that do not parse are trimmed."""
        kind = self.kind(column)
        name = name or column
        if kind == "absent":
            return "FALSE"
        if kind != "text":
            return f"({name} IS NOT NULL)"
        written = f"({name} IS NOT NULL AND {self._text(name)} <> '')"
        if parsed is None:
            return written
        return f"(CASE WHEN {parsed} IS NOT NULL THEN TRUE ELSE {written} END)"

    def _number(self, column: str) -> str:
        """``column`` as a double, NULL where it is not a number (a cast ignores surrounding
        spaces, in DuckDB and Spark alike)."""
        kind = self.kind(column)
        if kind in ("absent", "bool"):  # true/false is not a count
            return "CAST(NULL AS DOUBLE)"
        if kind == "number":
            return f"CAST({column} AS DOUBLE)"
        return f"TRY_CAST(CAST({column} AS VARCHAR) AS DOUBLE)"

    def _day_columns(self) -> list[tuple[str, str]]:
        """The date in stages, each expression written once (an engine that inlines columns,
        as Spark's optimiser does, then has no copies to multiply): ``d_fast`` (a ten-character
        ISO date, one cast), ``d_num`` (the text as a number, only where it is not such a
        date), ``d_compact`` (a ``YYYYMMDD`` number read as a date), then ``raw_day`` (days since
        1970-01-01, UTC). Other text is an ISO date or time (an offset converted to UTC), else
        a number: Unix seconds, or a ``YYYYMMDD`` calendar date (see ``scenarios.usage.check``)."""
        kind = self.kind("date")
        epoch = "DATE '1970-01-01'"
        if kind == "absent":
            return [("raw_day", "CAST(NULL AS BIGINT)")]
        if kind in ("date", "timestamp"):
            return [("raw_day", f"DATE_DIFF('day', {epoch}, CAST(date AS DATE))")]
        n = "d_num"
        is_compact = f"{n} = FLOOR({n}) AND {n} >= 19700101 AND {n} <= 21001231"
        t = f"CAST(CAST({n} AS BIGINT) AS VARCHAR)"
        compact = (
            f"CASE WHEN {is_compact} THEN TRY_CAST(SUBSTRING({t}, 1, 4) || '-' || "
            f"SUBSTRING({t}, 5, 2) || '-' || SUBSTRING({t}, 7, 2) AS DATE) END"
        )
        from_number = (
            f"CASE WHEN d_compact IS NOT NULL THEN DATE_DIFF('day', {epoch}, d_compact) "
            f"ELSE FLOOR({n} / 86400) END"
        )
        if kind == "number":
            return [
                ("d_num", self._number("date")),
                ("d_compact", compact),
                ("raw_day", f"CASE WHEN {n} IS NOT NULL THEN {from_number} END"),
            ]
        text = self._text("date")
        written = "CAST(date AS VARCHAR)"
        fast = f"CASE WHEN LENGTH({written}) = 10 THEN TRY_CAST({written} AS DATE) END"
        parsed = f"CAST(TRY_CAST({text} AS TIMESTAMPTZ) AS DATE)"
        return [
            ("d_fast", fast),
            ("d_num", f"CASE WHEN d_fast IS NULL THEN TRY_CAST({text} AS DOUBLE) END"),
            ("d_compact", f"CASE WHEN d_fast IS NULL THEN {compact} END"),
            (
                "raw_day",
                f"CASE WHEN d_fast IS NOT NULL THEN DATE_DIFF('day', {epoch}, d_fast) "
                f"WHEN {n} IS NOT NULL THEN {from_number} "
                f"ELSE DATE_DIFF('day', {epoch}, {parsed}) END",
            ),
        ]

    def _count_checks(self) -> list[tuple[str, str]]:
        """The checks of counts, in order, each (condition, reason): the row's ``code`` is the
        position of the first it fails (1-based). Reasons 1-2 come before the date's check,
        ``_MIDDLE`` before the tier's, the rest after it (the order of
        ``scenarios.usage.check``)."""

        def ok(column: str) -> str:
            return f"COALESCE(n_{column} >= 0 AND n_{column} <= {_MAX_DOUBLE}, FALSE)"

        checks = [
            (f"NOT p_{c}", f"{REASON_MISSING}: {c}") for c in ("input_tokens", "output_tokens")
        ]
        for column in _COUNTS:
            checks.append(
                (
                    f"p_{column} AND NOT {ok(column)}",
                    f"{REASON_BAD}: {column} (not a non-negative number)",
                )
            )
            checks.append(
                (
                    f"p_{column} AND n_{column} > {MAX_PER_ROW:.0f}",
                    f"{REASON_BAD}: {column} above 10^15 a row ({MAX_PER_ROW_WHY})",
                )
            )
        checks += [
            ("v_cached > v_input", f"{REASON_BAD}: cached_input_tokens above input_tokens"),
            (
                "v_cached + v_write > v_input",
                f"{REASON_BAD}: cached_input_tokens + cache_write_tokens above input_tokens",
            ),
            (
                "p_requests AND v_file_requests = 0 AND v_input + v_output > 0",
                f"{REASON_BAD}: requests is 0 but tokens are not",
            ),
        ]
        return checks

    def _row_stage(self, with_values: bool = False, source: str = SOURCE) -> str:
        """One row per source row: ``row``, the keys as read (``model``, ``batch``,
        ``service_tier``, ``problem``), ``p_date``, ``day`` (NULL where not a date in range),
        ``code`` (the first count check failed, NULL where none), ``bracket``, the counts
        (0 where not readable: ``requests`` as priced, ``v_file_requests`` as the file states)
        and ``no_requests``; with ``with_values`` also the values as read (``v_<column>``)."""
        day_columns = self._day_columns()
        parsed = ["row", "problem", "date", "model", "batch", "service_tier"]
        parsed += [f"{c} AS r_{c}" for c in _COUNTS]
        for column in _COUNTS:
            parsed.append(f"{self._number(column)} AS n_{column}")
        parsed.append(f"COALESCE({self._number('audio_tokens')}, 0) AS n_audio")
        reported = self.kind("reported_cost") != "absent"
        if reported:
            parsed += [
                "reported_cost AS r_reported_cost",
                f"{self._number('reported_cost')} AS n_reported_cost",
            ]
        if with_values:
            parsed += [
                f"CAST({c} AS VARCHAR) AS v_{c}" if self.kind(c) != "absent" else f"NULL AS v_{c}"
                for c in USAGE_COLUMNS
            ]
        present = [f"{self._present(c, f'n_{c}', f'r_{c}')} AS p_{c}" for c in _COUNTS]
        first_day = "d_fast" if self.kind("date") == "text" else None
        present.append(f"{self._present('date', first_day)} AS p_date")
        if reported:
            present.append(
                f"{self._present('reported_cost', 'n_reported_cost', 'r_reported_cost')} "
                "AS p_reported_cost"
            )

        def value(column: str) -> str:
            """The count as far as readable: 0 where absent, bad or above the row limit."""
            return (
                f"CASE WHEN n_{column} >= 0 AND n_{column} <= {MAX_PER_ROW:.0f} "
                f"THEN n_{column} ELSE 0 END"
            )

        stages = [f"parsed AS (SELECT {', '.join(parsed)} FROM {source})"]
        previous = "parsed"
        for number, (name, expression) in enumerate(day_columns):
            stages.append(f"day_{number} AS (SELECT *, {expression} AS {name} FROM {previous})")
            previous = f"day_{number}"
        first, last = day_number(FIRST_DATE), day_number(LAST_DATE)
        stages.append(
            f"dated AS (SELECT *, {', '.join(present)}, "
            f"CASE WHEN raw_day >= {first} AND raw_day <= {last} "
            "THEN CAST(raw_day AS BIGINT) END AS day, "
            f"{value('input_tokens')} AS v_input, {value('cached_input_tokens')} AS v_cached, "
            f"{value('cache_write_tokens')} AS v_write, {value('output_tokens')} AS v_output, "
            f"{value('requests')} AS v_file_requests "
            f"FROM {previous})"
        )
        stages.append(
            "counted AS (SELECT *, CASE WHEN p_requests THEN v_file_requests ELSE 1 END "
            "AS requests FROM dated)"
        )
        first_failed = (
            "CASE "
            + " ".join(
                f"WHEN {condition} THEN {number}"
                for number, (condition, _) in enumerate(self._count_checks(), start=1)
            )
            + " END"
        )
        # Most rows pass every check: one conjunction says so (true only where no check fails;
        # false or NULL sends the row to the checks in order, which decide).
        limit = f"{MAX_PER_ROW:.0f}"
        passes = [f"n_{c} >= 0 AND n_{c} <= {limit}" for c in ("input_tokens", "output_tokens")] + [
            f"(NOT p_{c} OR (n_{c} >= 0 AND n_{c} <= {limit}))"
            for c in ("cached_input_tokens", "cache_write_tokens", "requests")
        ]
        passes += [
            "v_cached + v_write <= v_input",
            "(NOT p_requests OR v_file_requests <> 0 OR v_input + v_output <= 0)",
        ]
        code = f"CASE WHEN {' AND '.join(passes)} THEN NULL ELSE {first_failed} END"
        per_request = "CASE WHEN requests > 0 THEN v_input / requests ELSE 0 END"
        stages.append(
            f"checked AS (SELECT *, {code} AS code, {per_request} AS per_request FROM counted)"
        )
        # How many thresholds the request is above (most are at or under the lowest: one test).
        thresholds = sorted(self.thresholds)
        bracket = (
            "CASE "
            + " ".join(f"WHEN per_request <= {t!r} THEN {k}" for k, t in enumerate(thresholds))
            + f" ELSE {len(thresholds)} END"
            if thresholds
            else "0"
        )
        values = ", v_" + ", v_".join(USAGE_COLUMNS) if with_values else ""
        if reported:  # a reported cost is read where it is a sane amount, counted bad elsewhere
            ok = f"COALESCE(n_reported_cost >= 0 AND n_reported_cost <= {MAX_REPORTED:.0f}, FALSE)"
            reported_columns = (
                f", CASE WHEN {ok} THEN n_reported_cost ELSE 0 END AS v_reported, "
                f"CASE WHEN {ok} THEN 1 ELSE 0 END AS reported_ok, "
                f"CASE WHEN p_reported_cost AND NOT {ok} THEN 1 ELSE 0 END AS reported_bad"
            )
        else:
            reported_columns = ", 0 AS v_reported, 0 AS reported_ok, 0 AS reported_bad"
        return (
            f"WITH {', '.join(stages)} "
            "SELECT row, problem, model, batch, service_tier, date, p_date, day, code, "
            f"{bracket} AS bracket, requests, v_file_requests, v_input, v_cached, v_write, "
            "v_output, n_audio, CASE WHEN p_requests THEN 0 ELSE 1 END AS no_requests"
            f"{reported_columns}{values} FROM checked"
        )

    # -- per-key expressions ---------------------------------------------------------------

    def _flag(self, column: str) -> str:
        kind = self.kind(column)
        if kind == "bool":
            return f"CASE WHEN {column} THEN 'true' ELSE 'false' END"
        if kind == "absent":
            return "''"
        return f"LOWER(COALESCE({self._text(column)}, ''))"

    def _tier(self) -> tuple[str, str]:
        """(tier code, bad-value reason or NULL) from ``batch`` and ``service_tier``."""
        batch = self._flag("batch")
        tier = self._flag("service_tier")
        code = (
            f"CASE WHEN {batch} IN ({text_list(TRUE_TEXT)}) THEN 'batch' "
            f"WHEN {tier} = 'flex' THEN 'flex' WHEN {tier} = 'priority' THEN 'priority' "
            f"WHEN {tier} = 'batch' THEN 'batch' ELSE 'standard' END"
        )
        known = text_list((*STANDARD_TIERS, "flex", "priority", "batch"))
        bad = (
            f"CASE WHEN NOT ({batch} IN ({text_list(TRUE_TEXT + FALSE_TEXT)})) "
            f"THEN {_lit(f'{REASON_BAD}: batch (not true/false)')} "
            f"WHEN {tier} = 'scale' "
            f"THEN {_lit(f'{REASON_TIER}: scale tier (billed in committed units, not per token)')} "
            f"WHEN NOT ({tier} IN ({known})) "
            f"THEN {_lit(f'{REASON_BAD}: service_tier (not default, flex, priority or batch)')} END"
        )
        return code, bad

    def _key_stage(self, relation: str, columns: str) -> str:
        """``columns`` of ``relation`` (the row stage, summed or not) with ``model_key``,
        ``tier`` and ``reason`` (NULL when priceable as far as the price table is not needed)."""
        tier, bad_tier = self._tier()
        model_key = (
            "TRIM(CAST(model AS VARCHAR))"
            if self.kind("model") != "absent"
            else "CAST(NULL AS VARCHAR)"
        )
        checks = self._count_checks()
        text = (
            "CASE code "
            + " ".join(f"WHEN {n} THEN {_lit(r)}" for n, (_, r) in enumerate(checks, start=1))
            + " END"
        )
        middle = 2 + 2 * len(_COUNTS)
        reason = (
            "CASE "
            f"WHEN problem IS NOT NULL THEN {_lit(f'{REASON_BAD}: ')} || CAST(problem AS VARCHAR) "
            f"WHEN NOT p_date THEN {_lit(f'{REASON_MISSING}: date')} "
            f"WHEN NOT ({self._present('model')}) THEN {_lit(f'{REASON_MISSING}: model')} "
            f"WHEN code <= 2 THEN {text} "
            "WHEN day IS NULL THEN "
            + _lit(
                f"{REASON_BAD}: date (not an ISO date or Unix time in seconds, "
                f"{FIRST_DATE.year} to {LAST_DATE.year})"
            )
            + f" WHEN code <= {middle} THEN {text} "
            "WHEN bad_tier IS NOT NULL THEN bad_tier "
            f"WHEN code IS NOT NULL THEN {text} END"
        )
        return (
            f"SELECT {columns}, model_key, tier, {reason} AS reason FROM (SELECT *, "
            f"{model_key} AS model_key, {tier} AS tier, {bad_tier} AS bad_tier "
            f"FROM {relation}) AS keyed_rows"
        )

    def groups_sql(self) -> str:
        """Rows summed per (day, model name, tier, bracket) where priceable, per reason where
        not: ``reason``, the key (NULL on unpriced groups), ``rows``, ``requests`` (as priced: 1
        where the file has no count), ``file_requests`` (as the file states), the token sums
        and ``audio_tokens``. The rows are summed per distinct key as read first, then the
        keys are checked, then summed again per reason and key."""
        # A grouped sum costs per row, and so does each key: a column the source does not
        # have is neither a key nor summed, requests as priced are the file's plus one per row
        # without a count (summed once), and the day, the row's code, bracket and whether it
        # has a date travel as one number (day * 1024 + code * 32 + bracket * 2 + has date).
        if len(self.thresholds) >= 16:
            raise ValueError("at most 15 long-context thresholds (the bracket is 4 bits)")
        read = [
            c for c in ("problem", "model", "batch", "service_tier") if self.kind(c) != "absent"
        ]
        # A date column (a day, not a time) is a key as read: its day is worked out per key.
        by_date = self.kind("date") == "date"
        packed = (
            "COALESCE(day, -1) * 1024 + COALESCE(code, 0) * 32 + bracket * 2 "
            "+ CASE WHEN p_date THEN 1 ELSE 0 END"
        )
        if by_date:
            read.append("date")
            packed = "COALESCE(code, 0) * 32 + bracket * 2"
        has = {c: self.kind(c) != "absent" for c in (*_COUNTS, "audio_tokens", "reported_cost")}
        summed_columns = [
            ("file_requests", "v_file_requests", has["requests"]),
            ("input_tokens", "v_input", has["input_tokens"]),
            ("cached_input_tokens", "v_cached", has["cached_input_tokens"]),
            ("cache_write_tokens", "v_write", has["cache_write_tokens"]),
            ("output_tokens", "v_output", has["output_tokens"]),
            ("audio_tokens", "n_audio", has["audio_tokens"]),
            ("no_requests", "no_requests", has["requests"]),
            *((name, v, has["reported_cost"]) for name, v in REPORTED_SUMS.items()),
        ]
        summed = (
            f"SELECT {', '.join(read) + ', ' if read else ''}{packed} AS packed, COUNT(*) AS rows"
            + "".join(f", SUM({v}) AS {name}" for name, v, kept in summed_columns if kept)
            + f" FROM ({self._row_stage()}) AS checked_rows "
            f"GROUP BY {', '.join(str(i) for i in range(1, len(read) + 2))}"
        )
        constant = [
            f"CAST(NULL AS VARCHAR) AS {c}"
            for c in ("problem", "model", "batch", "service_tier")
            if c not in read
        ]
        if by_date:
            first, last = day_number(FIRST_DATE), day_number(LAST_DATE)
            raw_day = "DATE_DIFF('day', DATE '1970-01-01', CAST(date AS DATE))"
            constant.append(
                f"(date IS NOT NULL) AS key_has_date, CASE WHEN {raw_day} >= {first} AND "
                f"{raw_day} <= {last} THEN CAST({raw_day} AS BIGINT) END AS key_day"
            )
        constant += [
            f"CAST({'rows' if name == 'no_requests' else 0} AS DOUBLE) AS {name}"
            for name, _, kept in summed_columns
            if not kept
        ]
        day_part = "FLOOR(packed / 1024)"
        rest = f"CAST(packed - {day_part} * 1024 AS BIGINT)"
        day, has_date = (
            ("key_day", "key_has_date")
            if by_date
            else (
                f"CASE WHEN {day_part} >= 0 THEN CAST({day_part} AS BIGINT) END",
                f"{rest} % 2 = 1",
            )
        )
        unpacked = (
            f"SELECT *, file_requests + no_requests AS requests, "
            f"{day} AS day, {has_date} AS p_date, "
            f"CAST(FLOOR({rest} / 2) AS BIGINT) % 16 AS bracket, "
            f"NULLIF(CAST(FLOOR({rest} / 32) AS BIGINT), 0) AS code "
            f"FROM (SELECT *{''.join(', ' + c for c in constant)} FROM ({summed}) AS summed_keys) "
            "AS constants"
        )
        by_key = unpacked
        sums = (
            "rows",
            "requests",
            "file_requests",
            "input_tokens",
            "cached_input_tokens",
            "cache_write_tokens",
            "output_tokens",
            "audio_tokens",
            "no_requests",
            *REPORTED_SUMS,
        )
        keyed = self._key_stage(
            f"({by_key}) AS key_sums", ", ".join(("day", "bracket", "model", *sums))
        )
        key = [
            f"CASE WHEN reason IS NULL THEN {c} END AS {c}"
            for c in ("day", "model_key", "tier", "bracket")
        ]
        return (
            f"SELECT reason, {', '.join(key)}, CAST(model AS VARCHAR) AS model_read, "
            + ", ".join(f"SUM({c}) AS {c}" for c in sums)
            + f" FROM ({keyed}) AS checked_keys GROUP BY 1, 2, 3, 4, 5, 6"
        )

    def sample_sql(
        self,
        flagged: Sequence[tuple[int, str, str, str]],
        limit: int,
        models: Sequence[str | None] | None = None,
        per_reason: int | None = None,
        prefix: int | None = None,
        numbered: bool = False,
    ) -> str:
        """The first ``limit`` unpriced rows, values as read, with their reason; ``flagged``:
        (day, model name, tier, reason) of the groups the price table cannot price.
        ``models``: the model names as read (``model_read`` of ``groups_sql``) of every
        unpriced group, where known: only rows of those models are then checked again, so
        listing a few unpriced rows of a large file costs one cheap pass, not a second full
        check. ``per_reason``: at most the first this many rows of each reason. ``prefix``:
        only the source's first this many rows, in the order it reads them (an engine whose
        scan keeps the file's order stops reading there: the rows listed are then exactly
        those of the whole file wherever the prefix holds each reason's quota). ``numbered``:
        the source's rows carry their own numbers (a Parquet file's), so the prefix is the rows
        numbered up to it, a filter its reader can push into the scan."""
        if flagged:  # one VALUES list: planning it is linear (a UNION ALL per group was not)
            rows = ", ".join(
                f"({int(d)}, {text_list([m])}, {text_list([t])}, {text_list([r])})"
                for d, m, t, r in flagged
            )
            values = (
                f"SELECT * FROM (VALUES {rows}) AS flagged_groups(f_day, f_model, f_tier, f_reason)"
            )
        else:
            values = (
                "SELECT CAST(NULL AS BIGINT) AS f_day, CAST(NULL AS VARCHAR) AS f_model, "
                "CAST(NULL AS VARCHAR) AS f_tier, CAST(NULL AS VARCHAR) AS f_reason "
                "FROM (SELECT 1 AS one) AS nothing WHERE 1 = 0"
            )
        source = SOURCE
        if prefix is not None:
            first = f"WHERE row <= {int(prefix)}" if numbered else f"LIMIT {int(prefix)}"
            source = f"(SELECT * FROM {SOURCE} {first}) AS first_rows"
        if models is not None:
            named = [m for m in models if m is not None]
            # A text column is compared as it is, so a Parquet reader can filter in its scan.
            column = "model" if self.kind("model") == "text" else "CAST(model AS VARCHAR)"
            test = [f"{column} IN ({text_list(named)})"] if named else []
            test += ["model IS NULL"] if len(named) < len(models) else []
            source = f"(SELECT * FROM {source} WHERE {' OR '.join(test) or 'FALSE'}) AS candidates"
        rows = self._row_stage(with_values=True, source=source)
        keyed = self._key_stage(
            f"({rows}) AS checked_rows",
            ", ".join(("row", "day", *(f"v_{c}" for c in USAGE_COLUMNS))),
        )
        columns = ", ".join(f"c.v_{c} AS {c}" for c in USAGE_COLUMNS)
        listed = (
            f"SELECT c.row AS row, {columns}, COALESCE(c.reason, f.f_reason) AS reason, "
            "c.day AS day "
            f"FROM ({keyed}) AS c LEFT JOIN ({values}) AS f "
            "ON c.reason IS NULL AND c.day = f.f_day AND c.model_key = f.f_model "
            "AND c.tier = f.f_tier "
            "WHERE c.reason IS NOT NULL OR f.f_reason IS NOT NULL"
        )
        names = ", ".join(("row", *USAGE_COLUMNS, "reason", "day"))
        if per_reason is not None:
            listed = (
                f"SELECT {names} FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY reason "
                f"ORDER BY row) AS in_reason FROM ({listed}) AS unpriced_rows) AS numbered "
                f"WHERE in_reason <= {int(per_reason)}"
            )
        return f"SELECT {names} FROM ({listed}) AS listed ORDER BY row LIMIT {int(limit)}"
