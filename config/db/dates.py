"""Partial dates: the one representation Parley uses for every date it stores.

A partial date is an ISO prefix, `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. Its length is its precision,
and it covers an interval: `2025-03` runs from 2025-03-01 to 2025-03-31. Models store the prefix
beside the interval's two ends so that range filters are plain indexed comparisons.
"""

import calendar
import datetime
import re

from django.core.exceptions import ValidationError

# [0-9], not \d: \d also matches other scripts' digits ("٢٠٢٤"), which int() would then accept
PARTIAL_DATE_RE = re.compile(
    r"^(?P<year>[0-9]{4})(?:-(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?)?$"
)


def parse_partial_date(value: str) -> tuple[datetime.date, datetime.date, str]:
    """Return (earliest, latest, precision) for a partial date; ValueError says what is wrong."""
    match = PARTIAL_DATE_RE.match(value or "")
    if not match:
        raise ValueError(f"{value!r} is not a partial date: use YYYY, YYYY-MM or YYYY-MM-DD")
    year = int(match["year"])
    if year < 1:
        raise ValueError(f"{value!r} has no year 0")
    if match["month"] is None:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31), "year"
    month = int(match["month"])
    if not 1 <= month <= 12:
        raise ValueError(f"{value!r} has no month {month}")
    last_day = calendar.monthrange(year, month)[1]
    if match["day"] is None:
        return datetime.date(year, month, 1), datetime.date(year, month, last_day), "month"
    day = int(match["day"])
    if not 1 <= day <= last_day:
        raise ValueError(f"{value!r} has no day {day}")
    on = datetime.date(year, month, day)
    return on, on, "day"


def validate_partial_date(value: str) -> None:
    """Model-field validator wrapping parse_partial_date."""
    try:
        parse_partial_date(value)
    except ValueError as error:
        raise ValidationError(
            "%(reason)s", code="invalid_partial_date", params={"reason": str(error)}
        ) from error
