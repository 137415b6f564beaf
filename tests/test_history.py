"""History of every change, its revert in the admin, and the change feed."""

import os
import subprocess
import sys

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone

from config.db.history import one_version_each
from events.models import EditorProfile
from statements.models import Statement
from tests.conftest import ROOT
from tests.factories import CitationFactory, StatementFactory, TopicFactory
from tests.test_unchanged_writes import unchanged_form

pytestmark = pytest.mark.django_db


def statement_form(statement: Statement, **changes) -> dict:
    """The admin's change form of a statement with one citation, as the browser posts it."""
    citation = statement.citations.get()
    data = {
        "slug": statement.slug,
        "speaker": statement.speaker_id,
        "speaker_label": statement.speaker_label,
        "kind": statement.kind,
        "text": statement.text,
        "date": statement.date,
        "date_basis": statement.date_basis,
        "date_note": statement.date_note,
        "venue": statement.venue,
        "via": statement.via,
        "topics": [topic.pk for topic in statement.topics.all()],
        "citations-TOTAL_FORMS": "1",
        "citations-INITIAL_FORMS": "1",
        "citations-0-id": citation.pk,
        "citations-0-statement": statement.pk,
        "citations-0-source": citation.source_id,
        "citations-0-excerpt": citation.excerpt,
        "citations-0-start": citation.start,
        "citations-0-end": citation.end,
        **{
            f"{inline}-{count}_FORMS": "0"
            for inline in ("wordings", "positions")
            for count in ("TOTAL", "INITIAL")
        },  # fmt: skip
    }
    data.update(changes)
    return data


@pytest.fixture
def statement() -> Statement:
    excerpt = "“We will see,” he told reporters in Moscow."
    return CitationFactory(statement=StatementFactory(venue="Kremlin"), excerpt=excerpt).statement


def test_history_records_an_admin_edit_as_one_version_with_its_user(admin_client, statement):
    topic = TopicFactory()

    response = admin_client.post(
        f"/admin/statements/statement/{statement.pk}/change/",
        statement_form(statement, venue="Sochi", topics=[topic.pk]),
    )

    assert response.status_code == 302
    latest = statement.history.first()
    assert (latest.version, latest.history_type, latest.history_user.username, latest.venue) == (
        2,
        "~",
        "admin",
        "Sochi",
    )
    assert [row.topic_id for row in latest.topics.all()] == [topic.pk]


def test_history_records_a_shell_write_without_a_user(statement):
    statement.venue = "Sochi"

    statement.save()

    latest = statement.history.first()
    assert (latest.version, latest.history_user, latest.venue) == (2, None, "Sochi")


def test_admin_refuses_a_quote_that_is_not_in_its_excerpt(admin_client, statement):
    response = admin_client.post(
        f"/admin/statements/statement/{statement.pk}/change/",
        statement_form(statement, text=statement.text + " and more"),
    )

    assert response.status_code == 200
    assert "must stand character for character in one of its excerpts" in response.content.decode()
    assert Statement.objects.get(pk=statement.pk).text == statement.text


def test_admin_refuses_a_statement_without_a_citation(admin_client, statement):
    response = admin_client.post(
        f"/admin/statements/statement/{statement.pk}/change/",
        statement_form(statement, **{"citations-0-DELETE": "on"}),
    )

    assert response.status_code == 200
    assert "A statement needs at least one citation" in response.content.decode()
    assert statement.citations.count() == 1


def test_admin_revert_restores_fields_and_relations_as_a_new_version(admin_client, statement):
    first = statement.history.get()
    topic = TopicFactory()
    with one_version_each():
        statement.venue = "Sochi"
        statement.save()
        statement.topics.add(topic)
    revert_url = f"/admin/statements/statement/{statement.pk}/history/{first.history_id}/"

    page = admin_client.get(revert_url)
    response = admin_client.post(revert_url, statement_form(statement, venue="Kremlin", topics=[]))

    assert page.status_code == 200
    assert 'value="Kremlin"' in page.content.decode()
    assert response.status_code == 302
    statement.refresh_from_db()
    assert (statement.venue, list(statement.topics.all())) == ("Kremlin", [])
    assert [(v.version, v.history_change_reason) for v in statement.history.all()] == [
        (3, "reverted in the admin"),
        (2, None),
        (1, None),
    ]


def test_admin_revert_is_in_recent_actions_though_its_form_is_posted_as_shown(
    admin_client, statement
):
    first = statement.history.get()
    with one_version_each():
        statement.venue = "Sochi"
        statement.save()
    revert_url = f"/admin/statements/statement/{statement.pk}/history/{first.history_id}/"

    response = admin_client.post(revert_url, unchanged_form(admin_client, revert_url))

    assert response.status_code == 302
    statement.refresh_from_db()
    assert (statement.venue, statement.history.count()) == ("Kremlin", 3)
    # the form shows the version's values, so Django names no field, but the record changed
    assert [
        (entry.object_id, entry.action_flag, entry.get_change_message())
        for entry in LogEntry.objects.all()
    ] == [(str(statement.pk), CHANGE, "No fields changed.")]


def test_admin_revert_form_shows_the_relations_the_version_had(admin_client, statement):
    first = statement.history.get()
    statement.topics.add(TopicFactory(name="Territory"))

    page = admin_client.get(
        f"/admin/statements/statement/{statement.pk}/history/{first.history_id}/"
    )

    assert page.context["adminform"].form.initial["topics"] == []


def test_api_history_lists_versions_newest_first_deleted_records_included(api_client, statement):
    statement.venue = "Sochi"
    statement.save()
    slug = statement.slug
    statement.delete()

    response = api_client.get(f"/api/v1/statements/{slug}/history/")

    versions = response.json()["results"]
    assert [(v["version"], v["change"], v["record"]["venue"]) for v in versions] == [
        (3, "deleted", "Sochi"),
        (2, "updated", "Sochi"),
        (1, "created", "Kremlin"),
    ]
    assert versions[0]["record"]["speaker"] == statement.speaker.slug
    assert versions[0]["changed_by"] is None


def test_api_history_of_a_record_that_never_existed_is_a_404(api_client):
    response = api_client.get("/api/v1/statements/no-such-statement/history/")

    assert response.status_code == 404
    assert response.json() == {
        "detail": "No statement with slug 'no-such-statement' has ever existed."
    }


def test_api_history_pages_by_number_in_two_queries_and_walks_by_cursor(
    api_client, statement, django_assert_num_queries
):
    editor = User.objects.create_user("desk")
    EditorProfile.objects.create(user=editor, display_name="Data desk")
    for venue in ["Sochi", "Minsk", "Kyiv"]:
        statement._history_user = editor
        statement.venue = venue
        statement.save()
    path = f"/api/v1/statements/{statement.slug}/history/"

    with django_assert_num_queries(2):  # the dataset version; the page with its count
        first = api_client.get(path, {"page_size": 3}).json()
    with django_assert_num_queries(2):
        last = api_client.get(path, {"page_size": 3, "page": 2}).json()
    past = api_client.get(path, {"page_size": 3, "page": 3})
    past_cap = api_client.get(path, {"page_size": 3, "page": 4000})  # counted alone
    never = api_client.get("/api/v1/statements/no-such-statement/history/", {"page": 2})
    walked, page = [], api_client.get(path, {"page_size": 3, "paging": "cursor"}).json()
    while True:
        walked += [version["version"] for version in page["results"]]
        if page["next"] is None:
            break
        page = api_client.get(page["next"]).json()

    assert [v["version"] for v in first["results"]] == [4, 3, 2]
    assert [v["changed_by"] for v in first["results"]] == ["Data desk"] * 3
    assert (first["count"], first["count_exact"], first["previous"]) == (4, True, None)
    assert first["next"].endswith("page=2&page_size=3")
    assert [(v["version"], v["record"]["venue"]) for v in last["results"]] == [(1, "Kremlin")]
    assert (last["count"], last["next"]) == (4, None)
    assert last["previous"].endswith("page_size=3")
    assert past.status_code == 404
    assert past.json() == {"detail": "page 3 does not exist: there are 2 page(s) of 3 item(s)."}
    assert past_cap.json() == {
        "detail": "page 4000 does not exist: there are 2 page(s) of 3 item(s)."
    }
    assert never.json() == {"detail": "page 2 does not exist: there are 1 page(s) of 20 item(s)."}
    assert walked == [4, 3, 2, 1]


def test_change_feed_lists_create_update_delete_in_order_and_pages_by_cursor(api_client):
    statement = StatementFactory(slug="feed-statement")
    statement.venue = "Sochi"
    statement.save()
    statement.delete()

    first = api_client.get("/api/v1/changes/?type=statement&page_size=2").json()
    second = api_client.get(first["next"]).json()

    changes = [(c["slug"], c["change"], c["version"]) for c in first["results"] + second["results"]]
    assert changes == [
        ("feed-statement", "created", 1),
        ("feed-statement", "updated", 2),
        ("feed-statement", "deleted", 3),
    ]
    assert second["next"] is None
    assert first["results"][0]["url"] == "http://testserver/api/v1/statements/feed-statement/"


def test_change_feed_walks_every_type_in_order_one_change_a_page(api_client):
    TopicFactory(slug="walked-topic")
    StatementFactory(slug="walked-statement")
    whole = api_client.get("/api/v1/changes/").json()
    assert whole["next"] is None

    walked, address = [], "/api/v1/changes/?page_size=1"
    while address:
        page = api_client.get(address).json()
        walked += page["results"]
        address = page["next"]

    assert walked == whole["results"]
    assert {"walked-topic", "walked-statement"} <= {change["slug"] for change in walked}
    times = [(change["changed_at"]) for change in walked]
    assert times == sorted(times)


def test_change_feed_since_keeps_later_changes_only(api_client):
    StatementFactory(slug="early")
    cut = Statement.history.get(slug="early").history_date
    StatementFactory(slug="late")

    response = api_client.get("/api/v1/changes/", {"since": cut.isoformat(), "type": "statement"})

    assert [c["slug"] for c in response.json()["results"]] == ["early", "late"]


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ("since=yesterday", {"since": ["'yesterday' is not an ISO 8601 time: use e.g. "
                                       "2025-03-01 or 2025-03-01T12:00:00Z."]}),
        ("cursor=%21%21", {"cursor": ["Not a cursor of this API: use the next or previous "
                                      "link as given."]}),
        ("type=tweet", {"type": ["Unknown type 'tweet'. Allowed: citation, event, figure, "
                                 "person, place, position, source, statement, topic, "
                                 "wording."]}),
        ("page_size=0", {"page_size": ["page_size must be a whole number from 1 to 500, "
                                       "not '0'."]}),
        ("page_size=501", {"page_size": ["page_size may be at most 500."]}),
        ("colour=red", {"colour": ["Unknown parameter. Allowed: cursor, format, page_size, "
                                   "since, type."]}),
    ],
)  # fmt: skip
def test_change_feed_refuses_bad_input_naming_the_parameter(api_client, query, errors):
    response = api_client.get(f"/api/v1/changes/?{query}")

    assert response.status_code == 400
    assert response.json()["errors"] == errors


def test_list_updated_since_keeps_records_changed_after_it(api_client):
    StatementFactory(slug="untouched")
    old = StatementFactory(slug="old-one")
    cut = timezone.now()
    StatementFactory(slug="new-one")
    old.save()  # changed again after the cut

    response = api_client.get("/api/v1/statements/", {"updated_since": cut.isoformat()})

    assert sorted(s["slug"] for s in response.json()["results"]) == ["new-one", "old-one"]


def test_user_deleted_later_leaves_history_without_a_name(statement):
    editor = User.objects.create_user("editor")
    statement._history_user = editor
    statement.save()

    editor.delete()

    assert statement.history.first().history_user is None


def test_history_and_feed_name_an_editor_by_display_name_never_the_login(
    editor_client, editor, api_client, django_assert_num_queries
):
    TopicFactory(slug="prisoners", name="Prisoners")
    path = "/api/v1/topics/prisoners/"
    editor_client.patch(path, {"name": "Prisoner swaps"}, format="json",
                        HTTP_IF_MATCH=editor_client.get(path)["ETag"])  # fmt: skip

    unnamed = api_client.get(f"{path}history/").json()["results"][0]["changed_by"]
    EditorProfile.objects.create(user=editor, display_name="Data desk")
    with django_assert_num_queries(2):  # the dataset version; the page, its editors named
        history = api_client.get(f"{path}history/").json()["results"]
    with django_assert_num_queries(2):
        feed = api_client.get("/api/v1/changes/?type=topic").json()["results"]

    assert unnamed == f"editor {editor.pk}"
    assert [v["changed_by"] for v in history] == ["Data desk", None]
    assert [c["changed_by"] for c in feed] == [None, "Data desk"]


def test_display_name_is_never_a_login_and_never_another_editors(editor):
    User.objects.create_user("maria")
    EditorProfile.objects.create(user=User.objects.create_user("other"), display_name="Desk")

    as_login = EditorProfile(user=editor, display_name=" Maria ")
    taken = EditorProfile(user=editor, display_name="Desk")

    with pytest.raises(ValidationError) as login_error:
        as_login.full_clean()
    with pytest.raises(ValidationError) as taken_error:
        taken.full_clean()
    assert login_error.value.message_dict == {
        "display_name": ["That is a login username: choose a name nobody logs in with."]
    }
    assert taken_error.value.message_dict["display_name"] == ["Another editor goes by that name."]


def test_admin_editor_chooses_only_their_own_display_name(client, editor):
    editor.is_staff = True
    editor.save()
    other = EditorProfile.objects.create(user=User.objects.create_user("other"), display_name="X")
    client.force_login(editor)

    added = client.post("/admin/events/editorprofile/add/", {"display_name": "Data desk"})
    others = client.get(f"/admin/events/editorprofile/{other.pk}/change/")

    assert added.status_code == 302
    assert EditorProfile.objects.get(user=editor).display_name == "Data desk"
    assert others.status_code == 302  # not theirs: the admin sends them away
    assert EditorProfile.objects.get(pk=other.pk).display_name == "X"


RELATIONS_SCRIPT = """
import django; django.setup()
from django.apps import apps
from config.db.history import m2m_relations
for model in apps.get_models():
    if getattr(model._meta, "simple_history_manager_attribute", None):
        print(model._meta.label, [name for name, _rows, _target in m2m_relations(model)])
"""


def test_a_version_lists_its_relations_in_the_same_order_in_every_process():
    """The history keeps a model's many-to-many fields as a set: a version's fields must not
    come out in another order in another process (each has its own string hashing)."""
    printed = set()
    for seed in ("1", "2", "3", "4", "5", "6"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "DJANGO_DEBUG": "true"}
        env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        done = subprocess.run(
            [sys.executable, "-c", RELATIONS_SCRIPT],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True,
        )  # fmt: skip
        printed.add(done.stdout)

    assert len(printed) == 1
    assert "statements.Statement ['about', 'topics', 'places']" in printed.pop()
