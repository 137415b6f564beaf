"""Dates that mean what they say, on the real dataset: intervals that start no earlier than the
text allows, range filters that answer what certainly falls in the range (or, with
`date_match=overlaps`, what may), the same in lists, counts, CSV, facets and the timeline."""

import csv
import datetime
import io

import pytest

from events.models import Event
from statements.checks import dataset_problems
from statements.models import Figure, Statement
from tests.responses import result_slugs

pytestmark = pytest.mark.usefixtures("dataset")


def interval(record) -> tuple:
    return (record.date, record.date_basis, record.date_earliest, record.date_latest)


def test_dataset_trip_following_the_munich_conference_starts_at_its_end():
    trip = Event.objects.get(slug="kellogg-kyiv-trip-2025")

    # planned, with no date: it may fall any time after the conference of 14-16 February
    assert interval(trip) == (
        "2025",
        "inferred",
        datetime.date(2025, 2, 16),
        datetime.date(2025, 12, 31),
    )


def test_dataset_words_about_the_invasion_start_with_it():
    land_grab = Statement.objects.get(slug="kyiv-and-west-2024-11-invasion-land-grab")

    assert interval(land_grab) == (
        "2024-11",
        "before_report",
        datetime.date(2022, 2, 24),
        datetime.date(2024, 11, 20),
    )


def test_dataset_proposal_already_made_ends_by_its_report():
    proposal = Event.objects.get(slug="us-30-day-ceasefire-proposal-2025")

    # made before the call of March 2025, by the administration in office since 2025-01-20
    assert interval(proposal) == (
        "2025",
        "inferred",
        datetime.date(2025, 1, 20),
        datetime.date(2025, 3, 31),
    )


def test_dataset_open_start_only_where_nothing_bounds_it():
    open_statements = Statement.objects.filter(date_earliest=None).values_list("slug", flat=True)

    # "For years Putin has complained", and Xi's backing of it: nothing bounds them
    assert set(open_statements) == {
        "putin-2025-02-unipolar",
        "xi-jinping-2025-02-backs-multipolar-order",
    }
    assert not Event.objects.filter(date_earliest=None).exists()
    assert not Figure.objects.filter(date_earliest=None).exists()


def test_check_dataset_reports_a_proposal_made_that_ends_after_its_report():
    Event.objects.filter(slug="us-30-day-ceasefire-proposal-2025").update(
        date_latest=datetime.date(2025, 12, 31)
    )

    problems = list(dataset_problems())

    assert problems == [
        "event us-30-day-ceasefire-proposal-2025: a proposal already made but ends 2025-12-31, "
        "after the last article that reports it (published by 2025-03-31): only what is still "
        "to come (planned, or proposed and not yet made) may end later"
    ]


def test_check_dataset_lets_proposed_talks_still_to_come_end_after_the_report():
    Event.objects.filter(slug="ceasefire-talks-2025-03").update(
        date="2025", date_latest=datetime.date(2025, 12, 31)
    )

    problems = list(dataset_problems())

    # mooted talks, not yet held: only their interval's agreement with the date is checked
    assert problems == [
        "event ceasefire-talks-2025-03: the interval is not the one '2025' spans (stale)"
    ]


def test_api_a_year_long_ago_answers_nothing_by_default(api_client):
    statements = api_client.get("/api/v1/statements/?date_from=2020&date_to=2020")
    events = api_client.get("/api/v1/events/?date_from=1980-01&date_to=1980-01")

    assert (statements.json()["count"], events.json()["count"]) == (0, 0)


def test_api_overlaps_adds_only_what_may_fall_in_the_range(api_client):
    statements = api_client.get(
        "/api/v1/statements/?date_from=2020&date_to=2020&date_match=overlaps"
    )
    events = api_client.get("/api/v1/events/?date_from=1980-01&date_to=1980-01&date_match=overlaps")

    # only the two statements with an open start may be that old
    assert result_slugs(statements) == {
        "putin-2025-02-unipolar",
        "xi-jinping-2025-02-backs-multipolar-order",
    }
    assert events.json()["count"] == 0


def test_api_timeline_of_a_month_starts_in_that_month(api_client):
    response = api_client.get("/api/v1/timeline/?date_from=2025-03&date_to=2025-03&page_size=100")

    items = response.json()["results"]
    assert response.json()["count"] == 17
    assert (items[0]["type"], items[0]["slug"]) == (
        "event",
        "black-sea-and-wider-ceasefire-talks-2025-03",
    )
    assert {(item["date_earliest"][:7], item["date_latest"][:7]) for item in items} == {
        ("2025-03", "2025-03")
    }


def test_api_anonymous_sources_of_november_2024(api_client):
    response = api_client.get(
        "/api/v1/statements/?speaker_kind=anonymous&date_from=2024-11&date_to=2024-11&page_size=100"
    )

    # what the sources told Reuters about a deal mediated by Trump, president-elect since
    # 2024-11-05; sources not tied to that (the invasion decision) are not certainly of November
    assert result_slugs(response) == {
        "reuters-five-sources-2024-11-army-size-russian-language",
        "reuters-five-sources-2024-11-crimea-off-table",
        "reuters-five-sources-2024-11-freeze-front-lines",
        "reuters-five-sources-2024-11-no-nato-security-guarantees",
        "reuters-five-sources-2024-11-putin-final-say",
        "reuters-five-sources-2024-11-willing-to-discuss-ceasefire",
        "reuters-three-sources-2024-11-four-regions-division",
        "reuters-two-officials-2024-11-kharkiv-mykolaiv-pullback",
        "reuters-two-sources-2024-11-atacms-hinder-settlement",
        "reuters-two-sources-2024-11-russia-would-fight-on",
    }


@pytest.mark.parametrize("match", ["", "&date_match=overlaps"])
def test_api_csv_and_count_answer_the_list_s_records(api_client, match):
    query = f"/api/v1/statements/?date_from=2025-02&date_to=2025-03{match}"

    listed = api_client.get(f"{query}&page_size=100").json()
    download = api_client.get(f"{query}&format=csv")  # every record, streamed
    body = b"".join(download.streaming_content).decode("utf-8-sig")  # after the byte order mark
    rows = list(csv.DictReader(io.StringIO(body)))

    assert [row["slug"] for row in rows] == [item["slug"] for item in listed["results"]]
    assert len(rows) == listed["count"]


def test_api_stance_facet_counts_stances_on_the_issue_asked(api_client):
    facets = api_client.get("/api/v1/statements/facets/?issue=territory").json()
    rejects = api_client.get("/api/v1/statements/?issue=territory&stance=rejects").json()

    assert facets["stance"] == [
        {"value": "rejects", "count": 7},
        {"value": "proposes", "count": 6},
        {"value": "accepts", "count": 3},
    ]
    assert rejects["count"] == 7


def test_api_month_facet_of_the_readme_example(api_client):
    certainly = api_client.get("/api/v1/statements/facets/?topic=territory&date_from=2025")
    maybe = api_client.get(
        "/api/v1/statements/facets/?topic=territory&date_from=2025&date_match=overlaps"
    )
    february = api_client.get(
        "/api/v1/statements/?topic=territory&date_from=2025-02&date_to=2025-02&date_match=overlaps"
    )

    # what was certainly said in 2025 was said in October; the standing positions reported in
    # February may have been said then, or as early as the invasion
    assert certainly.json()["month"] == [{"value": "2025-10", "count": 11}]
    assert maybe.json()["month"] == [
        {"value": "2025-01", "count": 4},
        {"value": "2025-02", "count": 4},
        {"value": "2025-10", "count": 11},
    ]
    assert february.json()["count"] == 4


@pytest.mark.parametrize(
    "path",
    ["statements/", "events/", "figures/", "sources/", "timeline/", "statements/facets/"],
)
def test_api_refuses_an_unknown_date_match(api_client, path):
    response = api_client.get(f"/api/v1/{path}?date_from=2024&date_match=during")

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "date_match": [
            "Select a valid choice. during is not one of the available choices. "
            "Allowed: within, overlaps."
        ]
    }
