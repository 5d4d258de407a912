"""The price table's error for malformed data, below every module that reads a data file."""

from __future__ import annotations

from pricing.datafile import DataFileError


class PriceDataError(DataFileError):
    """A price file is malformed. The message names the file, the model and the field."""
