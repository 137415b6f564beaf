"""A body sent back as a GET shows it: every writable record type of the dataset takes it, read-only
fields and all, and changes nothing, not even the record's version; a read-only field changed is
a 400 naming it. And `If-Match: *`, which would overwrite a version never read, is a 428."""

import pytest
from django.db.models import Count

from events.models import Event, Person
from statements.models import Statement
from tests.responses import read

pytestmark = pytest.mark.usefixtures("dataset")

TYPES = ["statements", "events", "people", "sources", "figures", "topics", "places", "citations"]


def rich_slugs() -> dict[str, str | None]:
    """A record of each type holding as much as it can (nested lists, aliases); None: the
    first of its list."""
    statement = (
        Statement.objects.annotate(w=Count("wordings", distinct=True), p=Count("positions"))
        .filter(w__gt=0, p__gt=0, occasion__isnull=False)
        .order_by("slug")
        .first()
        or Statement.objects.annotate(w=Count("wordings")).filter(w__gt=0).first()
    )
    event = Event.objects.exclude(participants=None).exclude(citations=None).order_by("slug")[0]
    person = Person.objects.exclude(aliases=[]).order_by("slug")[0]
    return {"statements": statement.slug, "events": event.slug, "people": person.slug}


def versions(client, address: str) -> list[dict]:
    return client.get(f"{address}history/?page_size=100").json()["results"]


@pytest.mark.parametrize("method", ["put", "patch"])
def test_body_as_a_get_shows_it_is_taken_back_unchanged(editor_client, method):
    slugs = rich_slugs()
    for kind in TYPES:
        address, shown, tag = read(editor_client, kind, slugs.get(kind))
        before = versions(editor_client, address)

        response = getattr(editor_client, method)(address, shown, format="json", HTTP_IF_MATCH=tag)

        assert response.status_code == 200, (kind, response.json())
        # nothing saved: the record as it was, with the same tag and no version more
        assert (response.json(), response["ETag"]) == (shown, tag), kind
        assert versions(editor_client, address) == before, kind
        assert editor_client.get(address).json() == response.json(), kind


def test_read_only_field_changed_is_a_400_naming_it(editor_client):
    slugs = rich_slugs()
    for kind in TYPES:
        address, shown, tag = read(editor_client, kind, slugs.get(kind))

        bodies = [
            {**shown, "created_at": "2020-01-01T00:00:00Z"},
            {"url": "http://testserver/api/v1/elsewhere/", "updated_at": None},
        ]
        if "highlight" in shown:  # only meaningful in a search's answer; null in a GET
            bodies.append({**shown, "highlight": "<mark>war</mark>"})

        responses = [
            editor_client.patch(address, body, format="json", HTTP_IF_MATCH=tag) for body in bodies
        ]

        assert [response.status_code for response in responses] == [400] * len(bodies), kind
        assert [response.json()["detail"] for response in responses] == [
            "Invalid input: created_at.",
            "Invalid input: url, updated_at.",
            "Invalid input: highlight.",
        ][: len(bodies)], kind
        assert responses[0].json()["errors"] == {
            "created_at": [
                "Read-only, and the record holds another value: leave it out, or send it as a "
                "GET shows it."
            ]
        }
        assert editor_client.get(address).json() == shown, kind


def test_statement_nested_lists_as_shown_are_taken_and_changes_to_them_refused(editor_client):
    address, shown, tag = read(editor_client, "statements", rich_slugs()["statements"])
    wordings = [{**shown["wordings"][0], "text": "Other words"}, *shown["wordings"][1:]]
    citations = shown["citations"][:-1] if len(shown["citations"]) > 1 else []

    changed = [
        editor_client.patch(address, {**shown, name: value}, format="json", HTTP_IF_MATCH=tag)
        for name, value in (
            ("wordings", wordings),
            ("positions", []),
            ("citations", citations),
        )
    ]

    assert [(r.status_code, list(r.json()["errors"])) for r in changed] == [
        (400, ["wordings"]),
        (400, ["positions"]),
        (400, ["citations"]),
    ]
    assert changed[2].json()["errors"]["citations"] == [
        "Citations are given on creation; edit them at /api/v1/citations/."
    ]
    assert editor_client.get(address).json() == shown


def test_related_records_as_shown_are_taken_as_their_slugs(editor_client):
    address, shown, tag = read(editor_client, "statements", rich_slugs()["statements"])
    topics = shown["topics"][1:]

    response = editor_client.put(
        address,
        {**shown, "topics": [*topics, "nato-membership"], "via": "told television"},
        format="json",
        HTTP_IF_MATCH=tag,
    )
    unknown = editor_client.patch(
        address,
        {"topics": [{"slug": "nato-membership", "name": "NATO"}]},
        format="json",
        HTTP_IF_MATCH=response["ETag"],
    )

    assert response.status_code == 200, response.json()
    assert {topic["slug"] for topic in response.json()["topics"]} == {
        *(topic["slug"] for topic in topics),
        "nato-membership",
    }
    assert response.json()["speaker"] == shown["speaker"]
    assert response.json()["via"] == "told television"
    # a new link is given by its slug: an object the record does not show is refused
    assert unknown.status_code == 400
    assert list(unknown.json()["errors"]) == ["topics"]


def test_body_read_under_another_host_name_is_the_same_body(editor_client):
    address, shown, tag = read(editor_client, "people", rich_slugs()["people"])

    response = editor_client.patch(
        address, shown, format="json", HTTP_IF_MATCH=tag, HTTP_HOST="localhost"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["url"] == f"http://localhost{address}"


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_if_match_any_version_is_a_428_asking_for_one(editor_client, method):
    address, shown, _tag = read(editor_client, "topics", None)

    response = getattr(editor_client, method)(
        address, {"name": "Land"}, format="json", HTTP_IF_MATCH="*"
    )

    assert response.status_code == 428
    assert response.json() == {
        "detail": "If-Match: * matches any version of the record, so the write could overwrite "
        "an edit you have not seen. Send a version instead: GET the record, then send its ETag "
        "back in If-Match."
    }
    assert editor_client.get(address).json() == shown
