"""Date phrases resolved to the interval the text supports, against the publication date.

"On Tuesday" in a report of Wednesday 2024-11-20 is 2024-11-19; "last week" is the Monday to
Sunday before the report's week; "earlier this month" runs from the 1st to the day before the
report; "last May" is the most recent May before the report's month; "in March" is a month,
never a day. What already happened never ends after the publication; what is planned may. A
phrase that gives no date ("recently", "in recent weeks") gives none: no date beats a guessed
one.

A report known only to its month (`precision="month"`) resolves each relative phrase for its
first and its last possible day and keeps the interval covering both and the month itself, so
the result is never more precise than what is known.

dateparser reads a phrase as one point in time ("last week" → seven days ago), which is more
precise than the text; the intervals here are the codebook's (fixtures/README.md, "Dates").
"""

import calendar
import datetime
import re
from dataclasses import dataclass, replace

from config.db.dates import parse_partial_date

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}
MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
WEEKDAY = r"(?P<weekday>" + "|".join(WEEKDAYS) + r")"
YEAR = r"(?P<year>(?:19|20)\d\d)"
DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"

PATTERNS = [
    # "February 14-16", "on February 5, 2025", "Nov 20"
    (
        "month_day",
        re.compile(
            rf"\b{MONTH}\s+{DAY}(?:\s*[-–]\s*(?P<day_end>[0-3]?\d))?(?:,?\s+{YEAR})?\b", re.I
        ),
    ),
    # "5 February", "14-16 February 2025"
    (
        "day_month",
        re.compile(
            rf"\b{DAY}(?:\s*[-–]\s*(?P<day_end>[0-3]?\d))?\s+{MONTH}(?:,?\s+{YEAR})?\b", re.I
        ),
    ),
    # "last May", "this January", "in March 2022", "early June"
    (
        "month",
        re.compile(
            rf"\b(?P<which>last|this|next|in|since|by|until|early|late|mid-?|from|of|during)?\s*"
            rf"{MONTH}(?:\s+{YEAR})?\b",
            re.I,
        ),
    ),
    (
        "relative",
        re.compile(
            r"\b(?P<phrase>earlier this (?:week|month|year)|later this (?:week|month|year)|"
            r"(?:at |by |before )?the (?:end|start|beginning|middle) of "
            r"(?:last|this|next|the) (?:week|month|year)|"
            r"(?:within|in) (?:the next )?(?:a|an|one|two|three|four|five|six|\d+) "
            r"(?:days?|weeks?|months?)(?! of\b)|"
            r"(?:last|this|next|past) (?:week|month|year)|today|yesterday|tomorrow|tonight|"
            r"this morning|this afternoon|this evening|overnight|last night|"
            r"(?:over|at|during) the weekend|(?:last|this|next) weekend|"
            r"(?:two|three|four|five|six|[2-9]) days ago|"
            r"on (?:the )?(?:same|previous) day)\b",
            re.I,
        ),
    ),
    ("weekday", re.compile(rf"\b(?:(?P<which>last|this|next|on)\s+)?{WEEKDAY}(?:’s|'s)?\b", re.I)),
    # "in 2014", "the middle of 2024", "since 2022"
    (
        "year",
        re.compile(
            rf"\b(?:(?:in|since|by|until|of|during|from)\s+)?(?:(?:early|late|mid-?)\s*)?{YEAR}\b(?!\s*[-–]?\s*\d)",
            re.I,
        ),
    ),
]
FUTURE = re.compile(
    r"\b(?:will|shall|is due|are due|due to|is set to|are set to|expected|expects|plans? to|"
    r"planning|planned|scheduled|upcoming|coming|next|would meet|to be held|later this|"
    r"forthcoming|to meet|to travel|to present|going to|within|by the end of|before the end of|"
    r"in the next)\b",
    re.I,
)


@dataclass(frozen=True)
class DateFound:
    """A date phrase at `start`..`end` and the interval it supports."""

    start: int
    end: int
    date: str  # partial ISO: YYYY, YYYY-MM or YYYY-MM-DD
    earliest: datetime.date | None
    latest: datetime.date | None
    basis: str  # stated or resolved
    note: str

    def proposal_fields(self) -> dict:
        """The date fields of a Proposal said or done at this date."""
        return {
            "date": self.date,
            "date_earliest": self.earliest,
            "date_latest": self.latest,
            "date_basis": self.basis,
            "date_note": self.note,
        }


def month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def prefix(earliest: datetime.date, latest: datetime.date) -> str:
    """The most precise partial date covering both ends: 2024-11-01..2024-11-19 → 2024-11."""
    if earliest == latest:
        return earliest.isoformat()
    if (earliest.year, earliest.month) == (latest.year, latest.month):
        return earliest.isoformat()[:7]
    if earliest.year == latest.year:
        return str(earliest.year)
    return ""


def find_dates(
    text: str,
    start: int,
    end: int,
    published: datetime.date,
    precision: str = "day",
    masked: list[tuple[int, int]] = (),
    ahead: bool = False,
) -> list[DateFound]:
    """The date phrases of text[start:end] outside the masked spans, resolved; overlapping
    phrases keep the first (most specific) pattern's reading. `ahead` reads every phrase as a
    time to come (what "could" happen "in November"), else the words around it decide."""
    found: list[DateFound] = []
    taken: list[tuple[int, int]] = list(masked)
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text, start, end):
            if any(a < match.end() and match.start() < b for a, b in taken):
                continue
            clause_start = max(start, match.start() - 80)
            clause = list(text[clause_start : min(end, match.end() + 40)])
            for a, b in masked:
                # a speaker's "will" inside a quotation makes no time of the article's to come
                for index in range(max(a, clause_start), min(b, clause_start + len(clause))):
                    clause[index - clause_start] = " "
            future = ahead or bool(FUTURE.search("".join(clause)))
            resolved = resolve(kind, match, published, precision, future)
            if resolved:
                found.append(DateFound(match.start(), match.end(), *resolved))
                taken.append(match.span())
    return sorted(found, key=lambda found_date: found_date.start)


def resolve(kind, match, published, precision, future):
    """(date, earliest, latest, basis, note) for one phrase, or None."""
    if precision == "day":
        lows = highs = published
    else:
        lows, highs = parse_partial_date(published.isoformat()[: 7 if precision == "month" else 4])[
            :2
        ]
    first = resolve_at(kind, match, lows, future)
    last = resolve_at(kind, match, highs, future)
    if not first or not last:
        return None
    earliest, latest, basis, note = first[0], max(first[1], last[1]), first[2], first[3]
    if precision != "day" and basis == "resolved":
        # the report's own day is unknown: a relative phrase holds only to its period
        earliest, latest = min(earliest, lows), max(latest, highs)
        note += f"; the report is known only to {precision} {published.isoformat()[:7]}"
    date = prefix(earliest, latest)
    if not date:
        return None
    return date, earliest, latest, basis, note


def resolve_at(kind, match, published: datetime.date, future: bool):
    groups = match.groupdict()
    year = int(groups["year"]) if groups.get("year") else None
    if kind in {"month_day", "day_month"}:
        month, day = MONTHS[groups["month"].lower().rstrip(".")], int(groups["day"])
        day_end = int(groups["day_end"]) if groups.get("day_end") else day
        if year is None:
            # the year that puts the day nearest the report: "February 14" in a report of
            # 2025-02-06 is nine days ahead, not a year back; a future clause looks ahead only
            candidates = [
                on
                for offset in (-1, 0, 1)
                if (on := safe_date(published.year + offset, month, day))
                and (not future or on >= published)
            ]
            if not candidates:
                return None
            year = min(candidates, key=lambda on: (abs((on - published).days), on > published)).year
        earliest, latest = safe_date(year, month, day), safe_date(year, month, day_end)
        if not earliest or not latest or latest < earliest:
            return None
        basis = "stated" if groups.get("year") else "resolved"
        return earliest, latest, basis, f"'{match.group().strip()}'"
    if kind == "month":
        month = MONTHS[groups["month"].lower().rstrip(".")]
        which = (groups.get("which") or "").lower()
        if not which and year is None and len(groups["month"]) <= 3 and groups["month"].islower():
            return None  # "may", "mar" as words
        if (
            groups["month"].lower() == "may"
            and year is None
            and which not in {"last", "this", "next", "in", "early", "late", "by", "since", "until"}
        ):
            return None  # "may" the verb
        if year is None:
            year = published.year
            if which == "last" or (not future and which != "next"):
                if month > published.month or (which == "last" and month == published.month):
                    year -= 1
            elif month < published.month:
                year += 1
        earliest, latest = datetime.date(year, month, 1), month_end(year, month)
        if not future and latest > published and earliest <= published:
            latest = published
        basis = "stated" if groups.get("year") else "resolved"
        return earliest, latest, basis, f"'{match.group().strip()}'"
    if kind == "year":
        year = int(groups["year"])
        if year > published.year + 10:
            return None
        earliest, latest = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        if not future and latest > published >= earliest:
            latest = published
        return earliest, latest, "stated", f"'{match.group().strip()}'"
    if kind == "weekday":
        weekday = WEEKDAYS[groups["weekday"].lower()]
        which = (groups.get("which") or "").lower()
        if which == "next" or (future and which != "last"):
            delta = (weekday - published.weekday()) % 7 or (7 if which == "next" else 0)
            day = published + datetime.timedelta(days=delta)
        else:
            delta = (published.weekday() - weekday) % 7
            if which == "last" and delta == 0:
                delta = 7
            day = published - datetime.timedelta(days=delta)
        return day, day, "resolved", f"'{match.group().strip()}' against {published.isoformat()}"
    if kind == "relative":
        return relative(groups["phrase"].lower(), published, future)
    return None


def relative(phrase: str, published: datetime.date, future: bool):
    day = datetime.timedelta(days=1)
    monday = published - datetime.timedelta(days=published.weekday())
    month_start = published.replace(day=1)
    year_start = published.replace(month=1, day=1)
    note = f"'{phrase}' against {published.isoformat()}"
    table = {
        "today": (published, published),
        "tonight": (published, published),
        "this morning": (published, published),
        "this afternoon": (published, published),
        "this evening": (published, published),
        "yesterday": (published - day, published - day),
        "tomorrow": (published + day, published + day),
        "overnight": (published - day, published),
        "last week": (monday - 7 * day, monday - day),
        "past week": (published - 7 * day, published),
        "this week": (monday, monday + 6 * day if future else published),
        "earlier this week": (monday, max(monday, published - day)),
        "later this week": (published, monday + 6 * day),
        "next week": (monday + 7 * day, monday + 13 * day),
        "last month": (
            (month_start - day).replace(day=1),
            month_start - day,
        ),
        "past month": (published - 31 * day, published),
        "this month": (
            month_start,
            month_end(published.year, published.month) if future else published,
        ),
        "earlier this month": (month_start, max(month_start, published - day)),
        "later this month": (published, month_end(published.year, published.month)),
        "next month": (
            month_end(published.year, published.month) + day,
            month_end(*next_month(published)),
        ),
        "last year": (year_start.replace(year=published.year - 1), year_start - day),
        "past year": (published - 366 * day, published),
        "this year": (year_start, published.replace(month=12, day=31) if future else published),
        "earlier this year": (year_start, max(year_start, published - day)),
        "later this year": (published, published.replace(month=12, day=31)),
        "next year": (
            year_start.replace(year=published.year + 1),
            published.replace(year=published.year + 1, month=12, day=31),
        ),
    }
    # the weekend: the last Saturday and Sunday up to the report; the coming ones for what is
    # planned (and for "this weekend" in a weekday's report)
    saturday = published - (published.weekday() - 5) % 7 * day
    past_weekend = (saturday, min(saturday + day, published))
    coming = (saturday + 7 * day, saturday + 8 * day) if published.weekday() < 5 else past_weekend
    for said in ("over the weekend", "at the weekend", "during the weekend"):
        table[said] = coming if future else past_weekend
    table["this weekend"] = coming if future or published.weekday() < 5 else past_weekend
    table["last weekend"] = (
        (saturday - 7 * day, saturday - 6 * day) if published.weekday() >= 5 else past_weekend
    )
    table["next weekend"] = (saturday + 7 * day, saturday + 8 * day)
    table["last night"] = (published - day, published)
    ago = re.fullmatch(r"(\w+) days ago", phrase)
    if ago:
        count = NUMBERS.get(ago[1]) or int(ago[1])
        return published - count * day, published - count * day, "resolved", note
    # "within two weeks" of the report: from the report's day to that many days, weeks or
    # months after it. "In two weeks" is the same span when it is a time to come ("could meet in
    # two weeks": no surer of the day than "within"); said of what happened it is a duration
    # ("captured the town in two weeks"), no date.
    within = re.fullmatch(r"(within|in) (?:the next )?(\w+) (day|week|month)s?", phrase)
    if within and within[1] == "in" and not future:
        return None
    if within:
        count = NUMBERS.get(within[2]) or int(within[2])
        days = count * {"day": 1, "week": 7, "month": 31}[within[3]]
        return published, published + days * day, "resolved", note
    # "the end of the year" is this year's
    key = re.sub(r"^(?:at |by |before )?the (?:end|start|beginning|middle) of ", "", phrase)
    key = re.sub(r"^the ", "this ", key)
    if key in table:
        earliest, latest = table[key]
        if future and key.startswith("this") and re.match(r"(?:by|before) the end", phrase):
            # a deadline ahead: from the report to the period's end
            earliest = max(earliest, published)
        return earliest, latest, "resolved", note
    return None


NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def next_month(on: datetime.date) -> tuple[int, int]:
    return (on.year + 1, 1) if on.month == 12 else (on.year, on.month + 1)


def safe_date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def before_report(published: datetime.date, precision: str = "day") -> DateFound:
    """No date in the text: said at some time before the report (an open start)."""
    latest = published
    if precision != "day":
        latest = parse_partial_date(published.isoformat()[: 7 if precision == "month" else 4])[1]
    return DateFound(
        0,
        0,
        latest.isoformat()[:7],
        None,
        latest,
        "before_report",
        "No time of speaking given: before the report.",
    )


# a day words went out on, not the day they were said: "in an interview aired Sunday"
AIRED = re.compile(
    r"\b(?:aired|broadcast|televised|published|released|posted|shown)\s+(?:on\s+)?$", re.I
)


def date_in(
    text: str,
    spans: list[tuple[int, int]],
    masked: list[tuple[int, int]],
    published: datetime.date,
    precision: str = "day",
) -> DateFound:
    """The one interval the date phrases in `spans` (outside `masked`) give, never after the
    report; with none, or several that disagree, before the report."""
    latest = before_report(published, precision).latest
    found = [
        phrase
        for start, end in spans
        for phrase in find_dates(text, start, end, published, precision, masked)
        if phrase.latest is None or phrase.latest <= latest
    ]
    if len({(phrase.earliest, phrase.latest) for phrase in found}) == 1:
        phrase = found[0]
        if AIRED.search(text, max(0, phrase.start - 30), phrase.start):
            # "in a TV interview aired Sunday": said on or before the day it went out
            note = f"{phrase.note}; the day it was aired or published, said on or before it"
            month = phrase.latest.isoformat()[:7]
            return replace(phrase, date=month, earliest=None, basis="before_report", note=note)
        return phrase
    return before_report(published, precision)
