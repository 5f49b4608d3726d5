"""What the results package raises::

    ResultsError (ValueError)
    ├── MixedUnitsError   word and character counts handed to one pooled rate
    └── RowError          a row lacks a column its table requires

A run or database the user named that does not exist is a `harness.core.errors.UsageError` (one line).
"""

from __future__ import annotations


class ResultsError(ValueError):
    """Base class of the results package's own errors."""


class MixedUnitsError(ResultsError):
    """A WER and a CER cannot be pooled into one rate."""


class RowError(ResultsError):
    """A row handed to a table lacks a column the table requires."""
