import pytest

from tests.factories import (
    EventFactory,
    PersonFactory,
    PlaceFactory,
    PositionFactory,
    StatementFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("endpoint", "base"),
    [
        ("statements", "q=ceasefire"),
        ("statements", "topic=territory&date_from=2024-11"),
        ("events", "status=occurred"),
    ],
)
def test_facets_agree_with_the_list_for_every_value(api_client, dataset, endpoint, base):
    facets = api_client.get(f"/api/v1/{endpoint}/facets/?{base}").json()

    def list_count(extra: str) -> int:
        response = api_client.get(f"/api/v1/{endpoint}/?{base}&{extra}")
        assert response.status_code == 200, response.json()
        return response.json()["count"]

    assert facets["count"] == list_count("page_size=1")
    for name, entries in facets.items():
        if name == "count" or name in base:
            continue  # a repeated filter widens the list (either value matches)
        assert entries, name
        for entry in entries:
            if name == "month":
                # the month within the range the list was asked for
                extra = f"date_from={entry['value']}&date_to={entry['value']}"
                if "date_" in base:
                    continue  # a date bound cannot be given twice; see the next test
            else:
                extra = f"{name}={entry.get('slug', entry.get('value'))}"
            assert entry["count"] == list_count(extra), (name, entry)


def test_statement_facets_count_by_every_field(api_client):
    putin = PersonFactory(slug="vladimir-putin", name="Vladimir Putin")
    insiders = PersonFactory(slug="insiders", name="Insiders", kind="anonymous")
    territory = TopicFactory(slug="territory", name="Territory")
    crimea = PlaceFactory(slug="crimea", name="Crimea")
    quote = StatementFactory(speaker=putin, kind="quote", date="2024-11-07", topics=[territory])
    PositionFactory(statement=quote, issue="territory", stance="rejects")
    PositionFactory(statement=quote, issue="nato_membership", stance="rejects")
    StatementFactory(speaker=putin, kind="paraphrase", date="2024-12", places=[crimea])
    StatementFactory(speaker=insiders, kind="paraphrase", date="2024", topics=[territory])

    response = api_client.get("/api/v1/statements/facets/?date_from=2024-10&date_to=2024-12")

    assert response.json() == {
        "count": 3,
        "speaker": [
            {"slug": "vladimir-putin", "name": "Vladimir Putin", "count": 2},
            {"slug": "insiders", "name": "Insiders", "count": 1},
        ],
        "speaker_kind": [{"value": "person", "count": 2}, {"value": "anonymous", "count": 1}],
        "kind": [{"value": "paraphrase", "count": 2}, {"value": "quote", "count": 1}],
        "topic": [{"slug": "territory", "name": "Territory", "count": 2}],
        "place": [{"slug": "crimea", "name": "Crimea", "count": 1}],
        "issue": [{"value": "nato_membership", "count": 1}, {"value": "territory", "count": 1}],
        # two positions of one statement: it counts once
        "stance": [{"value": "rejects", "count": 1}],
        # the year-precise statement may fall in any month: it counts in each, within the range
        "month": [
            {"value": "2024-10", "count": 1},
            {"value": "2024-11", "count": 2},
            {"value": "2024-12", "count": 2},
        ],
    }


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
    }


def test_facets_refuse_bad_filters_like_the_list(api_client):
    response = api_client.get("/api/v1/statements/facets/?date_from=2024-13")

    assert (response.status_code, list(response.json()["errors"])) == (400, ["date_from"])


@pytest.mark.parametrize("n", [1, 20])
def test_statement_facets_run_constant_queries(api_client, django_assert_num_queries, n):
    for _ in range(n):
        StatementFactory(topics=[TopicFactory()], places=[PlaceFactory()])

    # dataset version (ETag), total and date span, speaker, speaker kind, kind, topic, place,
    # issue, stance, months
    with django_assert_num_queries(10):
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
    ],
)
def test_timeline_merges_events_and_statements_in_date_order(api_client, timeline, query, expected):
    response = api_client.get(f"/api/v1/timeline/{query}")

    assert timeline_slugs(response) == expected


def test_timeline_item_names_type_date_kind_title_and_speaker(api_client, timeline):
    response = api_client.get("/api/v1/timeline/?date_from=2024-11-07&date_to=2024-11-07")

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


def test_timeline_runs_constant_queries(api_client, timeline, django_assert_num_queries):
    # dataset version (ETag), count of the union, the page of the union, the page's events, its
    # statements with speakers
    with django_assert_num_queries(5):
        response = api_client.get("/api/v1/timeline/")

    assert response.json()["count"] == 5


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("type=figure", "type"), ("ordering=slug", "ordering"), ("date_from=2025-02-30", "date_from")],
)
def test_timeline_refuses_bad_parameters(api_client, query, parameter):
    response = api_client.get(f"/api/v1/timeline/?{query}")

    assert (response.status_code, list(response.json()["errors"])) == (400, [parameter])
