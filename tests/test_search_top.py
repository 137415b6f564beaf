"""A common word's ranking kept on PostgreSQL (config.db.search.top): the same answers as ranking
every match, read from the kept ranking; kept current by its trigger. SQLite has none."""

import pytest
from django.core.management import call_command
from django.db import connection

from config.api import pagination
from config.api.pagination import CappedPaginator
from config.db.search import postgresql
from statements.models import Statement
from tests.factories import PersonFactory, StatementFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the kept ranking is PostgreSQL's (SQLite ranks every match)",
    ),
]

TEXTS = [
    "A ceasefire now.",
    "A ceasefire, a ceasefire, a ceasefire: the cease-fire holds.",
    "The ceasefire and the fire.",
    "Ceasefire talks.",
    "A truce, not a ceasefire.",
    "A ceasefire on the energy front, then a wider ceasefire.",
]


@pytest.fixture
def kept(monkeypatch):
    """Thirty statements holding ceasefire (more than the cap of 10), the first 15 kept."""
    monkeypatch.setattr(CappedPaginator, "cap", 10)
    monkeypatch.setattr(postgresql, "TOP_ROWS", 15)
    speaker = PersonFactory(slug="speaker", name="Speaker")
    for number in range(30):
        StatementFactory(
            slug=f"s-{number:02}",
            speaker=speaker,
            text=TEXTS[number % len(TEXTS)],
            date=f"2025-{number % 12 + 1:02}",
            date_basis="before_report" if number % 7 == 0 else "stated",
        )
    StatementFactory(slug="truce-only", speaker=speaker, text="Only a truce.")
    call_command("refresh_search_top", "--word", "ceasefire", verbosity=0)


def pages(api_client, **params) -> list[dict]:
    answers = []
    for page in (1, 2):
        response = api_client.get("/api/v1/statements/", {**params, "page": page})
        assert response.status_code == 200, response.json()
        answers.append(response.json())
    return answers


def ranked_in_full(api_client, monkeypatch, **params) -> list[dict]:
    with monkeypatch.context() as patched:
        patched.setattr(pagination, "kept_ranking", lambda *args: None)
        return pages(api_client, **params)


def test_kept_ranking_answers_as_ranking_every_match(api_client, monkeypatch, kept):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM statements_statement_top")
        rows = cursor.fetchone()[0]

    fast = pages(api_client, q="ceasefire", page_size=5)

    assert rows == 15
    assert fast == ranked_in_full(api_client, monkeypatch, q="ceasefire", page_size=5)
    assert fast[0]["count"] == 10
    assert fast[0]["results"][0]["highlight"] == (
        "A <mark>ceasefire</mark>, a <mark>ceasefire</mark>, a <mark>ceasefire</mark>: the "
        "<mark>cease</mark>-<mark>fire</mark> holds."
    )


def test_kept_ranking_is_read_with_the_queries_of_a_ranked_page(
    api_client, kept, django_assert_num_queries
):
    # dataset version, the count (from the kept ranking), the page's keys (their order from
    # the kept ranking, their rank and highlight computed), the page's statements
    with django_assert_num_queries(4) as captured:
        api_client.get("/api/v1/statements/", {"q": "ceasefire"})

    assert "statements_statement_top" in captured.captured_queries[1]["sql"]
    assert "statements_statement_top" in captured.captured_queries[2]["sql"]


@pytest.mark.parametrize(
    "params",
    [
        {"q": "ceasefire", "ordering": "-date", "page_size": 5},  # another order
        {"q": "ceasefire", "speaker": "speaker", "page_size": 5},  # another filter
        {"q": "ceasefire -energy", "page_size": 5},  # not one term
        {"q": "truce ceasefire", "page_size": 5},  # not kept
    ],
)
def test_kept_ranking_is_left_alone_where_it_cannot_answer(api_client, monkeypatch, kept, params):
    with monkeypatch.context() as patched:
        patched.setattr(
            pagination.top, "page", lambda *args: pytest.fail("read from the kept ranking")
        )
        answer = pages(api_client, **params)

    assert answer == ranked_in_full(api_client, monkeypatch, **params)


def test_kept_ranking_follows_saves_and_deletes(api_client, monkeypatch, kept):
    best = StatementFactory(
        slug="best", text="Ceasefire ceasefire ceasefire ceasefire ceasefire fire.", date="2025"
    )
    Statement.objects.filter(slug="s-01").update(text="Nothing more.")  # no save: no signal
    Statement.objects.get(slug="s-07").delete()
    worst = Statement.objects.get(slug="s-03")
    worst.text = "Ceasefire ceasefire ceasefire ceasefire fire, a whole ceasefire."
    worst.save()

    fast = pages(api_client, q="ceasefire", page_size=5)

    assert fast == ranked_in_full(api_client, monkeypatch, q="ceasefire", page_size=5)
    shown = [item["slug"] for answer in fast for item in answer["results"]]
    # the new best and the rewritten s-03 rank among the first; the deleted s-07 and s-01,
    # updated in SQL (the trigger sees what no signal does), are gone
    assert {best.slug, "s-03"} <= set(shown[:5])
    assert not {"s-07", "s-01"} & set(shown)
