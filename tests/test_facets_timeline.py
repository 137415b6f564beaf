import pytest
from django.db import connection

from tests.factories import (
    EventFactory,
    PersonFactory,
    PlaceFactory,
    PositionFactory,
    StatementFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_statements():
    putin = PersonFactory(slug="vladimir-putin", name="Vladimir Putin")
    insiders = PersonFactory(slug="insiders", name="Insiders", kind="anonymous")
    territory = TopicFactory(slug="territory", name="Territory")
    crimea = PlaceFactory(slug="crimea", name="Crimea")
    quote = StatementFactory(speaker=putin, kind="quote", date="2024-11-07", topics=[territory])
    PositionFactory(statement=quote, issue="territory", stance="rejects")
    PositionFactory(statement=quote, issue="nato_membership", stance="rejects")
    StatementFactory(speaker=putin, kind="paraphrase", date="2024-12", places=[crimea])
    StatementFactory(speaker=insiders, kind="paraphrase", date="2024", topics=[territory])


def test_statement_facets_count_by_every_field(api_client, three_statements):
    response = api_client.get("/api/v1/statements/facets/?date_from=2024-10&date_to=2024-12")

    # the year-precise statement is not certainly of October to December: not in the list
    assert response.json() == {
        "count": 2,
        "speaker": [{"slug": "vladimir-putin", "name": "Vladimir Putin", "count": 2}],
        "speaker_kind": [{"value": "person", "count": 2}],
        "kind": [{"value": "paraphrase", "count": 1}, {"value": "quote", "count": 1}],
        "topic": [{"slug": "territory", "name": "Territory", "count": 1}],
        "place": [{"slug": "crimea", "name": "Crimea", "count": 1}],
        "issue": [{"value": "nato_membership", "count": 1}, {"value": "territory", "count": 1}],
        # two positions of one statement: it counts once
        "stance": [{"value": "rejects", "count": 1}],
        "month": [{"value": "2024-11", "count": 1}, {"value": "2024-12", "count": 1}],
        "timed_out": [],
        "complete_later": False,
    }


def test_statement_facets_with_overlaps_count_what_may_fall_in_each_month(
    api_client, three_statements
):
    response = api_client.get(
        "/api/v1/statements/facets/?date_from=2024-10&date_to=2024-12&date_match=overlaps"
    )

    # the year-precise statement may fall in any month: it counts in each, within the range
    assert (response.json()["count"], response.json()["month"]) == (
        3,
        [
            {"value": "2024-10", "count": 1},
            {"value": "2024-11", "count": 2},
            {"value": "2024-12", "count": 2},
        ],
    )


def test_facet_of_a_given_parameter_counts_the_list_widened_by_each_value(
    api_client, three_statements
):
    response = api_client.get("/api/v1/statements/facets/?speaker=vladimir-putin")

    # `&speaker=insiders` added lists Putin's two and the insiders' one
    assert response.json()["speaker"] == [
        {"slug": "insiders", "name": "Insiders", "count": 3},
        {"slug": "vladimir-putin", "name": "Vladimir Putin", "count": 2},
    ]


def test_stance_facet_counts_the_stances_on_the_issue_given(api_client):
    rejects_land = StatementFactory()
    PositionFactory(statement=rejects_land, issue="territory", stance="rejects")
    PositionFactory(statement=rejects_land, issue="nato_membership", stance="accepts")
    accepts_land = StatementFactory()
    PositionFactory(statement=accepts_land, issue="territory", stance="accepts")
    PositionFactory(statement=accepts_land, issue="nato_membership", stance="rejects")

    response = api_client.get("/api/v1/statements/facets/?issue=territory")

    # a stance counts on the issue asked about, as `&stance=` does in the list: not a statement
    # that rejects another issue
    assert response.json()["stance"] == [
        {"value": "accepts", "count": 1},
        {"value": "rejects", "count": 1},
    ]
    assert response.json()["issue"] == [
        {"value": "territory", "count": 2},  # the list as it is
    ]


def test_facets_of_nothing_are_empty(api_client):
    response = api_client.get("/api/v1/events/facets/")

    assert response.json() == {
        "count": 0,
        "participant": [],
        "kind": [],
        "status": [],
        "topic": [],
        "place": [],
        "month": [],
        "timed_out": [],
        "complete_later": False,
    }


def test_facets_refuse_bad_filters_like_the_list(api_client):
    response = api_client.get("/api/v1/statements/facets/?date_from=2024-13")

    assert (response.status_code, list(response.json()["errors"])) == (400, ["date_from"])


@pytest.mark.parametrize("n", [1, 20])
def test_statement_facets_run_constant_queries(api_client, django_assert_num_queries, n):
    for _ in range(n):
        StatementFactory(topics=[TopicFactory()], places=[PlaceFactory()])

    # dataset version (ETag), total and months, speaker, speaker kind, kind, topic, place,
    # issue, stance; on PostgreSQL each of the eight counts also sets its time limit, here in a
    # savepoint of the test's transaction: savepoint, set, (count), reset, release
    counts = 8
    with django_assert_num_queries(1 + counts * (5 if connection.vendor == "postgresql" else 1)):
        response = api_client.get("/api/v1/statements/facets/")

    assert response.json()["count"] == n


@pytest.fixture
def timeline():
    putin = PersonFactory(slug="vladimir-putin", name="Vladimir Putin")
    EventFactory(slug="valdai", title="Valdai forum", kind="conference", date="2024-11-07")
    EventFactory(slug="call", title="A call", kind="call", date="2025-03-18")
    StatementFactory(slug="neutrality", speaker=putin, text="Neutrality.", date="2024-11-07")
    StatementFactory(slug="realities", speaker=putin, kind="fragment", text="x", date="2024-11")
    StatementFactory(slug="old", speaker=putin, text="y", date="2023")


def timeline_slugs(response) -> list[tuple[str, str]]:
    assert response.status_code == 200, response.json()
    return [(item["type"], item["slug"]) for item in response.json()["results"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "",
            [
                ("statement", "old"),
                ("statement", "realities"),
                ("event", "valdai"),
                ("statement", "neutrality"),
                ("event", "call"),
            ],
        ),
        (
            "?date_from=2024-11&date_to=2024-11",
            [("statement", "realities"), ("event", "valdai"), ("statement", "neutrality")],
        ),
        ("?type=event&ordering=-date", [("event", "call"), ("event", "valdai")]),
        ("?date_from=2025", [("event", "call")]),
        # what certainly falls on the day, by default; what may, with overlaps
        (
            "?date_from=2024-11-07&date_to=2024-11-07",
            [("event", "valdai"), ("statement", "neutrality")],
        ),
        (
            "?date_from=2024-11-07&date_to=2024-11-07&date_match=overlaps",
            [("statement", "realities"), ("event", "valdai"), ("statement", "neutrality")],
        ),
    ],
)
def test_timeline_merges_events_and_statements_in_date_order(api_client, timeline, query, expected):
    response = api_client.get(f"/api/v1/timeline/{query}")

    assert timeline_slugs(response) == expected


def test_timeline_item_names_type_date_kind_title_and_speaker(api_client, timeline):
    response = api_client.get(
        "/api/v1/timeline/?date_from=2024-11-07&date_to=2024-11-07&date_match=overlaps"
    )

    assert response.json()["results"] == [
        {
            "type": "statement",
            "slug": "realities",
            "url": "http://testserver/api/v1/statements/realities/",
            "date": "2024-11",
            "date_earliest": "2024-11-01",
            "date_latest": "2024-11-30",
            "kind": "fragment",
            "title": "x",
            "speaker": {
                "slug": "vladimir-putin",
                "name": "Vladimir Putin",
                "kind": "person",
                "url": "http://testserver/api/v1/people/vladimir-putin/",
            },
        },
        {
            "type": "event",
            "slug": "valdai",
            "url": "http://testserver/api/v1/events/valdai/",
            "date": "2024-11-07",
            "date_earliest": "2024-11-07",
            "date_latest": "2024-11-07",
            "kind": "conference",
            "title": "Valdai forum",
            "speaker": None,
        },
        {
            "type": "statement",
            "slug": "neutrality",
            "url": "http://testserver/api/v1/statements/neutrality/",
            "date": "2024-11-07",
            "date_earliest": "2024-11-07",
            "date_latest": "2024-11-07",
            "kind": "quote",
            "title": "Neutrality.",
            "speaker": {
                "slug": "vladimir-putin",
                "name": "Vladimir Putin",
                "kind": "person",
                "url": "http://testserver/api/v1/people/vladimir-putin/",
            },
        },
    ]


def test_timeline_pages_through_both_types(api_client, timeline):
    first = api_client.get("/api/v1/timeline/?page_size=2")
    second = api_client.get("/api/v1/timeline/?page_size=2&page=2")

    assert (first.json()["count"], timeline_slugs(first), timeline_slugs(second)) == (
        5,
        [("statement", "old"), ("statement", "realities")],
        [("event", "valdai"), ("statement", "neutrality")],
    )


@pytest.mark.parametrize("ordering", ["date", "-date"])
def test_timeline_pages_cut_the_merged_order_at_any_page(api_client, timeline, ordering):
    whole = timeline_slugs(api_client.get(f"/api/v1/timeline/?ordering={ordering}"))
    pages = [
        timeline_slugs(
            api_client.get(f"/api/v1/timeline/?ordering={ordering}&page_size=2&page={n}")
        )
        for n in (1, 2, 3)
    ]

    assert [item for page in pages for item in page] == whole
    assert whole[0] == (("statement", "old") if ordering == "date" else ("event", "call"))


def test_timeline_page_past_the_last_is_a_404_naming_the_pages(api_client, timeline):
    last = api_client.get("/api/v1/timeline/?page_size=2&page=3")
    past = api_client.get("/api/v1/timeline/?page_size=2&page=4")

    assert timeline_slugs(last) == [("event", "call")]
    assert (past.status_code, past.json()["detail"]) == (
        404,
        "page 4 does not exist: there are 3 page(s) of 2 item(s).",
    )


def test_timeline_runs_constant_queries(api_client, timeline, django_assert_num_queries):
    # dataset version (ETag); the page with its speakers, each type counted in the same query
    with django_assert_num_queries(2):
        response = api_client.get("/api/v1/timeline/")

    assert response.json()["count"] == 5


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("type=figure", "type"),
        ("ordering=slug", "ordering"),
        ("date_from=2025-02-30", "date_from"),
        ("date_match=during", "date_match"),
    ],
)
def test_timeline_refuses_bad_parameters(api_client, query, parameter):
    response = api_client.get(f"/api/v1/timeline/?{query}")

    assert (response.status_code, list(response.json()["errors"])) == (400, [parameter])
