import pytest

from events.models import Event, Person
from tests.factories import EventFactory, PersonFactory, PlaceFactory, SourceFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("model", "factory"),
    [
        ("topic", TopicFactory),
        ("place", PlaceFactory),
        ("person", PersonFactory),
        ("source", SourceFactory),
        ("event", EventFactory),
    ],
)
def test_admin_changelist_add_and_change_pages_render(admin_client, model, factory):
    record = factory()

    pages = [
        admin_client.get(f"/admin/events/{model}/"),
        admin_client.get(f"/admin/events/{model}/?q=a"),
        admin_client.get(f"/admin/events/{model}/add/"),
        admin_client.get(f"/admin/events/{model}/{record.pk}/change/"),
    ]

    assert [page.status_code for page in pages] == [200, 200, 200, 200]


def test_admin_saves_a_new_person(admin_client):
    response = admin_client.post(
        "/admin/events/person/add/",
        {
            "slug": "a-senior-european-diplomat",
            "name": "A senior European diplomat",
            "kind": "anonymous",
            "aliases": "",
            "description": "Unnamed diplomat",
            "affiliation": "",
            "country_code": "",
            "wikidata_id": "",
        },
    )

    assert response.status_code == 302
    assert Person.objects.get(slug="a-senior-european-diplomat").kind == "anonymous"


def test_admin_refuses_an_event_that_ends_before_it_starts(admin_client):
    response = admin_client.post(
        "/admin/events/event/add/",
        {
            "slug": "bad-event",
            "title": "Bad",
            "kind": "talks",
            "status": "occurred",
            "date": "2025-03-10",
            "end_date": "2025-03-01",
            "date_basis": "stated",
            "citations-TOTAL_FORMS": "0",
            "citations-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert "The end date is before the start date." in response.content.decode()
    assert not Event.objects.filter(slug="bad-event").exists()


def test_admin_autocomplete_finds_people(admin_client):
    PersonFactory(slug="vladimir-putin", name="Vladimir Putin")

    response = admin_client.get(
        "/admin/autocomplete/",
        {
            "term": "putin",
            "app_label": "events",
            "model_name": "event",
            "field_name": "participants",
        },
    )

    assert [result["text"] for result in response.json()["results"]] == ["Vladimir Putin"]


def person_form(**fields) -> dict:
    return {
        "slug": "volodymyr-zelenskiy",
        "name": "Volodymyr Zelenskiy",
        "kind": "person",
        "aliases": "",
        "description": "",
        "affiliation": "",
        "country_code": "",
        "wikidata_id": "",
        **fields,
    }


def test_admin_person_aliases_are_typed_one_a_line(admin_client):
    typed = "Zelensky\r\n\r\n  Zelenskyy  \nZelensky\nСелезький"

    response = admin_client.post("/admin/events/person/add/", person_form(aliases=typed))
    person = Person.objects.get(slug="volodymyr-zelenskiy")
    form = admin_client.get(f"/admin/events/person/{person.pk}/change/").content.decode()

    assert response.status_code == 302
    assert person.aliases == ["Zelensky", "Zelenskyy", "Селезький"]
    assert ">\nZelensky\nZelenskyy\nСелезький</textarea>" in form


def test_admin_person_alias_too_long_is_refused_with_the_reason(admin_client):
    response = admin_client.post(
        "/admin/events/person/add/", person_form(aliases="Zelensky\n" + "Z" * 201)
    )

    assert response.status_code == 200
    assert "Each name is at most 200 characters; this one has 201" in response.content.decode()
    assert not Person.objects.exists()


def test_admin_person_alias_with_a_nul_character_is_refused(admin_client):
    response = admin_client.post("/admin/events/person/add/", person_form(aliases="Zel\x00ensky"))

    assert response.status_code == 200
    assert "A name cannot hold a NUL character." in response.content.decode()
    assert not Person.objects.exists()


def test_admin_speaker_autocomplete_offers_exact_and_prefix_matches_first(admin_client):
    names = {
        "A source (Reuters)": [],  # mentions it only in its description, in brackets
        "Agence France-Presse": [],
        "Alpha news": ["Reuters"],  # an alias that is the word typed
        "Bravo wire": ["Reuters news agency"],  # an alias that starts with it
        "Reuters": [],
        "Reuters Institute": [],
        "Thomson Reuters": [],  # a later word of the name
    }
    for number, (name, aliases) in enumerate(names.items()):
        PersonFactory(slug=f"person-{number}", name=name, aliases=aliases)
    PersonFactory(slug="told", name="Analyst", description="told Reuters")

    response = admin_client.get(
        "/admin/autocomplete/",
        {
            "term": "reuters",
            "app_label": "statements",
            "model_name": "statement",
            "field_name": "speaker",
        },
    )

    assert [result["text"] for result in response.json()["results"]] == [
        "Reuters",
        "Alpha news",
        "Reuters Institute",
        "Bravo wire",
        "Thomson Reuters",
        "A source (Reuters)",
        "Analyst",
    ]
