"""Paging by number (with a capped count) and by cursor (a keyset walk at any depth)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.api.pagination import CappedPaginator, count_rows
from statements.models import Statement
from tests.factories import (
    CitationFactory,
    FigureFactory,
    SourceFactory,
    StatementFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def walk(api_client, url: str, direction: str = "next") -> list[list[str]]:
    """Follow the links from `url` and return the slugs of every page on the way."""
    pages = []
    while url:
        response = api_client.get(url)
        assert response.status_code == 200, response.json()
        pages.append([item["slug"] for item in response.json()["results"]])
        url = response.json()[direction]
    return pages


@pytest.fixture
def statements():
    # dates that tie (month precision) as well as distinct ones, so that the walk must break
    # ties by slug and id to stay exact
    for n in range(23):
        StatementFactory(slug=f"s-{n:02}", date="2025-03" if n % 3 else f"2025-02-{n + 1:02}")


@pytest.mark.parametrize("ordering", ["", "&ordering=-date", "&ordering=slug", "&ordering=-slug"])
def test_cursor_walk_visits_every_record_in_the_list_order(api_client, statements, ordering):
    by_number = walk(api_client, f"/api/v1/statements/?page_size=5{ordering}")

    by_cursor = walk(api_client, f"/api/v1/statements/?paging=cursor&page_size=5{ordering}")

    assert by_cursor == by_number
    assert sum(len(page) for page in by_cursor) == 23


def test_cursor_walk_back_by_previous_links_returns_the_same_pages(api_client, statements):
    forward = []
    url = "/api/v1/statements/?paging=cursor&page_size=5&ordering=-date"
    while url:
        response = api_client.get(url).json()
        forward.append(response)
        url = response["next"]

    backward = walk(api_client, forward[-1]["previous"], direction="previous")

    assert backward == [[i["slug"] for i in page["results"]] for page in forward[-2::-1]]


def test_cursor_page_has_no_count_and_links_in_the_body_and_header(api_client, statements):
    response = api_client.get("/api/v1/statements/?paging=cursor&page_size=20")

    body = response.json()
    assert set(body) == {"next", "previous", "results"}
    assert body["previous"] is None
    assert body["next"].startswith("http://testserver/api/v1/statements/?cursor=")
    assert body["next"].endswith("&page_size=20&paging=cursor")
    assert response["Link"] == f'<{body["next"]}>; rel="next"'


def test_cursor_pages_run_the_same_queries_at_any_depth(
    api_client, statements, django_assert_num_queries
):
    url = "/api/v1/statements/?paging=cursor&page_size=2"
    urls = []
    while url:
        urls.append(url)
        url = api_client.get(url).json()["next"]

    # dataset version, the keys after the cursor (no count), the page's statements with every
    # nested list (config.api.rows)
    for url in (urls[0], urls[-1]):
        with django_assert_num_queries(3):
            api_client.get(url)


def test_cursor_walk_crosses_from_open_starts_to_dated_records(api_client, statements):
    # open starts (said before the report, no telling when) sort first, as the earliest there is
    Statement.objects.filter(slug__in=["s-01", "s-05", "s-07"]).update(
        date_earliest=None, date_basis="before_report", date_interval_explicit=True
    )
    by_number = walk(api_client, "/api/v1/statements/?page_size=2")

    by_cursor = walk(api_client, "/api/v1/statements/?paging=cursor&page_size=2")

    assert by_cursor == by_number
    assert by_cursor[0] == ["s-01", "s-05"]


@pytest.mark.parametrize("ordering", ["slug", "-slug"])
def test_order_on_a_column_without_nulls_has_no_nulls_modifier(api_client, statements, ordering):
    with CaptureQueriesContext(connection) as queries:
        api_client.get(f"/api/v1/statements/?paging=cursor&ordering={ordering}")

    # a NULLS FIRST/LAST that the column's plain index does not share would keep PostgreSQL
    # from reading the page off that index
    listed = [query["sql"] for query in queries if "ORDER BY" in query["sql"]]
    assert listed
    assert not [sql for sql in listed if "NULLS" in sql.split("ORDER BY")[-1]]


def test_cursor_of_another_ordering_is_refused(api_client, statements):
    next_url = api_client.get("/api/v1/statements/?paging=cursor&page_size=5").json()["next"]

    response = api_client.get(next_url + "&ordering=-date")

    assert (response.status_code, response.json()["errors"]) == (
        400,
        {"cursor": ["This cursor belongs to another ordering: start again without it."]},
    )


@pytest.mark.parametrize("cursor", ["abc", "eyJrIjoiIn0:1abc:xyz", "x" * 2000])
def test_cursor_not_issued_by_the_api_is_refused(api_client, cursor):
    response = api_client.get(f"/api/v1/statements/?paging=cursor&cursor={cursor}")

    assert (response.status_code, response.json()["errors"]) == (
        400,
        {"cursor": ["Not a cursor of this API: use the next or previous link as given."]},
    )


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ("paging=cursor&page=2", {"page": ["Page numbers do not apply with paging=cursor."]}),
        ("paging=page&cursor=abc", {"cursor": ["A cursor needs paging=cursor."]}),
        ("paging=all", {"paging": ["paging is page or cursor."]}),
    ],
)
def test_paging_parameters_that_contradict_each_other_are_refused(api_client, query, errors):
    response = api_client.get(f"/api/v1/statements/?{query}")

    assert (response.status_code, response.json()["errors"]) == (400, errors)


def test_cursor_walk_works_on_a_decimal_ordering(api_client):
    for n in range(7):
        FigureFactory(slug=f"f-{n}", value=f"{n % 3}.5")

    by_number = walk(api_client, "/api/v1/figures/?page_size=3&ordering=-value")
    by_cursor = walk(api_client, "/api/v1/figures/?paging=cursor&page_size=3&ordering=-value")

    assert by_cursor == by_number


def test_page_number_count_is_exact_below_the_cap(api_client, statements):
    body = api_client.get("/api/v1/statements/?page_size=5").json()

    assert (body["count"], body["count_exact"]) == (23, True)


def test_page_number_count_stops_at_the_cap(api_client, statements, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 10)

    body = api_client.get("/api/v1/statements/?page_size=4&page=3").json()
    past = api_client.get("/api/v1/statements/?page_size=4&page=4")

    assert (body["count"], body["count_exact"], len(body["results"])) == (10, False, 2)
    assert (past.status_code, past.json()) == (
        404,
        {
            "detail": "page 4 is past the first 10 records, which page numbers reach; walk "
            "further with paging=cursor."
        },
    )


def test_page_number_count_reads_no_more_rows_than_the_cap(
    api_client, statements, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(CappedPaginator, "cap", 10)

    # dataset version, the capped count, the page's keys, the page's statements with every
    # nested list (config.api.rows)
    with django_assert_num_queries(4) as captured:
        api_client.get("/api/v1/statements/?page_size=1")

    count_sql = captured.captured_queries[1]["sql"]
    assert "COUNT(" in count_sql.upper()
    assert "LIMIT 11" in count_sql.upper()


def test_count_rows_counts_as_the_orm_counts(statements, django_assert_num_queries):
    march = Statement.objects.filter(date_earliest__month=3).values("pk")

    with django_assert_num_queries(2):
        counted = [count_rows(march[:n]) for n in (5, 100)]
    with django_assert_num_queries(0):  # a filter that nothing can match runs no query
        nothing = count_rows(Statement.objects.filter(pk__in=[]).values("pk")[:5])

    assert counted == [march[:5].count(), march[:100].count()] == [5, 15]
    assert nothing == 0


@pytest.fixture
def linked():
    """Statements with one topic, both topics, the other one; two citations of one source."""
    territory, security = TopicFactory(slug="territory"), TopicFactory(slug="security")
    for n in range(7):
        statement = StatementFactory(slug=f"t-{n}", date=f"2025-01-{n + 1:02}")
        statement.topics.set([territory] if n < 3 else [territory, security] if n < 5 else [])
    cited = StatementFactory(slug="cited-twice")
    source = SourceFactory(slug="one-source", text="First they met.\nThen they spoke.")
    CitationFactory(statement=cited, source=source)
    CitationFactory(statement=cited, source=source, excerpt="Then they spoke.")


def count_query(api_client, url: str) -> tuple[dict, str]:
    with CaptureQueriesContext(connection) as captured:
        body = api_client.get(url).json()
    (sql,) = [query["sql"] for query in captured.captured_queries if "COUNT(" in query["sql"]]
    return body, sql


def test_one_topic_is_counted_from_its_links(api_client, linked, monkeypatch):
    body, sql = count_query(api_client, "/api/v1/statements/?topic=territory&ordering=-date")

    assert (body["count"], body["count_exact"]) == (5, True)
    # the links alone: no lookup of each statement
    assert "statements_statement_topics" in sql
    assert '"statements_statement"' not in sql.split("FROM", 2)[1]

    monkeypatch.setattr(CappedPaginator, "cap", 3)  # the cap holds there too
    body = api_client.get("/api/v1/statements/?topic=territory&page_size=2").json()
    assert (body["count"], body["count_exact"]) == (3, False)


@pytest.mark.parametrize(
    ("query", "count"),
    [
        # a statement with both topics is one statement: the links would count it twice
        ("topic=territory&topic=security", 5),
        # two citations of one source, one statement
        ("source=one-source", 1),
        # another condition beside the topic
        ("topic=territory&date_from=2025-01-03", 3),
    ],
)
def test_lists_that_links_cannot_count_count_their_records(api_client, linked, query, count):
    body, sql = count_query(api_client, f"/api/v1/statements/?{query}")

    assert (body["count"], body["count_exact"]) == (count, True)
    assert '"statements_statement"' in sql.split("FROM", 2)[1]
