"""The Tokenize-to-Compare hand-over: the token figures Tokenize counted
(``scenarios.tokens.prompt_counts.Carry``) put into Compare's scenario. Pure (no streamlit).

It lives above both: the scenario is built here, so ``scenarios.tokens`` never imports
``scenarios.scenario``.
"""

from __future__ import annotations

from scenarios.scenario import Scenario
from scenarios.tokens.prompt_counts import Carry


def carry_into(scenario: Scenario | None, carry: Carry) -> Scenario:
    """``scenario`` (Compare's last one; the defaults when None) with only the token counts
    replaced: requests, tiers, models, baseline, name, date and the rest stay."""
    changes: dict[str, float] = {"input_tokens": carry.input_tokens}
    if carry.output_tokens is not None:
        changes["output_tokens"] = carry.output_tokens
    return (scenario or Scenario()).with_values(**changes)


def sessions_into(scenario: Scenario | None, measured: dict) -> Scenario:
    """``scenario`` (Compare's last one; the defaults when None) as a session workload with
    the measured session fields (``scenarios.tokens.transcripts.session_fields``): the
    sessions per month, models, tiers, date and the rest stay."""
    return (scenario or Scenario()).with_values(shape="sessions", **measured)


def sessions_scenario(measured: dict, models: list[str], as_of) -> Scenario:
    """A session scenario of the measured fields on ``models`` (none: the default models of
    ``as_of``), for a link: built the one way a scenario is (``scenario.complete``)."""
    from pricing.catalog import load_catalog
    from scenarios.scenario import complete

    values = {**measured, "shape": "sessions", "as_of": as_of}
    return complete(values, models, None, load_catalog(), [])
