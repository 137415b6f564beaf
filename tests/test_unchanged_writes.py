"""A write that changes nothing saves nothing: a PUT or PATCH of a record as it stands, or an
empty PATCH, answers 200 with the record and the ETag it had, and records no version, no entry
in the change feed and no new dataset version; the same for "Save" on an unchanged form of the
admin. Its If-Match is checked first (428, 412) and its body validated (400) as any write's."""

import datetime

import pytest
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.utils import timezone

from config.db.history import tracked_models
from events.models import DatasetVersion, Event
from statements.models import Citation, Statement
from tests.factories import CitationFactory, StatementFactory, TopicFactory
from tests.responses import read

TYPES = ["statements", "events", "people", "sources", "figures", "topics", "places", "citations"]

# a real change of each type but citations (`real_change`), valid on the records of `slugs()`
CHANGES = {
    "statements": {"via": "told reporters"},
    "events": {"summary": "Talks, as reported."},
    "people": {"description": "As the sources name them."},
    "sources": {"author": "A correspondent"},
    "figures": {"according_to": "the ministry"},
    "topics": {"description": "What the talks covered."},
    "places": {"name": "Somewhere else"},
}
# each type as the change feed names it
FEED_NAMES = {"statements": "statement", "events": "event", "people": "person",
              "sources": "source", "figures": "figure", "topics": "topic", "places": "place",
              "citations": "citation"}  # fmt: skip


def slugs() -> dict[str, str | None]:
    """A record of each type with relations in every field it has (None: the first of its
    list), the statement with wordings and positions (the admin's inlines); the citation cites
    an event, which any excerpt of its source may report."""
    statement = (
        Statement.objects.exclude(topics=None)
        .exclude(about=None)
        .exclude(wordings=None)
        .exclude(positions=None)
        .order_by("slug")[0]
    )
    event = Event.objects.exclude(participants=None).exclude(topics=None).order_by("slug")[0]
    citation = Citation.objects.filter(event__isnull=False).order_by("slug")[0]
    return {"statements": statement.slug, "events": event.slug, "citations": citation.slug}


def recorded() -> tuple[int, int]:
    """The versions of every record of every type, and the dataset's version."""
    return sum(model.history.count() for model in tracked_models()), DatasetVersion.current()[0]


def feed_since(client, cut: datetime.datetime) -> list[tuple[str, str]]:
    response = client.get("/api/v1/changes/", {"since": cut.isoformat(), "page_size": 100})
    return [(change["type"], change["change"]) for change in response.json()["results"]]


def real_change(kind: str, shown: dict) -> dict:
    if kind == "citations":  # its excerpt less its last character, found where it stood
        return {"excerpt": shown["excerpt"][:-1], "start": shown["start"]}
    return CHANGES[kind]


@pytest.mark.usefixtures("dataset")
def test_unchanged_put_patch_and_empty_patch_keep_the_etag_for_every_type(editor_client):
    records = slugs()
    for kind in TYPES:
        address, shown, tag = read(editor_client, kind, records.get(kind))
        before, cut = recorded(), timezone.now()

        responses = [
            editor_client.put(address, shown, format="json", HTTP_IF_MATCH=tag),
            editor_client.patch(address, shown, format="json", HTTP_IF_MATCH=tag),
            editor_client.patch(address, {}, format="json", HTTP_IF_MATCH=tag),
        ]

        assert [r.status_code for r in responses] == [200] * 3, (kind, responses[0].json())
        assert [r.json() for r in responses] == [shown] * 3, kind
        assert [r["ETag"] for r in responses] == [tag] * 3, kind
        assert recorded() == before, kind
        assert feed_since(editor_client, cut) == [], kind
        assert editor_client.get(address)["ETag"] == tag, kind


@pytest.mark.usefixtures("dataset")
def test_real_change_after_unchanged_writes_records_exactly_one_version(editor_client):
    records = slugs()
    for kind in TYPES:
        address, shown, tag = read(editor_client, kind, records.get(kind))
        editor_client.patch(address, shown, format="json", HTTP_IF_MATCH=tag)
        (versions, dataset), cut = recorded(), timezone.now()

        response = editor_client.patch(
            address, real_change(kind, shown), format="json", HTTP_IF_MATCH=tag
        )

        assert response.status_code == 200, (kind, response.json())
        assert response["ETag"] != tag, kind
        assert recorded() == (versions + 1, dataset + 1), kind
        assert feed_since(editor_client, cut) == [(FEED_NAMES[kind], "updated")], kind


@pytest.fixture
def statement() -> Statement:
    excerpt = "“We will see,” he told reporters in Moscow."
    statement = CitationFactory(statement=StatementFactory(), excerpt=excerpt).statement
    statement.topics.set([TopicFactory(slug="talks"), TopicFactory(slug="nato")])
    return statement


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["put", "patch"])
def test_same_related_records_in_another_order_are_no_change(editor_client, statement, method):
    address, shown, tag = read(editor_client, "statements", statement.slug)
    before = recorded()
    reordered = [topic["slug"] for topic in reversed(shown["topics"])]
    body = {**shown, "topics": reordered} if method == "put" else {"topics": reordered}

    response = getattr(editor_client, method)(address, body, format="json", HTTP_IF_MATCH=tag)

    assert response.status_code == 200, response.json()
    assert reordered == ["nato", "talks"]
    assert (response.json(), response["ETag"]) == (shown, tag)
    assert recorded() == before


@pytest.mark.django_db
def test_related_records_changed_after_an_unchanged_write_are_one_version(editor_client, statement):
    address, shown, tag = read(editor_client, "statements", statement.slug)
    editor_client.patch(address, {"topics": ["nato", "talks"]}, format="json", HTTP_IF_MATCH=tag)
    versions, dataset = recorded()

    response = editor_client.patch(address, {"topics": ["talks"]}, format="json", HTTP_IF_MATCH=tag)

    assert response.status_code == 200, response.json()
    assert [topic["slug"] for topic in response.json()["topics"]] == ["talks"]
    assert recorded() == (versions + 1, dataset + 1)
    assert [[row.topic.slug for row in version.topics.all()] for version in
            statement.history.all()[:2]] == [["talks"], ["talks", "nato"]]  # fmt: skip


@pytest.mark.django_db
def test_unchanged_write_without_if_match_is_a_428(editor_client, statement):
    address, shown, tag = read(editor_client, "statements", statement.slug)
    before = recorded()

    responses = [
        editor_client.patch(address, {}, format="json"),
        editor_client.put(address, shown, format="json"),
    ]

    assert [response.status_code for response in responses] == [428, 428]
    assert recorded() == before


@pytest.mark.django_db
def test_unchanged_write_with_a_stale_tag_is_a_412(editor_client, statement):
    address, shown, stale = read(editor_client, "statements", statement.slug)
    editor_client.patch(address, {"via": "told reporters"}, format="json", HTTP_IF_MATCH=stale)
    current = read(editor_client, "statements", statement.slug)[1]
    before = recorded()

    responses = [
        editor_client.patch(address, {}, format="json", HTTP_IF_MATCH=stale),
        editor_client.put(address, current, format="json", HTTP_IF_MATCH=stale),
    ]

    assert [response.status_code for response in responses] == [412, 412]
    assert recorded() == before


@pytest.mark.django_db
def test_unchanged_fields_with_one_invalid_are_a_400(editor_client, statement):
    address, shown, tag = read(editor_client, "statements", statement.slug)
    before = recorded()

    responses = [
        getattr(editor_client, method)(
            address, {**shown, **change}, format="json", HTTP_IF_MATCH=tag
        )
        for method, change in (
            ("put", {"date": "2025-13"}),
            ("patch", {"topics": ["no-such-topic"]}),
            ("patch", {"slug": "another-slug"}),
        )
    ]

    assert [(r.status_code, list(r.json()["errors"])) for r in responses] == [
        (400, ["date"]),
        (400, ["topics"]),
        (400, ["slug"]),
    ]
    assert recorded() == before
    assert editor_client.get(address)["ETag"] == tag


# each type's model, as the admin's addresses name it
ADMIN = {"statements": "statements/statement", "events": "events/event", "people": "events/person",
         "sources": "events/source", "figures": "statements/figure", "topics": "events/topic",
         "places": "events/place", "citations": "statements/citation"}  # fmt: skip


def unchanged_form(client, path: str) -> dict:
    """The admin's change form at `path` posted as the browser posts it untouched: every field
    of the record's form and of its inlines' forms with the value it shows, and the hidden
    initial values the page holds."""
    page = client.get(path)
    forms = [page.context["adminform"].form]
    for inline in page.context.get("inline_admin_formsets", []):  # a revert page has none
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if isinstance(value, bool):
                if value:
                    data[field.html_name] = "on"  # a box left unticked is not sent
            elif isinstance(value, list | tuple):
                data[field.html_name] = [str(item) for item in value]
            else:
                data[field.html_name] = "" if value is None else str(value)
            if field.field.show_hidden_initial and field.html_name in data:
                # a field with a computed default (a JSON list) is sent a second time, hidden,
                # as it was shown: Django compares the two to tell whether it changed
                data[field.html_initial_name] = data[field.html_name]
    return data


@pytest.mark.usefixtures("dataset")
def test_admin_save_of_an_unchanged_form_records_nothing_for_every_type(admin_client):
    records = slugs()
    for kind, address in ADMIN.items():
        model = apps.get_model(address.replace("/", "."))
        record = model.objects.get(slug=records[kind]) if kind in records else model.objects.first()
        path = f"/admin/{address}/{record.pk}/change/"
        data, before, cut = unchanged_form(admin_client, path), recorded(), timezone.now()
        logged = LogEntry.objects.count()

        response = admin_client.post(path, data)

        assert response.status_code == 302, kind
        assert recorded() == before, kind
        assert LogEntry.objects.count() == logged, kind  # no "No fields changed." entry
        assert feed_since(admin_client, cut) == [], kind
        assert model.objects.get(pk=record.pk).updated_at == record.updated_at, kind


@pytest.mark.usefixtures("dataset")
def test_admin_real_change_after_an_unchanged_save_records_one_version(admin_client):
    statement = Statement.objects.get(slug=slugs()["statements"])
    path = f"/admin/statements/statement/{statement.pk}/change/"
    admin_client.post(path, unchanged_form(admin_client, path))
    (versions, dataset), cut = recorded(), timezone.now()

    changed = [
        admin_client.post(path, {**unchanged_form(admin_client, path), **change})
        for change in ({"via": "by phone"}, {"topics": []})
    ]

    assert [response.status_code for response in changed] == [302, 302]
    assert recorded() == (versions + 2, dataset + 2)
    assert feed_since(admin_client, cut) == [("statement", "updated")] * 2
    assert [entry.get_change_message() for entry in LogEntry.objects.order_by("id")] == [
        "Changed Via.",
        "Changed Topics.",
    ]
    latest = statement.history.first()
    assert (latest.via, latest.topics.count(), latest.history_user.username) == (
        "by phone",
        0,
        "admin",
    )
