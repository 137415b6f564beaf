"""What a write costs: each reads its record once, locked, and answers as the GET that follows.

The counts hold on SQLite and PostgreSQL alike. The test runs inside a transaction, so a
write's own transaction is a savepoint here (SAVEPOINT and RELEASE are counted); a server
runs it as a transaction of its own, whose BEGIN and COMMIT are not queries Django counts.
"""

import pytest

from statements.models import Position, Statement, Wording
from tests.factories import (
    CitationFactory,
    EventFactory,
    PersonFactory,
    PlaceFactory,
    SourceFactory,
    StatementFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

QUOTED = "“We will see,” he told reporters in Moscow."
STATEMENT = "/api/v1/statements/peskov-we-will-see/"

# every write: the token, the user's other tokens (knox drops the expired ones), the user's
# and the user's groups' permissions
AUTHENTICATION = 4


@pytest.fixture
def statement() -> Statement:
    """A statement with something in every relation its answer shows."""
    source = SourceFactory(slug="tass", date="2025-02-28")
    peskov = PersonFactory(slug="dmitry-peskov", name="Dmitry Peskov")
    statement = StatementFactory(
        slug="peskov-we-will-see",
        speaker=peskov,
        date="2025-02",
        occasion=EventFactory(slug="briefing"),
    )
    CitationFactory(source=source, statement=statement, excerpt=QUOTED)
    CitationFactory(source=source, statement=statement, excerpt="The talks could begin")
    statement.topics.set([TopicFactory(slug="talks"), TopicFactory(slug="nato")])
    statement.places.set([PlaceFactory(slug="moscow")])
    statement.about.set([EventFactory(slug="istanbul-talks")])
    Wording.objects.create(statement=statement, source=source, text="We will see,", canonical=True)
    Position.objects.create(
        statement=statement, issue="talks", stance="conditions", holder=peskov, excerpt="We will"
    )
    return statement


def tag(client, path: str) -> str:
    return client.get(path)["ETag"]


def test_statement_patch_runs_twenty_queries(editor_client, statement, django_assert_num_queries):
    current = tag(editor_client, STATEMENT)

    # AUTHENTICATION; SAVEPOINT; the statement with its speaker and occasion, its row locked
    # (FOR NO KEY UPDATE on PostgreSQL); its answer as a GET gives it (the row reader), for the
    # If-Match check; the speaker and the occasion found (full_clean); its citations (its
    # evidence, its reports); UPDATE; the words of its text into the search's vocabulary; its
    # new version number; the version; its about, topics and places into the version (one
    # INSERT ... SELECT each); the dataset version; RELEASE; the answer (the row reader)
    with django_assert_num_queries(AUTHENTICATION + 16):
        response = editor_client.patch(
            STATEMENT, {"date": "2025-02-04"}, format="json", HTTP_IF_MATCH=current
        )

    assert response.status_code == 200, response.json()
    assert response.json()["date"] == "2025-02-04"


def test_statement_unchanged_put_runs_thirteen_queries(
    editor_client, statement, django_assert_num_queries
):
    shown = editor_client.get(STATEMENT)

    # AUTHENTICATION; SAVEPOINT; the statement, locked; its answer as a GET gives it, for
    # If-Match and, nothing having changed, as the answer; the slug still its own; the speaker
    # found by its slug (a PUT requires it; the relations that are the record's are left out);
    # the speaker and the occasion found (full_clean); its citations; RELEASE. No UPDATE, no
    # version, no dataset version, no second answer
    with django_assert_num_queries(AUTHENTICATION + 9):
        response = editor_client.put(
            STATEMENT, shown.json(), format="json", HTTP_IF_MATCH=shown["ETag"]
        )

    assert response.status_code == 200, response.json()
    assert (response.content, response["ETag"]) == (shown.content, shown["ETag"])


def test_statement_empty_patch_runs_eleven_queries(
    editor_client, statement, django_assert_num_queries
):
    shown = editor_client.get(STATEMENT)

    # as the unchanged PUT (above), without the slug's check and the speaker by its slug
    with django_assert_num_queries(AUTHENTICATION + 7):
        response = editor_client.patch(STATEMENT, {}, format="json", HTTP_IF_MATCH=shown["ETag"])

    assert response.status_code == 200, response.json()
    assert (response.content, response["ETag"]) == (shown.content, shown["ETag"])


def test_statement_patch_of_its_topics_runs_twenty_four_queries(
    editor_client, statement, django_assert_num_queries
):
    current = tag(editor_client, STATEMENT)

    # as a PATCH of its date (above), with the topic found by its slug, the topics it has,
    # the link dropped (DELETE) and the statement's updated_at touched
    with django_assert_num_queries(AUTHENTICATION + 20):
        response = editor_client.patch(
            STATEMENT, {"topics": ["talks"]}, format="json", HTTP_IF_MATCH=current
        )

    assert response.status_code == 200, response.json()
    assert [topic["slug"] for topic in response.json()["topics"]] == ["talks"]
    assert [row.topics.count() for row in statement.history.all()[:2]] == [1, 2]


def test_citation_patch_runs_twenty_queries(editor_client, statement, django_assert_num_queries):
    citation = statement.citations.get(excerpt=QUOTED)
    path = f"/api/v1/citations/{citation.slug}/"
    current = tag(editor_client, path)

    # AUTHENTICATION; SAVEPOINT; the citation with its source, statement, event and figure and
    # its version, its row locked (its If-Match check needs nothing more); the source and the
    # statement found (full_clean); three of its constraints (SAVEPOINT, the check, RELEASE
    # each); the statement's other citations (its evidence); UPDATE; the citation's new
    # version number; the version; the dataset version; RELEASE; the answer
    with django_assert_num_queries(AUTHENTICATION + 20):
        response = editor_client.patch(
            path,
            {"excerpt": "“We will see,” he told reporters"},
            format="json",
            HTTP_IF_MATCH=current,
        )

    assert response.status_code == 200, response.json()
    assert response.json()["excerpt"] == "“We will see,” he told reporters"


def test_statement_put_runs_twenty_four_queries(
    editor_client, statement, django_assert_num_queries
):
    current = tag(editor_client, STATEMENT)
    body = {
        "slug": "peskov-we-will-see",
        "speaker": "dmitry-peskov",
        "speaker_label": "he",
        "kind": "quote",
        "text": "We will see,",
        "date": "2025-02-04",
        "date_basis": "resolved",
        "topics": ["talks", "nato"],
    }

    # AUTHENTICATION; SAVEPOINT; the statement, locked; its answer, for If-Match; the slug
    # still its own (the serializer's unique check); the speaker and the topics found by their
    # slugs; the speaker and the occasion found (full_clean); its citations; UPDATE; its words;
    # the topics it has (the same: nothing more); its new version number; the version; its
    # about, topics and places into it; the dataset version; RELEASE; the answer
    with django_assert_num_queries(AUTHENTICATION + 20):
        response = editor_client.put(STATEMENT, body, format="json", HTTP_IF_MATCH=current)

    assert response.status_code == 200, response.json()
    assert response.json()["date"] == "2025-02-04"


def test_statement_post_runs_twenty_three_queries(editor_client, django_assert_num_queries):
    SourceFactory(slug="tass", date="2025-02-28")
    PersonFactory(slug="dmitry-peskov", name="Dmitry Peskov")
    TopicFactory(slug="talks")
    body = {
        "slug": "peskov-2025-02-04-we-will-see",
        "speaker": "dmitry-peskov",
        "speaker_label": "he",
        "kind": "quote",
        "text": "We will see,",
        "date": "2025-02-04",
        "date_basis": "resolved",
        "topics": ["talks"],
        "citations": [{"source": "tass", "excerpt": QUOTED}],
    }

    # AUTHENTICATION; SAVEPOINT; the slug not taken (the serializer); the speaker, the topic
    # and the citation's source found by their slugs; the speaker found and the slug not
    # taken (full_clean); INSERT; its words; the topics it has, those already linked, the link
    # added and its updated_at touched; the citation's INSERT; each record's new version
    # number and version, with the statement's about, topics and places; the dataset version;
    # RELEASE; the answer
    with django_assert_num_queries(AUTHENTICATION + 24):
        response = editor_client.post("/api/v1/statements/", body, format="json")

    assert response.status_code == 201, response.json()


def test_citation_delete_runs_eight_queries(editor_client, statement, django_assert_num_queries):
    citation = statement.citations.get(excerpt=QUOTED)
    path = f"/api/v1/citations/{citation.slug}/"
    current = tag(editor_client, path)

    # AUTHENTICATION; SAVEPOINT; the citation with its version, locked; the statement's other
    # citations (it keeps one); DELETE; its new version number and version; the dataset
    # version; RELEASE
    with django_assert_num_queries(AUTHENTICATION + 8):
        response = editor_client.delete(path, HTTP_IF_MATCH=current)

    assert response.status_code == 204


def test_statement_delete_runs_thirty_three_queries(
    editor_client, statement, django_assert_num_queries
):
    current = tag(editor_client, STATEMENT)

    # AUTHENTICATION; SAVEPOINT; the statement, locked; its answer, for If-Match; its
    # wordings, positions and citations (deleted with it); its about, topics and places
    # links deleted (one DELETE each); the ingest candidates that named it let go; the
    # wording, the position and the two citations deleted, each with its new version number
    # and version; the statement's DELETE, its new version number and version, with its (now
    # empty) about, topics and places; the dataset version; RELEASE
    with django_assert_num_queries(AUTHENTICATION + 29):
        response = editor_client.delete(STATEMENT, HTTP_IF_MATCH=current)

    assert response.status_code == 204


@pytest.mark.parametrize("kind", ["statement", "citation"])
def test_patch_answers_byte_for_byte_as_the_get_that_follows(editor_client, statement, kind):
    if kind == "statement":
        path, body = STATEMENT, {"date": "2025-02-04", "topics": ["nato"]}
    else:
        path = f"/api/v1/citations/{statement.citations.get(excerpt=QUOTED).slug}/"
        body = {"excerpt": "“We will see,” he told reporters"}

    patched = editor_client.patch(path, body, format="json", HTTP_IF_MATCH=tag(editor_client, path))
    got = editor_client.get(path)

    assert patched.status_code == 200, patched.json()
    assert patched.content == got.content
    assert patched["ETag"] == got["ETag"]
