"""Every input bounded: text lengths on the models, checked in the admin and the API alike;
lists of related records capped, deduplicated and resolved with one query."""

import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.api.writes import MAX_LINKS
from events.models import Person, Topic
from statements.models import Statement
from tests.factories import CitationFactory, PersonFactory, StatementFactory, TopicFactory

pytestmark = pytest.mark.django_db


def patch(client, path: str, body: dict):
    return client.patch(path, body, format="json", HTTP_IF_MATCH=client.get(path)["ETag"])


@pytest.fixture
def statement() -> Statement:
    return CitationFactory(
        statement=StatementFactory(slug="s-1"), excerpt="“We will see,”"
    ).statement


def test_api_refuses_an_over_long_text_naming_the_field(editor_client):
    TopicFactory(slug="nato", description="NATO membership")

    response = patch(editor_client, "/api/v1/topics/nato/", {"description": "x" * 2_001})

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "description": ["Ensure this field has no more than 2000 characters."]
    }
    assert Topic.objects.get().description == "NATO membership"


def test_api_refuses_an_over_long_statement_text(editor_client, statement):
    response = patch(editor_client, "/api/v1/statements/s-1/", {"text": "x" * 5_001})

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "text": ["Ensure this field has no more than 5000 characters."]
    }


def test_admin_refuses_an_over_long_text_naming_the_field(admin_client):
    topic = TopicFactory(slug="nato", name="NATO", description="NATO membership")

    response = admin_client.post(
        f"/admin/events/topic/{topic.pk}/change/",
        {"slug": "nato", "name": "NATO", "description": "x" * 2_001},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "description": ["Ensure this value has at most 2000 characters (it has 2001)."]
    }
    assert Topic.objects.get().description == "NATO membership"


def test_model_validation_refuses_over_long_texts_whoever_saves(statement):
    statement.text = "x" * 5_001

    with pytest.raises(ValidationError) as error:
        statement.full_clean()

    assert error.value.message_dict["text"] == [
        "Ensure this value has at most 5000 characters (it has 5001)."
    ]


def test_a_list_of_100000_copies_of_a_slug_is_a_fast_400(editor_client, statement):
    TopicFactory(slug="territory")
    path = "/api/v1/statements/s-1/"
    tag = editor_client.get(path)["ETag"]

    counted = {}
    for copies in (MAX_LINKS + 1, 100_000):
        started = time.monotonic()
        with CaptureQueriesContext(connection) as queries:
            response = editor_client.patch(
                path, {"topics": ["territory"] * copies}, format="json", HTTP_IF_MATCH=tag
            )
        counted[copies] = (response.status_code, len(queries), time.monotonic() - started)
        assert response.json()["errors"] == {
            "topics": [f"At most {MAX_LINKS} slugs; {copies} were given."]
        }

    assert counted[100_000][:2] == counted[MAX_LINKS + 1][:2]  # no query per element
    assert counted[100_000][0] == 400
    assert counted[100_000][2] < 5


def test_a_list_of_slugs_is_deduplicated_and_resolved_with_one_query(editor_client, statement):
    for n in range(10):
        TopicFactory(slug=f"t-{n}")
    slugs = [f"t-{n % 10}" for n in range(MAX_LINKS)]  # each slug five times
    path = "/api/v1/statements/s-1/"
    tag = editor_client.get(path)["ETag"]

    with CaptureQueriesContext(connection) as queries:
        response = editor_client.patch(path, {"topics": slugs}, format="json", HTTP_IF_MATCH=tag)

    assert response.status_code == 200, response.json()
    assert sorted(t["slug"] for t in response.json()["topics"]) == [f"t-{n}" for n in range(10)]
    by_slug = [q["sql"] for q in queries if '"events_topic"."slug" IN (' in q["sql"]]
    assert len(by_slug) == 1
    assert by_slug[0].count("'t-") == 10  # each slug asked once


def test_a_list_naming_unknown_slugs_is_a_400_naming_them(editor_client, statement):
    TopicFactory(slug="territory")

    response = patch(
        editor_client, "/api/v1/statements/s-1/", {"topics": ["territory", "nope", "nada"]}
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"topics": ["No record with slug nope, nada."]}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("territory", 'Expected a list of items but got type "str".'),
        (
            [{"slug": "territory"}],
            "Give the record's slug (lowercase letters, digits and hyphens).",
        ),
    ],
)
def test_a_list_of_slugs_refuses_what_is_not_one(editor_client, statement, value, message):
    TopicFactory(slug="territory")

    response = patch(editor_client, "/api/v1/statements/s-1/", {"topics": value})

    assert response.status_code == 400
    assert response.json()["errors"] == {"topics": [message]}


def test_aliases_are_deduplicated_and_capped_in_the_api_and_the_admin(editor_client, admin_client):
    PersonFactory(slug="peskov", name="Peskov")

    deduplicated = patch(editor_client, "/api/v1/people/peskov/", {"aliases": ["Peskow"] * 3})
    too_many = patch(
        editor_client, "/api/v1/people/peskov/", {"aliases": [f"P{n}" for n in range(101)]}
    )
    person = Person.objects.get()
    person.aliases = ["x" * 201]
    with pytest.raises(ValidationError) as error:
        person.full_clean()

    assert deduplicated.json()["aliases"] == ["Peskow"]
    assert too_many.status_code == 400
    assert list(too_many.json()["errors"]) == ["aliases"]
    assert error.value.message_dict == {
        "aliases": ["Each item has at most 200 characters; one has 201."]
    }
