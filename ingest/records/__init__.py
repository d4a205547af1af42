"""Curated records: CSV files in ``data/records/``, validated row by row and as a whole.

The format is documented field by field in ``docs/records.md``.
"""

from .load import Problem, RecordError, RecordSet, Row, load_records, require_records
from .models import MODELS

__all__ = ["MODELS", "Problem", "RecordError", "RecordSet", "Row", "load_records", "require_records"]
