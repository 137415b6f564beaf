import pytest

from tests.factories import (
    CitationFactory,
    EventFactory,
    PersonFactory,
    PlaceFactory,
    SourceFactory,
    TopicFactory,
)
from tests.responses import timestamps

pytestmark = pytest.mark.django_db


def make_event(n: int):
    source = SourceFactory()
    event = EventFactory(
        participants=[PersonFactory(), PersonFactory()],
        topics=[TopicFactory()],
        places=[PlaceFactory()],
    )
    CitationFactory(source=source, event=event)
    return event


def test_event_list_returns_nested_briefs_and_citations(api_client):
    source = SourceFactory(slug="bne", title="Soft positions", date="2025-02-06")
    putin = PersonFactory(slug="vladimir-putin", name="Vladimir Putin")
    event = EventFactory(
        slug="munich-2025",
        title="Munich Security Conference",
        kind="conference",
        date="2025-02-14",
        end_date="2025-02-16",
        participants=[putin],
        topics=[TopicFactory(slug="territory", name="Territory")],
        places=[PlaceFactory(slug="munich", name="Munich")],
    )
    citation = CitationFactory(source=source, event=event)

    response = api_client.get("/api/v1/events/")

    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert response.json()["results"][0] == {
        "slug": "munich-2025",
        "url": "http://testserver/api/v1/events/munich-2025/",
        "title": "Munich Security Conference",
        "summary": "",
        "kind": "conference",
        "status": "planned",
        "date": "2025-02-14",
        "date_precision": "day",
        "date_earliest": "2025-02-14",
        "date_latest": "2025-02-16",
        "date_basis": "stated",
        "date_note": "",
        "end_date": "2025-02-16",
        "places": [
            {"slug": "munich", "name": "Munich", "url": "http://testserver/api/v1/places/munich/"}
        ],
        "participants": [
            {
                "slug": "vladimir-putin",
                "name": "Vladimir Putin",
                "kind": "person",
                "url": "http://testserver/api/v1/people/vladimir-putin/",
            }
        ],
        "topics": [
            {
                "slug": "territory",
                "name": "Territory",
                "url": "http://testserver/api/v1/topics/territory/",
            }
        ],
        "citations": [
            {
                "slug": citation.slug,
                "url": f"http://testserver/api/v1/citations/{citation.slug}/",
                "source": {
                    "slug": "bne",
                    "name": "Soft positions",
                    "publisher": "Reuters",
                    "date": "2025-02-06",
                    "url": "http://testserver/api/v1/sources/bne/",
                },
                "excerpt": citation.excerpt,
                "start": citation.start,
                "end": citation.end,
            }
        ],
        "highlight": None,
        **timestamps(event),
    }


def test_event_list_runs_constant_queries_for_one_event(api_client, django_assert_num_queries):
    make_event(1)

    # version (ETag), count, the page's keys, the page's events with every nested list
    # (config.api.rows)
    with django_assert_num_queries(4):
        response = api_client.get("/api/v1/events/")

    assert response.json()["count"] == 1


def test_event_list_runs_constant_queries_for_many_events(api_client, django_assert_num_queries):
    for n in range(25):
        make_event(n)

    # version (ETag), count, the page's keys, the page's events with every nested list
    # (config.api.rows)
    with django_assert_num_queries(4):
        response = api_client.get("/api/v1/events/?page_size=25")

    assert len(response.json()["results"]) == 25


def test_event_detail_is_found_by_slug(api_client):
    EventFactory(slug="ramstein-2025-02-12", title="Ramstein meeting")

    response = api_client.get("/api/v1/events/ramstein-2025-02-12/")

    assert (response.status_code, response.json()["title"]) == (200, "Ramstein meeting")


def test_event_detail_unknown_slug_is_a_json_404(api_client):
    response = api_client.get("/api/v1/events/no-such-event/")

    assert (response.status_code, response.json()) == (
        404,
        {"detail": "No event with slug 'no-such-event'."},
    )


def test_person_list_shows_aliases_and_kind(api_client):
    person = PersonFactory(
        slug="volodymyr-zelenskiy",
        name="Volodymyr Zelenskiy",
        aliases=["Zelensky"],
        description="President of Ukraine",
        affiliation="Ukraine",
        country_code="UA",
    )

    response = api_client.get("/api/v1/people/")

    assert response.json()["results"] == [
        {
            "slug": "volodymyr-zelenskiy",
            "name": "Volodymyr Zelenskiy",
            "kind": "person",
            "url": "http://testserver/api/v1/people/volodymyr-zelenskiy/",
            "aliases": ["Zelensky"],
            "description": "President of Ukraine",
            "affiliation": "Ukraine",
            "country_code": "UA",
            "wikidata_id": "",
            **timestamps(person),
        }
    ]


@pytest.mark.parametrize("n", [1, 30])
def test_person_list_runs_three_queries(api_client, django_assert_num_queries, n):
    for _ in range(n):
        PersonFactory()

    # version (ETag), count, people
    with django_assert_num_queries(3):
        response = api_client.get("/api/v1/people/?page_size=100")

    assert len(response.json()["results"]) == n


@pytest.mark.parametrize("n", [1, 30])
def test_topic_and_place_lists_run_three_queries_each(api_client, django_assert_num_queries, n):
    for _ in range(n):
        TopicFactory()
        PlaceFactory()

    # version, count, topics; then version, count, places
    with django_assert_num_queries(6):
        topics = api_client.get("/api/v1/topics/?page_size=100")
        places = api_client.get("/api/v1/places/?page_size=100")

    assert (len(topics.json()["results"]), len(places.json()["results"])) == (n, n)


@pytest.mark.parametrize("n", [1, 30])
def test_source_list_runs_three_queries_and_leaves_text_out(
    api_client, django_assert_num_queries, n
):
    for _ in range(n):
        SourceFactory()

    # version (ETag), count, sources (with the text's length, not the text)
    with django_assert_num_queries(3):
        response = api_client.get("/api/v1/sources/?page_size=100")

    first = response.json()["results"][0]
    assert ("text" in first, first["text_length"], len(response.json()["results"])) == (
        False,
        len(SourceFactory._meta.model.objects.first().text),
        n,
    )


def test_source_detail_includes_the_reference_text(api_client):
    source = SourceFactory(slug="reuters", text="MOSCOW, Nov 20 (Reuters) – text")

    response = api_client.get("/api/v1/sources/reuters/")

    assert {key: response.json()[key] for key in ["text", "text_sha256", "text_length"]} == {
        "text": "MOSCOW, Nov 20 (Reuters) – text",
        "text_sha256": source.compute_sha256(),
        "text_length": 31,
    }


def test_api_root_lists_every_endpoint(api_client):
    response = api_client.get("/api/v1/")

    assert set(response.json()) == {
        "statements",
        "events",
        "people",
        "sources",
        "figures",
        "topics",
        "places",
        "citations",
        "search",
        "timeline",
        "wordings",
        "positions",
        "changes",
        "candidates",  # editors only: proposals from ingested articles
        "ingest",  # editors only: POST an article
        "docs",
        "redoc",
        "schema",
    }


def test_api_unknown_path_is_a_json_404(api_client):
    response = api_client.get("/api/v1/nothing-here/")

    assert (response.status_code, response.json()["detail"]) == (
        404,
        "No API endpoint at '/api/v1/nothing-here/'. See /api/docs/.",
    )


def test_api_refuses_writes_without_a_token_and_to_read_only_types(api_client):
    anonymous = api_client.post("/api/v1/events/", {"slug": "x"}, format="json")
    read_only = api_client.post("/api/v1/wordings/", {"slug": "x"}, format="json")

    assert (anonymous.status_code, anonymous.json()) == (
        401,
        {"detail": "Authentication credentials were not provided."},
    )
    assert (read_only.status_code, read_only.json()) == (
        405,
        {"detail": 'Method "POST" not allowed.'},
    )


@pytest.mark.parametrize(
    ("address", "statements", "docs"),
    [
        ("/api/v1/", "http://testserver/api/v1/statements/", "http://testserver/api/docs/"),
        (
            "/api/v1/?format=json",
            "http://testserver/api/v1/statements/?format=json",
            "http://testserver/api/docs/?format=json",
        ),
        (
            "/api/v1/.json",
            "http://testserver/api/v1/statements.json",
            "http://testserver/api/docs/",
        ),
    ],
)
def test_api_root_links_keep_the_format_asked_for(api_client, address, statements, docs):
    first = api_client.get(address).json()
    again = api_client.get(address, HTTP_HOST="localhost").json()

    assert (first["statements"], first["docs"]) == (statements, docs)
    assert again["statements"] == statements.replace("testserver", "localhost")
