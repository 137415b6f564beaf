"""POST /api/v1/ingest/ and /api/v1/candidates/: editors only, every refusal a 4xx naming what
is wrong with nothing created, and an article taken from its text to published, cited records
through the API."""

import pytest
from rest_framework.test import APIClient

from events.models import Source
from statements.checks import dataset_problems
from statements.ingest.models import Candidate
from statements.models import Statement
from tests.statements.test_ingest_service import TEXT, URL

pytestmark = pytest.mark.django_db

CANDIDATE_FIELDS = {
    "id", "source", "kind", "excerpt", "start", "end", "quote", "quote_spans", "speaker", "date",
    "date_precision", "date_earliest", "date_latest", "date_basis", "date_note", "title",
    "event_kind", "status", "value", "value_max", "unit", "qualifier", "words", "measure",
    "topics", "places", "confidence", "reason", "matches", "review_status", "reject_reason",
    "records", "reviewed_by", "reviewed_at", "accept_url", "reject_url",
}  # fmt: skip


def body(**changes) -> dict:
    return {"url": URL, "published": "2025-05-15", "outlet": "Example News", "text": TEXT,
            **changes}  # fmt: skip


def post(client, path: str, data: dict):
    return client.post(path, data, format="json")


@pytest.fixture
def ingested(editor_client) -> dict:
    response = post(editor_client, "/api/v1/ingest/", body())
    assert response.status_code == 201, response.json()
    return response.json()


def candidates(client, **params) -> list[dict]:
    response = client.get("/api/v1/candidates/", params)
    assert response.status_code == 200, response.json()
    return response.json()["results"]


def test_ingest_answers_201_with_the_source_and_its_candidates(editor, editor_client, ingested):
    source = Source.objects.get()

    assert ingested["created"] is True
    assert ingested["source"]["slug"] == source.slug
    assert ingested["candidates"] == (f"http://testserver/api/v1/candidates/?source={source.slug}")
    assert sum(ingested["counts"].values()) == source.candidates.count()
    assert source.text == TEXT
    assert source.history.get().history_user == editor


def test_candidates_show_the_interface_other_tools_script_against(editor_client, ingested):
    listed = candidates(editor_client, source=ingested["source"]["slug"], kind="quote")

    assert len(listed) == 1
    quote = listed[0]
    assert set(quote) == CANDIDATE_FIELDS
    assert {name: quote[name] for name in ("kind", "quote", "speaker", "review_status")} == {
        "kind": "quote",
        "quote": "We want peace, but not at any price.",
        "speaker": {"slug": None, "name": "Dmitry Peskov", "kind": "person", "label": "Peskov"},
        "review_status": "pending",
    }
    assert TEXT[quote["start"] : quote["end"]] == quote["excerpt"]
    detail = editor_client.get(f"/api/v1/candidates/{quote['id']}/")
    assert detail.json() == quote


def test_candidates_are_not_public(editor_client, ingested):
    anonymous = APIClient()

    listed = anonymous.get("/api/v1/candidates/")
    one = anonymous.get(f"/api/v1/candidates/{Candidate.objects.first().pk}/")
    ingest = post(anonymous, "/api/v1/ingest/", body(url="https://example.org/2"))

    assert [listed.status_code, one.status_code, ingest.status_code] == [401, 401, 401]
    assert listed["Cache-Control"] == "private, no-store"


def test_candidates_filter_by_kind_and_review_status(editor_client, ingested):
    claim = candidates(editor_client, kind="claim")[0]
    post(editor_client, claim["reject_url"], {"reason": "Not news."})

    rejected = candidates(editor_client, review_status="rejected")
    unknown = editor_client.get("/api/v1/candidates/", {"kind": "poem"})
    no_source = editor_client.get("/api/v1/candidates/", {"source": "no-such-source"})

    assert [(c["id"], c["reject_reason"]) for c in rejected] == [(claim["id"], "Not news.")]
    assert unknown.status_code == 400
    assert set(unknown.json()["errors"]) == {"kind"}
    assert no_source.status_code == 400


def test_candidate_list_queries(editor_client, ingested, django_assert_num_queries):
    # 1 the token with its user, 2 the token's expiry (knox), 3 the user's own permissions,
    # 4 those of the user's groups, 5 the filter's source, 6 count, 7 the page with source,
    # speaker and reviewer joined
    with django_assert_num_queries(7):
        many = candidates(editor_client, source=ingested["source"]["slug"])
    first = many[0]["id"]
    Candidate.objects.exclude(pk=first).delete()
    with django_assert_num_queries(7):
        one = candidates(editor_client, source=ingested["source"]["slug"])

    assert len(many) > 1
    assert [c["id"] for c in one] == [first]


def test_ingest_same_text_again_creates_nothing(editor_client, ingested):
    count = Candidate.objects.count()

    again = post(editor_client, "/api/v1/ingest/", body(url="https://example.org/copy"))

    assert again.status_code == 200
    assert (again.json()["created"], again.json()["source"]["slug"]) == (
        False,
        ingested["source"]["slug"],
    )
    assert Candidate.objects.count() == count


def test_ingest_another_text_at_a_known_url_is_a_409_naming_the_source(editor_client, ingested):
    conflict = post(editor_client, "/api/v1/ingest/", body(text=TEXT + "More.\n"))
    added = post(editor_client, "/api/v1/ingest/", body(text=TEXT + "More.\n", as_new_source=True))

    assert conflict.status_code == 409
    assert ingested["source"]["slug"] in conflict.json()["detail"]
    assert added.status_code == 201


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "No quotation marks here at all.\n"}, "text"),
        ({"text": None, "html": "<html><body><p>Menu</p></body></html>"}, "html"),
        ({"published": "2025-13-01"}, "published"),
        ({"colour": "red"}, "colour"),
        ({"html": "<p>both</p>"}, "text"),
        ({"url": "example"}, "url"),
        ({"text": 42}, "text"),
    ],
    ids=[
        "empty",
        "no-quotes",
        "not-an-article",
        "bad-date",
        "unknown-field",
        "text-and-html",
        "bad-url",
        "not-a-string",
    ],  # fmt: skip
)
def test_ingest_refuses_bad_input_with_a_400_naming_it(editor_client, changes, field):
    data = {name: value for name, value in body(**changes).items() if value is not None}

    response = post(editor_client, "/api/v1/ingest/", data)

    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"]
    assert not Source.objects.exists()
    assert not Candidate.objects.exists()


def test_ingest_refuses_an_article_over_the_limit_with_a_413(editor_client, settings):
    settings.INGEST_MAX_BYTES = 100

    small_body = post(editor_client, "/api/v1/ingest/", body())
    settings.INGEST_MAX_BYTES = 20_000
    large_body = post(editor_client, "/api/v1/ingest/", body(text="x" * 60_000))

    assert [small_body.status_code, large_body.status_code] == [413, 413]
    assert "100 bytes" in small_body.json()["detail"]
    assert not Source.objects.exists()


def test_ingest_refuses_a_20_mb_body_before_reading_it(editor_client):
    response = post(editor_client, "/api/v1/ingest/", body(text="“Words,” he said. " * 1_100_000))

    assert response.status_code == 413
    assert "an article may have at most 2,000,000 bytes" in response.json()["detail"]
    assert not Source.objects.exists()


def test_accept_through_the_api_answers_the_candidate_and_a_second_time_409(
    editor_client, ingested
):
    quote = candidates(editor_client, kind="quote")[0]

    accepted = post(editor_client, quote["accept_url"], {})
    twice = post(editor_client, quote["accept_url"], {})

    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["review_status"] == "accepted"
    assert accepted.json()["reviewed_by"] == "ed"
    assert twice.status_code == 409
    assert Statement.objects.count() == 2  # one per quoted run


def test_accept_refusals_are_400s_naming_the_field(editor_client, ingested):
    quote = candidates(editor_client, kind="quote")[0]

    not_verbatim = post(editor_client, quote["accept_url"], {"text": "Never said."})
    unknown = post(editor_client, quote["accept_url"], {"colour": "red"})
    no_person = post(editor_client, quote["accept_url"], {"speaker": "nobody-at-all"})
    no_reason = post(editor_client, quote["reject_url"], {})

    assert [r.status_code for r in (not_verbatim, unknown, no_person, no_reason)] == [400] * 4
    assert [set(r.json()["errors"]) for r in (not_verbatim, unknown, no_person, no_reason)] == [
        {"text"},
        {"colour"},
        {"speaker"},
        {"reason"},
    ]
    assert not Statement.objects.exists()


def test_a_seed_article_from_an_empty_database_to_cited_records(editor_client, settings):
    text = (settings.SEEDS_DIR / "001_203d6b131c478577.txt").read_text(encoding="utf-8")

    ingested = post(editor_client, "/api/v1/ingest/", body(text=text, published="2024-11-20",
                                                             outlet="Reuters"))  # fmt: skip
    slug = ingested.json()["source"]["slug"]
    quotes = candidates(editor_client, source=slug, kind=["quote", "fragment"])
    for candidate in quotes:
        response = post(editor_client, candidate["accept_url"], {})
        assert response.status_code == 200, response.json()
    claim = candidates(editor_client, source=slug, kind="claim")[0]
    assert post(editor_client, claim["accept_url"], {}).status_code == 200

    statements = APIClient().get("/api/v1/statements/", {"source": slug, "page_size": 100})
    found = statements.json()["results"]
    source = Source.objects.get(slug=slug)
    assert ingested.status_code == 201
    assert len(quotes) >= 5
    assert len(found) == Statement.objects.count() >= len(quotes) + 1
    for statement in found:
        assert statement["citations"], statement["slug"]
        for citation in statement["citations"]:
            assert source.text[citation["start"] : citation["end"]] == citation["excerpt"]
        if statement["kind"] != "paraphrase":
            assert any(statement["text"] in c["excerpt"] for c in statement["citations"])
    assert [problem for problem in list(dataset_problems()) if "no source" not in problem] == []


def test_an_editors_candidates_are_never_kept_nor_served_from_the_cache(
    editor_client, ingested, settings
):
    settings.PARLEY_RESPONSE_CACHE_SECONDS = 3600
    path = f"/api/v1/candidates/?source={ingested['source']['slug']}"
    claim = candidates(editor_client, kind="claim")[0]
    seen = editor_client.get(path)
    post(editor_client, claim["reject_url"], {"reason": "Not news."})

    anonymous = APIClient().get(path)
    again = editor_client.get(path)

    assert seen.status_code == 200
    assert "ETag" not in seen
    assert anonymous.status_code == 401
    rejected = [c for c in again.json()["results"] if c["id"] == claim["id"]]
    assert rejected[0]["review_status"] == "rejected"
