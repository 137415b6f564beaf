"""Writes of topics, places, people and sources, and an API edit meeting a release merge."""

import pytest
from django.core.management import call_command

from events.models import Person, Place, Source, Topic
from statements.models import Statement
from tests.factories import PersonFactory, TopicFactory

pytestmark = pytest.mark.django_db

BNE = "/api/v1/sources/bne-2025-02-06-positions-soften/"


def errors(response) -> dict:
    assert response.status_code == 400, response.json()
    return response.json()["errors"]


def tag(client, path: str) -> str:
    return client.get(path)["ETag"]


def test_topic_is_created_and_answered_as_read(editor_client, api_client):
    response = editor_client.post(
        "/api/v1/topics/",
        {"slug": "prisoners", "name": "Prisoner exchange", "description": "Swaps."},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json() == api_client.get("/api/v1/topics/prisoners/").json()
    assert response["ETag"] == api_client.get("/api/v1/topics/prisoners/")["ETag"]


def test_place_with_a_bad_country_code_is_refused_naming_it(editor_client):
    body = {"slug": "kyiv", "name": "Kyiv", "kind": "city", "country_code": "ua"}

    response = editor_client.post("/api/v1/places/", body, format="json")

    assert errors(response) == {"country_code": ["Use an ISO 3166-1 alpha-2 code, e.g. UA."]}
    assert not Place.objects.exists()


def test_person_is_replaced_by_put(editor_client):
    PersonFactory(slug="dmitry-peskov", name="Dmitry Peskov", affiliation="Kremlin")
    path = "/api/v1/people/dmitry-peskov/"
    body = {
        "slug": "dmitry-peskov",
        "name": "Dmitry Peskov",
        "kind": "person",
        "aliases": ["Dmitri Peskov"],
        "description": "Kremlin spokesperson",
    }

    response = editor_client.put(path, body, format="json", HTTP_IF_MATCH=tag(editor_client, path))

    assert response.status_code == 200, response.json()
    person = Person.objects.get()
    assert (person.aliases, person.description, person.affiliation) == (
        ["Dmitri Peskov"],
        "Kremlin spokesperson",
        "Kremlin",  # PUT leaves an optional field it is not given as it was
    )


def test_unknown_and_read_only_fields_are_refused_naming_them(editor_client):
    TopicFactory(slug="territory")
    path = "/api/v1/topics/territory/"

    response = editor_client.patch(
        path,
        {"name": "Land", "url": "x", "colour": "red"},
        format="json",
        HTTP_IF_MATCH=tag(editor_client, path),
    )

    assert errors(response) == {
        "colour": ["Unknown or read-only field. Writable: description, name, slug."],
        # a field a GET shows may be sent back as it shows it, not changed
        "url": [
            "Read-only, and the record holds another value: leave it out, or send it as a GET "
            "shows it."
        ],
    }
    assert Topic.objects.get().name != "Land"


@pytest.mark.parametrize(
    "body",
    [[], "text", {"name": ["a", "b"]}, {"name": "x" * 121}, {"name": None}],
    ids=["list", "string", "list-value", "too-long", "null"],
)
def test_malformed_bodies_are_refused(editor_client, body):
    TopicFactory(slug="territory")
    path = "/api/v1/topics/territory/"

    response = editor_client.patch(
        path, body, format="json", HTTP_IF_MATCH=tag(editor_client, path)
    )

    assert response.status_code == 400
    assert set(response.json()) == {"detail", "errors"}


@pytest.mark.parametrize(
    "seed_file", ["missing.txt", "../pyproject.toml", "/etc/hostname"], ids=str
)
def test_source_reads_its_text_only_from_a_seed_file(editor_client, seed_file):
    body = {"slug": "new", "title": "New", "date": "2025-01-01", "seed_file": seed_file}

    response = editor_client.post("/api/v1/sources/", body, format="json")

    assert errors(response) == {"seed_file": [f"No seed file {seed_file!r} in seeds/."]}
    assert not Source.objects.exists()


@pytest.mark.parametrize("seed_file", [None, ""], ids=["null", "blank"])
def test_source_without_a_seed_file_is_refused_by_name(editor_client, seed_file):
    body = {"slug": "new", "title": "New", "date": "2025-01-01", "seed_file": seed_file}

    response = editor_client.post("/api/v1/sources/", body, format="json")

    assert response.status_code == 400
    assert list(errors(response)) == ["seed_file"]
    assert not Source.objects.filter(slug="new").exists()


def test_source_text_is_derived_and_a_seed_file_serves_one_source(editor_client, dataset):
    body = {"slug": "again", "title": "Again", "date": "2025-02-06",
            "seed_file": "002_30f1122e911c79e6.txt"}  # fmt: skip

    response = editor_client.post("/api/v1/sources/", body, format="json")

    assert errors(response) == {"seed_file": ["source with this seed file already exists."]}


def test_source_furniture_that_would_move_its_citations_is_refused(editor_client, dataset):
    source = Source.objects.get(slug="bne-2025-02-06-positions-soften")
    cited = source.citations.order_by("start").first()
    cited_line = next(line for line in source.text.split("\n") if cited.excerpt[:40] in line)

    retitled = editor_client.patch(
        BNE, {"title": "Positions soften"}, format="json", HTTP_IF_MATCH=tag(editor_client, BNE)
    )
    moved = editor_client.patch(
        BNE,
        {"furniture": [*source.furniture, cited_line]},
        format="json",
        HTTP_IF_MATCH=tag(editor_client, BNE),
    )

    assert retitled.status_code == 200, retitled.json()
    assert list(errors(moved)) == ["furniture"]
    assert errors(moved)["furniture"][0].startswith("The text would change under citation cit-")
    assert Source.objects.get(pk=source.pk).text == source.text


def test_api_edit_is_an_editors_edit_that_a_release_merge_keeps(editor_client, dataset):
    slug = "putin-2024-11-07-neutrality"
    path = f"/api/v1/statements/{slug}/"
    edited = editor_client.patch(
        path, {"venue": "Valdai club, Sochi"}, format="json", HTTP_IF_MATCH=tag(editor_client, path)
    )

    call_command("load_dataset", verbosity=0)

    assert edited.status_code == 200, edited.json()
    assert Statement.objects.get(slug=slug).venue == "Valdai club, Sochi"
