"""Facets that add up: over the whole dataset, every facet count is the count of the list with
that value added to its query, under many filter combinations, and no value that would change
the list is missing. One dataset load per endpoint: each test walks all its combinations."""

import datetime

import pytest

from config.db.dates import parse_partial_date
from events.models import Event
from statements.models import Position, Statement

pytestmark = pytest.mark.usefixtures("dataset")

STATEMENT_QUERIES = [
    "",
    "issue=territory",
    "issue=territory&stance=rejects",
    "stance=conditions&stance=proposes",
    "topic=territory&date_from=2025",
    "topic=territory&date_from=2025&date_match=overlaps",
    "speaker=vladimir-putin&speaker=dmitry-peskov&date_to=2024-11-15&date_match=overlaps",
    "speaker_kind=anonymous&date_from=2024-11&date_to=2024-11",
    "q=ceasefire&kind=paraphrase",
    "place=ukraine&topic=territory&topic=ceasefire-terms",
    # a range asked by the day: its first and last months keep its bounds
    "date_from=2024-11-10&date_to=2025-03-15&date_match=overlaps",
]
EVENT_QUERIES = [
    "",
    "date_match=overlaps",
    "status=occurred&date_from=2022",
    "topic=territory&topic=ceasefire-terms&date_to=2025-02",
    "participant=donald-trump&kind=call&kind=summit",
    "date_from=2025-02-10&date_to=2025-10&date_match=overlaps",
    "q=talks",
]
CHOICES = {
    "speaker_kind": ["person", "organisation", "anonymous"],
    "kind": {"statements": Statement.Kind.values, "events": Event.Kind.values},
    "issue": Position.Issue.values,
    "stance": Position.Stance.values,
    "status": Event.Status.values,
}
MONTHS_CHECKED_WHOLE = 60  # every month of a span this long is asked for, listed or not


def joined(*parts: str) -> str:
    return "&".join(part for part in parts if part)


def month_range(base: str, month: str) -> str:
    """The list's query with its date range set to the month, inside the range it asked."""
    params = [part for part in base.split("&") if part]
    asked = dict(part.split("=", 1) for part in params)
    first, last, _precision = parse_partial_date(month)
    date_from, date_to = month, month
    if "date_from" in asked and parse_partial_date(asked["date_from"])[0] > first:
        date_from = asked["date_from"]
    if "date_to" in asked and parse_partial_date(asked["date_to"])[1] < last:
        date_to = asked["date_to"]
    kept = [part for part in params if not part.startswith(("date_from=", "date_to="))]
    return joined(*kept, f"date_from={date_from}", f"date_to={date_to}")


def next_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:])
    return f"{year + number // 12}-{number % 12 + 1:02d}"


def check_facets_add_up(api_client, endpoint: str, base: str) -> int:
    """Every count of `endpoint/facets/?base` against its list; the number of lists asked."""
    facets = api_client.get(f"/api/v1/{endpoint}/facets/?{base}")
    assert facets.status_code == 200, (base, facets.json())
    facets = facets.json()
    asked = 0

    def list_count(query: str) -> int:
        nonlocal asked
        asked += 1
        response = api_client.get(f"/api/v1/{endpoint}/?{joined(query, 'page_size=1')}")
        assert response.status_code == 200, (query, response.json())
        return response.json()["count"]

    total = facets["count"]
    assert total == list_count(base), base
    given = {part.split("=")[0] for part in base.split("&") if part}
    for name, entries in facets.items():
        if name in ("count", "month", "timed_out", "complete_later"):
            continue
        values = [entry.get("slug", entry.get("value")) for entry in entries]
        assert len(values) == len(set(values)), (base, name)
        for entry, value in zip(entries, values, strict=True):
            expected = list_count(joined(base, f"{name}={value}"))
            assert entry["count"] == expected, (base, name, value, entry["count"], expected)
        choices = CHOICES.get(name)
        if isinstance(choices, dict):
            choices = choices[endpoint]
        # a value left out adds nothing to the list: it holds none, or the list stays as it is
        for value in set(choices or []) - set(values):
            unchanged = total if name in given else 0
            assert list_count(joined(base, f"{name}={value}")) == unchanged, (base, name, value)
    months = [entry["value"] for entry in facets["month"]]
    assert months == sorted(months), base
    for entry in facets["month"]:
        expected = list_count(month_range(base, entry["value"]))
        assert entry["count"] == expected, (base, entry, expected)
    if months:
        month, listed, checked = months[0], set(months), 0
        while month <= months[-1] and checked < MONTHS_CHECKED_WHOLE:
            if month not in listed:
                assert list_count(month_range(base, month)) == 0, (base, month)
            month, checked = next_month(month), checked + 1
    return asked


def test_statement_facets_equal_their_lists_for_every_value(api_client):
    asked = sum(check_facets_add_up(api_client, "statements", base) for base in STATEMENT_QUERIES)

    assert asked > 500  # the whole dataset was walked, not an empty answer


def test_event_facets_equal_their_lists_for_every_value(api_client):
    asked = sum(check_facets_add_up(api_client, "events", base) for base in EVENT_QUERIES)

    assert asked > 300


def test_month_buckets_stay_inside_the_data_s_span(api_client):
    earliest = Event.objects.exclude(date_earliest=None).order_by("date_earliest").first()
    latest = Event.objects.order_by("-date_latest").first()

    default = api_client.get("/api/v1/events/facets/").json()["month"]
    overlaps = api_client.get("/api/v1/events/facets/?date_match=overlaps").json()["month"]

    # by default a month counts the events certainly in it: no year-precise event (1973, 1987,
    # 1991, 2014, 2022) fills twelve months, and none is empty
    assert [entry["value"] for entry in default] == [
        "2022-02",
        "2022-04",
        "2022-10",
        "2024-05",
        "2024-06",
        "2024-08",
        "2024-11",
        "2025-01",
        "2025-02",
        "2025-03",
        "2025-04",
        "2025-08",
        "2025-10",
    ]
    first, last = earliest.date_earliest.strftime("%Y-%m"), latest.date_latest.strftime("%Y-%m")
    assert (first, last) == ("1973-01", "2025-12")
    assert overlaps[0]["value"] == first
    assert overlaps[-1]["value"] == last
    # with no event left with an open start, the years between the dated ones are empty
    assert not Event.objects.filter(date_earliest=None).exists()
    assert "1980-01" not in {entry["value"] for entry in overlaps}
    assert all(entry["count"] > 0 for entry in default + overlaps)
    assert datetime.date(1973, 1, 1) == earliest.date_earliest
