"""Reusable widgets; the small shared helpers of :mod:`ui.widgets.common` are re-exported here."""

from ui.widgets.common import (
    ViolationList,
    fit_columns,
    fmt_date,
    heading,
    scrolled,
    show_error,
    violation_details,
    violation_text,
)

__all__ = ["ViolationList", "fit_columns", "fmt_date", "heading", "scrolled", "show_error", "violation_details", "violation_text"]
