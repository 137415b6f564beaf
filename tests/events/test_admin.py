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
            "aliases": "[]",
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
