import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    CitationFactory,
    EventFactory,
    FigureFactory,
    PersonFactory,
    PlaceFactory,
    PositionFactory,
    SourceFactory,
    StatementFactory,
    TopicFactory,
    WordingFactory,
)
from tests.responses import timestamps

pytestmark = pytest.mark.django_db


def make_statement():
    statement = StatementFactory(
        occasion=EventFactory(),
        about=[EventFactory()],
        topics=[TopicFactory()],
        places=[PlaceFactory()],
    )
    source = SourceFactory()
    CitationFactory(source=source, statement=statement, excerpt="“We will see,”")
    WordingFactory(statement=statement, source=source)
    PositionFactory(statement=statement, holder=PersonFactory())
    return statement


def test_statement_detail_has_speaker_date_excerpt_and_source(api_client):
    source = SourceFactory(slug="tass", title="Peskov on talks", publisher="TASS")
    peskov = PersonFactory(slug="dmitry-peskov", name="Dmitry Peskov")
    statement = StatementFactory(
        slug="peskov-2025-02-04-we-will-see",
        speaker=peskov,
        speaker_label="he",
        text="We will see,",
        date="2025-02-04",
        date_note="'on Tuesday' against 2025-02-06",
        via="told reporters",
        venue="Moscow",
    )
    citation = CitationFactory(
        source=source, statement=statement, excerpt="“We will see,” he told reporters"
    )
    WordingFactory(statement=statement, source=source)
    PositionFactory(statement=statement, issue="talks", stance="neutral")

    response = api_client.get("/api/v1/statements/peskov-2025-02-04-we-will-see/")

    assert response.json() == {
        "slug": "peskov-2025-02-04-we-will-see",
        "url": "http://testserver/api/v1/statements/peskov-2025-02-04-we-will-see/",
        "speaker": {
            "slug": "dmitry-peskov",
            "name": "Dmitry Peskov",
            "kind": "person",
            "url": "http://testserver/api/v1/people/dmitry-peskov/",
        },
        "speaker_label": "he",
        "kind": "quote",
        "text": "We will see,",
        "date": "2025-02-04",
        "date_precision": "day",
        "date_earliest": "2025-02-04",
        "date_latest": "2025-02-04",
        "date_basis": "resolved",
        "date_note": "'on Tuesday' against 2025-02-06",
        "venue": "Moscow",
        "via": "told reporters",
        "occasion": None,
        "about": [],
        "topics": [],
        "places": [],
        "citations": [
            {
                "slug": citation.slug,
                "url": f"http://testserver/api/v1/citations/{citation.slug}/",
                "source": {
                    "slug": "tass",
                    "name": "Peskov on talks",
                    "publisher": "TASS",
                    "date": "2025-02-06",
                    "url": "http://testserver/api/v1/sources/tass/",
                },
                "excerpt": "“We will see,” he told reporters",
                "start": 86,
                "end": 118,
            }
        ],
        "highlight": None,
        "wordings": [
            {
                "source": {
                    "slug": "tass",
                    "name": "Peskov on talks",
                    "publisher": "TASS",
                    "date": "2025-02-06",
                    "url": "http://testserver/api/v1/sources/tass/",
                },
                "text": "We will see,",
                "canonical": True,
            }
        ],
        "positions": [
            {"issue": "talks", "stance": "neutral", "holder": None, "excerpt": "We will see"}
        ],
        **timestamps(statement),
    }


def test_statement_list_runs_constant_queries_for_one(api_client, django_assert_num_queries):
    make_statement()

    # version (ETag), count, the page's keys, the page's statements with every nested list
    # (config.api.rows)
    with django_assert_num_queries(4):
        response = api_client.get("/api/v1/statements/")

    assert response.json()["count"] == 1


def test_statement_list_runs_constant_queries_for_many(api_client, django_assert_num_queries):
    for _ in range(30):
        make_statement()

    # version (ETag), count, the page's keys, the page's statements with every nested list
    # (config.api.rows)
    with django_assert_num_queries(4):
        response = api_client.get("/api/v1/statements/?page_size=30")

    assert len(response.json()["results"]) == 30


@pytest.mark.parametrize("n", [1, 30])
def test_filtered_statement_list_runs_constant_queries(api_client, django_assert_num_queries, n):
    topic = TopicFactory(slug="territory")
    for _ in range(n):
        make_statement().topics.add(topic)

    # version (ETag), the topic's slug checked, count, the page's keys, the page's statements
    # with every nested list (config.api.rows)
    with django_assert_num_queries(5):
        response = api_client.get("/api/v1/statements/?topic=territory&ordering=-date&page_size=30")

    assert len(response.json()["results"]) == n


@pytest.mark.parametrize("parameter", ["topic=territory", "source=tass", "place=kyiv"])
def test_statement_list_filters_many_valued_relations_without_distinct(
    api_client, django_assert_num_queries, parameter
):
    statement = make_statement()
    statement.topics.add(TopicFactory(slug="territory"))
    statement.places.add(PlaceFactory(slug="kyiv"))
    CitationFactory(source=SourceFactory(slug="tass"), statement=statement)
    CitationFactory(source=SourceFactory(slug="reuters"), statement=statement)

    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(f"/api/v1/statements/?{parameter}")

    # a subquery on the relation's table: no join repeating the statement, so no DISTINCT
    # (which sorts every matching row before the first page can be cut)
    assert [item["slug"] for item in response.json()["results"]] == [statement.slug]
    assert not [query["sql"] for query in queries if "DISTINCT" in query["sql"]]


@pytest.mark.parametrize("n", [1, 30])
def test_figure_list_runs_constant_queries(api_client, django_assert_num_queries, n):
    for _ in range(n):
        figure = FigureFactory(place=PlaceFactory())
        figure.topics.set([TopicFactory()])
        CitationFactory(figure=figure)

    # version (ETag), count, figures with place, topics, citations with their sources
    with django_assert_num_queries(5):
        response = api_client.get("/api/v1/figures/?page_size=30")

    assert len(response.json()["results"]) == n


@pytest.mark.parametrize("n", [1, 30])
def test_citation_list_runs_three_queries(api_client, django_assert_num_queries, n):
    for _ in range(n):
        CitationFactory(statement=StatementFactory())

    # version (ETag), count, citations with source, statement, event and figure
    with django_assert_num_queries(3):
        response = api_client.get("/api/v1/citations/?page_size=30")

    assert len(response.json()["results"]) == n


def test_figure_detail_shows_value_unit_and_range(api_client):
    FigureFactory(slug="four-regions", value="70", value_max="80", qualifier="range")

    response = api_client.get("/api/v1/figures/four-regions/")

    body = response.json()
    assert (body["value"], body["value_max"], body["unit"], body["qualifier"]) == (
        70.0,
        80.0,
        "percent",
        "range",
    )


def test_citation_detail_names_its_target(api_client):
    citation = CitationFactory(statement=StatementFactory(slug="s-1"))

    response = api_client.get(f"/api/v1/citations/{citation.slug}/")

    body = response.json()
    assert (body["slug"], body["statement"]["slug"], body["event"], body["figure"]) == (
        citation.slug,
        "s-1",
        None,
        None,
    )


def test_citation_detail_by_database_id_is_a_404(api_client):
    citation = CitationFactory(statement=StatementFactory(slug="s-1"))

    response = api_client.get(f"/api/v1/citations/{citation.pk}/")

    assert response.status_code == 404
    assert response.json() == {"detail": f"No citation with slug '{citation.pk}'."}


def test_positions_list_filters_by_issue_and_stance(api_client):
    statement = StatementFactory(slug="putin-no-territory")
    PositionFactory(statement=statement, issue="territory", stance="rejects")
    PositionFactory(statement=StatementFactory(), issue="territory", stance="accepts")
    PositionFactory(statement=StatementFactory(), issue="nato_membership", stance="rejects")

    response = api_client.get("/api/v1/positions/?issue=territory&stance=rejects")

    assert [(p["slug"], p["statement"]["slug"]) for p in response.json()["results"]] == [
        ("putin-no-territory--territory", "putin-no-territory")
    ]


def test_wordings_list_filters_by_statement(api_client):
    source = SourceFactory(slug="tass")
    statement = StatementFactory(slug="peskov-see")
    WordingFactory(statement=statement, source=source, canonical=True)
    WordingFactory(statement=StatementFactory(), source=source, canonical=True)

    response = api_client.get("/api/v1/wordings/?statement=peskov-see")

    assert [w["slug"] for w in response.json()["results"]] == ["peskov-see--tass"]
