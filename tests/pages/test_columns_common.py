"""The shared column formats: price and money columns hold numbers shown in dollars with one
number of decimals per column, human labels, the model pinned wide enough for its name."""

from __future__ import annotations

import pandas as pd

from app_pages import common


def test_price_columns_keep_every_written_digit_with_one_format_per_column():
    frame = pd.DataFrame({"input": [0.1, 2.5, 0.0375], "output": [0.4, 10.0, 0.15]})
    config = common.price_column_config(frame)
    # 0.0375 needs four decimals: $0.1000, $2.5000, $0.0375 (not "$0.1" and "$2.5" of "%g")
    assert config["input"]["type_config"]["format"] == "$%.4f"
    assert config["output"]["type_config"]["format"] == "$%.2f"  # $0.40, $10.00, $0.15
    assert config["input"]["label"] == "Input"
    assert config["batch_cached_input"]["label"] == "Batch cached input"
    assert config["batch_cached_input"]["type_config"]["format"] == "$%.4f"  # no data: 4
    assert config["long_context_threshold"]["label"] == "Long context above (tokens)"
    assert config["max_output_tokens"]["label"] == "Max output tokens"


def test_money_column_decimals_follow_the_smallest_amount():
    total = common.money_column("Total, USD / month", [12.5, 0.41])["type_config"]
    assert (total["format"], total["step"]) == ("dollar", 0.01)  # $12.50, $0.41
    # $0.0042 needs two significant digits: four decimals for the whole column
    assert common.money_column("Per request, USD", [0.0042, 1.0])["type_config"]["step"] == (0.0001)


def test_amount_column_in_another_currency_has_thousands_separators_and_column_decimals():
    # EUR 1,234,567.89 a month: "accounting" groups the thousands (a printf "%.2f" did not)
    total = common.amount_column("Total, EUR / month", [1_234_567.891, 10.0])["type_config"]
    assert (total["format"], total["step"]) == ("accounting", 0.01)
    # EUR 0.00039 a request needs two significant digits: five decimals for the whole column
    small = common.amount_column("EUR/request", [0.00039, 0.5])["type_config"]
    assert small["step"] == 0.00001
