"""Deletes keep the record whole: a record others link to is not deleted silently, an unlinking
leaves a version in each linking record's history, and history never fails on a record deleted
since."""

import pytest
from django.contrib.auth.models import User

from events.models import Event, Person, Topic
from statements.models import Statement
from tests.factories import (
    EventFactory,
    PersonFactory,
    PlaceFactory,
    StatementFactory,
    TopicFactory,
    WordingFactory,
)

pytestmark = pytest.mark.django_db


def delete(client, path: str, query: str = ""):
    tag = client.get(path)["ETag"]
    return client.delete(f"{path}{query}", HTTP_IF_MATCH=tag)


@pytest.fixture
def linked_topic() -> Topic:
    topic = TopicFactory(slug="territory", name="Territory")
    StatementFactory(slug="s-1", topics=[topic])
    EventFactory(slug="e-1", topics=[topic])
    return topic


def test_delete_of_a_linked_topic_is_409_naming_the_referrers(editor_client, linked_topic):
    response = delete(editor_client, "/api/v1/topics/territory/")

    assert response.status_code == 409
    assert response.json()["detail"] == (
        "Other records link to this one: event e-1 (topics), statement s-1 (topics). Deleting it "
        "would remove those links: send the DELETE again with ?unlink=true to remove them, each "
        "as a new version of its record; nothing was changed."
    )
    assert Topic.objects.filter(slug="territory").exists()
    assert list(Statement.objects.get().topics.all()) == [linked_topic]


def test_delete_with_unlink_leaves_a_version_an_etag_and_a_feed_entry_each(
    editor_client, editor, api_client, linked_topic
):
    paths = ("/api/v1/statements/s-1/", "/api/v1/events/e-1/")
    before = {path: api_client.get(path)["ETag"] for path in paths}
    versions = {path: api_client.get(f"{path}history/").json()["results"][0]["version"]
                for path in paths}  # fmt: skip

    response = delete(editor_client, "/api/v1/topics/territory/", "?unlink=true")

    assert response.status_code == 204
    assert not Topic.objects.exists()
    for path, tag in before.items():
        record = api_client.get(path)
        latest = api_client.get(f"{path}history/").json()["results"][0]
        assert (record.json()["topics"], record["ETag"] != tag) == ([], True)
        assert (latest["version"], latest["change"], latest["changed_by"], latest["reason"]) == (
            versions[path] + 1,
            "updated",
            f"editor {editor.pk}",
            "unlinked from topic territory, deleted",
        )
        assert latest["record"]["topics"] == []
    feed = api_client.get("/api/v1/changes/?type=statement&type=event&type=topic").json()
    assert sorted((c["type"], c["slug"], c["change"]) for c in feed["results"][-3:]) == [
        ("event", "e-1", "updated"),
        ("statement", "s-1", "updated"),
        ("topic", "territory", "deleted"),
    ]


def test_public_history_after_a_delete_shows_the_deleted_record_by_slug(
    editor_client, api_client, linked_topic
):
    delete(editor_client, "/api/v1/topics/territory/", "?unlink=true")

    statement = api_client.get("/api/v1/statements/s-1/history/")
    topic = api_client.get("/api/v1/topics/territory/history/")

    assert statement.status_code == topic.status_code == 200
    assert [v["record"]["topics"] for v in statement.json()["results"]][:2] == [[], ["territory"]]
    assert [(v["change"], v["record"]["name"]) for v in topic.json()["results"]] == [
        ("deleted", "Territory"),
        ("created", "Territory"),
    ]


def test_history_survives_records_deleted_outside_the_api(api_client):
    # the shell or a script can still delete a linked record: the history must not fail
    event = EventFactory(slug="talks", participants=[PersonFactory(slug="envoy")])
    statement = StatementFactory(slug="s-1", about=[event], places=[PlaceFactory(slug="sochi")])
    wording = WordingFactory(statement=statement)
    Event.objects.get(slug="talks").delete()
    Person.objects.get(slug="envoy").delete()
    statement.places.get().delete()
    Statement.objects.get(slug="s-1").delete()

    about = api_client.get("/api/v1/statements/s-1/history/")
    deleted_event = api_client.get("/api/v1/events/talks/history/")
    orphan = api_client.get(f"/api/v1/wordings/{wording.slug}/history/")

    assert (about.status_code, deleted_event.status_code, orphan.status_code) == (200, 200, 200)
    assert [(v["record"]["about"], v["record"]["places"]) for v in about.json()["results"]] == [
        ([], []),  # deleted: its links were gone by then
        (["talks"], ["sochi"]),  # each deleted since
        ([], ["sochi"]),
        ([], []),  # created, before the factory set its links
    ]
    assert [v["record"]["participants"] for v in deleted_event.json()["results"]] == [
        [],
        ["envoy"],
        [],
    ]
    assert orphan.json()["results"][0]["record"]["statement"] == "s-1"


def test_delete_of_a_participant_is_409_and_unlinks_on_request(editor_client, api_client):
    person = PersonFactory(slug="envoy", name="Envoy")
    EventFactory(slug="e-1", participants=[person])

    refused = delete(editor_client, "/api/v1/people/envoy/")
    unlinked = delete(editor_client, "/api/v1/people/envoy/", "?unlink=true")

    assert refused.status_code == 409
    assert "event e-1 (participants)" in refused.json()["detail"]
    assert unlinked.status_code == 204
    assert api_client.get("/api/v1/events/e-1/").json()["participants"] == []


def test_delete_of_a_speaker_stays_409_even_with_unlink(editor_client):
    StatementFactory(slug="s-1", speaker=PersonFactory(slug="peskov"))

    response = delete(editor_client, "/api/v1/people/peskov/", "?unlink=true")

    assert response.status_code == 409
    assert "statement s-1" in response.json()["detail"]
    assert Statement.objects.get().speaker.slug == "peskov"


def test_delete_of_an_event_statements_are_about_unlinks_them(editor_client, api_client):
    event = EventFactory(slug="talks")
    StatementFactory(slug="s-1", about=[event])

    refused = delete(editor_client, "/api/v1/events/talks/")
    unlinked = delete(editor_client, "/api/v1/events/talks/", "?unlink=true")

    assert refused.status_code == 409
    assert "statement s-1 (about)" in refused.json()["detail"]
    assert unlinked.status_code == 204
    assert api_client.get("/api/v1/statements/s-1/").json()["about"] == []


@pytest.mark.parametrize("query", ["?unlink=yes", "?unlink=true&unlink=true"])
def test_delete_with_a_malformed_unlink_is_400(editor_client, linked_topic, query):
    response = delete(editor_client, "/api/v1/topics/territory/", query)

    assert response.status_code == 400
    assert response.json()["errors"] == {"unlink": ["Give unlink=true or unlink=false, once."]}
    assert Topic.objects.exists()


def test_admin_delete_page_refuses_a_linked_record_and_offers_the_unlinking(
    admin_client, linked_topic
):
    path = f"/admin/events/topic/{linked_topic.pk}/delete/"

    page = admin_client.get(path)
    refused = admin_client.post(path, {"post": "yes"})

    assert page.status_code == refused.status_code == 200
    assert "links to topic Territory (topics)" in page.text
    assert '<a href="?unlink=1">Remove these links' in page.text
    assert Topic.objects.exists()


def test_admin_unlinking_delete_leaves_a_version_by_the_editor(admin_client, linked_topic):
    admin = User.objects.get(username="admin")
    version = Statement.objects.get().history.first().version

    response = admin_client.post(
        f"/admin/events/topic/{linked_topic.pk}/delete/?unlink=1", {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Topic.objects.exists()
    latest = Statement.objects.get().history.first()
    assert (latest.version, latest.history_user, latest.history_change_reason) == (
        version + 1,
        admin,
        "unlinked from topic territory, deleted",
    )
    assert list(latest.topics.all()) == []


def test_admin_bulk_delete_refuses_linked_records(admin_client, linked_topic):
    response = admin_client.post(
        "/admin/events/topic/",
        {"action": "delete_selected", "_selected_action": [linked_topic.pk], "post": "yes"},
    )

    assert response.status_code == 200
    assert "statement" in response.text.lower()
    assert Topic.objects.exists()
