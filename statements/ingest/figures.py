"""Figures: numbers an article asserts, with value, unit and qualifier; vague ones kept vague.

"about 20%" is 20 percent, qualifier about; "70-80%" a range; "more than 110,000 square
kilometers" 110000 km2, more_than; "hundreds of thousands of deaths" has no value at all: its
qualifier is vague and its words are kept ("a floor such as 200 for 'hundreds' would be ours,
not the article's", fixtures/README.md). Years, dates, ages and counts of sources are not
figures.
"""

import datetime
import re

from config.db.dates import parse_partial_date
from statements.ingest.proposals import Proposal
from statements.ingest.quotes import Run

NUMBER = (
    r"(?P<value>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
    r"(?:\s*(?P<scale>million|billion|trillion|thousand|bn|m)\b)?"
)
RANGE = rf"{NUMBER}(?:\s*(?:-|–|to)\s*(?P<value_max>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?))?"
QUALIFIERS = [
    ("more_than", r"more than|over|above|in excess of|upwards of"),
    ("at_least", r"at least|no fewer than|no less than"),
    ("up_to", r"up to|as many as|as much as|nearly|almost|fewer than|less than|under"),
    ("about", r"about|around|approximately|roughly|some|an estimated|nearly|close to|~"),
]
QUALIFIER = "|".join(f"(?P<{name}>{pattern})" for name, pattern in QUALIFIERS)
UNITS = [
    ("percent", r"%|per ?cent\b|percent\b"),
    ("km2", r"(?:sq(?:uare)?\.? ?(?:km|kilomet(?:er|re)s?)|km2|km²)"),
    ("km", r"(?:km|kilomet(?:er|re)s?|miles?)\b"),
    ("days", r"days?\b"),
    ("years", r"years?\b(?! ago| old)"),
    (
        "people",
        r"(?:people|civilians|soldiers|troops|deaths|dead|casualties|wounded|injured|"
        r"killed|refugees|prisoners)\b",
    ),
    ("count", r"(?:drones|missiles|villages|towns|regions|tanks|shells|rockets)\b"),
]
UNIT = "|".join(f"(?P<u_{name}>{pattern})" for name, pattern in UNITS)
FIGURE = re.compile(
    rf"(?:\b(?:{QUALIFIER})\s+)?(?P<usd>\$\s?)?{RANGE}\s*(?:(?:of\s+)?(?:{UNIT}))",
    re.IGNORECASE,
)
MONEY = re.compile(rf"(?:\b(?:{QUALIFIER})\s+)?\$\s?{NUMBER}", re.IGNORECASE)
VAGUE = re.compile(
    r"\b(?P<words>(?:hundreds|thousands|tens of thousands|millions|dozens|scores|several|"
    r"many)(?: of (?:thousands|millions))?(?: of)? (?:\w+ ){0,2}?(?:deaths|people|civilians|"
    r"soldiers|troops|drones|missiles|kilomet(?:er|re)s|miles|villages|casualties|refugees))\b",
    re.IGNORECASE,
)
SCALES = {
    "thousand": 1_000,
    "million": 1_000_000,
    "m": 1_000_000,
    "billion": 10**9,
    "bn": 10**9,
    "trillion": 10**12,
}


def number(value: str, scale: str | None) -> float:
    return float(value.replace(",", "")) * SCALES.get((scale or "").lower(), 1)


def find_figures(
    text: str,
    sentence_spans: list[tuple[int, int]],
    runs: list[Run],
    published: datetime.date,
    precision: str = "day",
) -> list[Proposal]:
    quoted = [(run.open, run.after) for run in runs]
    date = published.isoformat() if precision == "day" else published.isoformat()[:7]
    proposals = []
    for start, end in sentence_spans:
        sentence = text[start:end]
        taken: list[tuple[int, int]] = []
        for match in FIGURE.finditer(text, start, end):
            if any(a <= match.start() < b for a, b in quoted):
                continue
            unit = next(
                name[2:]
                for name, value in match.groupdict().items()
                if name.startswith("u_") and value
            )
            value = number(match["value"], match["scale"])
            if unit == "years" and value > 50:
                continue
            if unit == "count" and re.search(r"\bsources?\b", sentence[:80], re.I) and value < 20:
                continue
            qualifier = next(
                (name for name, _ in QUALIFIERS if match.groupdict().get(name)), "exact"
            )
            figure = {
                "value": value,
                "value_max": None,
                "unit": unit,
                "qualifier": qualifier,
                "words": match.group().strip(),
            }
            if match["value_max"]:
                figure["value_max"] = number(match["value_max"], match["scale"])
                figure["qualifier"] = "range"
            taken.append(match.span())
            proposals.append(proposal(text, start, end, figure, date, match.group()))
        for match in MONEY.finditer(text, start, end):
            if any(a <= match.start() < b for a, b in taken + quoted):
                continue
            qualifier = next((n for n, _ in QUALIFIERS if match.groupdict().get(n)), "exact")
            figure = {
                "value": number(match["value"], match["scale"]),
                "value_max": None,
                "unit": "usd",
                "qualifier": qualifier,
                "words": match.group().strip(),
            }
            proposals.append(proposal(text, start, end, figure, date, match.group()))
        for match in VAGUE.finditer(text, start, end):
            if any(a <= match.start() < b for a, b in quoted):
                continue
            words = match["words"]
            unit = (
                "km"
                if re.search(r"kilomet|miles", words, re.I)
                else ("count" if re.search(r"drones|missiles|villages", words, re.I) else "people")
            )
            figure = {
                "value": None,
                "value_max": None,
                "unit": unit,
                "qualifier": "vague",
                "words": words,
            }
            proposals.append(proposal(text, start, end, figure, date, words))
    return proposals


def proposal(text, start, end, figure, date, words) -> Proposal:
    return Proposal(
        kind="figure",
        start=start,
        end=end,
        excerpt=text[start:end],
        title=words.strip(),
        figure=figure,
        date=date,
        date_earliest=parse_partial_date(date)[0],
        date_latest=parse_partial_date(date)[1],
        date_basis="inferred",
        date_note="As of the article's date.",
        confidence=0.6 if figure["qualifier"] != "vague" else 0.5,
        reason=f"number '{words.strip()}' ({figure['unit']}, {figure['qualifier']})",
    )
