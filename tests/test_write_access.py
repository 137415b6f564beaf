"""Who may write: tokens (`create_api_token`), 401 and 403, the write limit, and the history
recording the editor as the author of what the API changed, as the admin does."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission, User
from django.core.management import CommandError, call_command
from knox.models import AuthToken
from rest_framework.test import APIClient

from events.models import Topic
from tests.factories import TopicFactory

pytestmark = pytest.mark.django_db

NEW_TOPIC = {"slug": "prisoner-exchange", "name": "Prisoner exchange"}


def token_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def last_line(capsys) -> str:
    return capsys.readouterr().out.strip().splitlines()[-1]


def test_create_api_token_prints_a_token_that_writes_as_the_user(editor, capsys):
    call_command("create_api_token", "ed")
    key = last_line(capsys)

    response = token_client(key).post("/api/v1/topics/", NEW_TOPIC, format="json")

    assert response.status_code == 201, response.json()
    assert Topic.objects.get(slug="prisoner-exchange").history.get().history_user == editor


def test_create_api_token_stores_only_a_digest(editor, capsys):
    call_command("create_api_token", "ed")
    key = last_line(capsys)

    stored = AuthToken.objects.get(user=editor)

    assert (len(key), stored.expiry) == (64, None)
    assert key not in {stored.digest, stored.token_key}
    assert not AuthToken.objects.filter(digest=key).exists()


def test_create_api_token_gives_an_expiry_and_an_expired_token_is_refused(editor, capsys):
    call_command("create_api_token", "ed", "--expires-in", "30")
    key = last_line(capsys)
    token = AuthToken.objects.get(user=editor)
    days = (token.expiry - token.created).days
    AuthToken.objects.filter(pk=token.pk).update(expiry=token.created)

    response = token_client(key).post("/api/v1/topics/", NEW_TOPIC, format="json")

    assert days in (29, 30)
    assert (response.status_code, response.json()) == (401, {"detail": "Invalid token."})


def test_create_api_token_revoke_deletes_every_token_of_the_user(editor, capsys):
    call_command("create_api_token", "ed")
    key = last_line(capsys)
    call_command("create_api_token", "ed")

    call_command("create_api_token", "ed", "--revoke")

    response = token_client(key).post("/api/v1/topics/", NEW_TOPIC, format="json")
    assert last_line(capsys) == "Revoked 2 token(s) of ed."
    assert (response.status_code, AuthToken.objects.count()) == (401, 0)


def test_create_api_token_refuses_an_unknown_user():
    with pytest.raises(CommandError, match="No user 'nobody'"):
        call_command("create_api_token", "nobody")


def test_write_without_a_token_is_401_and_changes_nothing(api_client):
    response = api_client.post("/api/v1/topics/", NEW_TOPIC, format="json")

    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}
    assert response["WWW-Authenticate"] == "Token"
    assert not Topic.objects.exists()


@pytest.mark.parametrize(
    "header",
    ["Token 0123456789abcdef", "Token", "Token a b", "Token \u00ff\u00fe"],
    ids=["unknown", "empty", "spaces", "not-utf8"],
)
def test_write_with_a_bad_token_is_401(api_client, header):
    response = api_client.post(
        "/api/v1/topics/", NEW_TOPIC, format="json", HTTP_AUTHORIZATION=header
    )

    assert response.status_code == 401
    assert set(response.json()) == {"detail"}
    assert not Topic.objects.exists()


def test_read_ignores_the_authorization_header(api_client):
    TopicFactory(slug="territory")

    response = api_client.get("/api/v1/topics/territory/", HTTP_AUTHORIZATION="Token wrong")

    assert response.status_code == 200
    assert response.json()["slug"] == "territory"


def test_write_without_the_model_permission_is_403():
    reader = User.objects.create_user("reader")
    _token, key = AuthToken.objects.create(user=reader, expiry=None)

    response = token_client(key).post("/api/v1/topics/", NEW_TOPIC, format="json")

    assert response.status_code == 403
    assert response.json() == {"detail": "You do not have permission to perform this action."}
    assert not Topic.objects.exists()


def test_write_needs_the_permission_of_its_own_action():
    TopicFactory(slug="territory")
    changer = User.objects.create_user("changer")
    changer.user_permissions.add(Permission.objects.get(codename="change_topic"))
    _token, key = AuthToken.objects.create(user=changer, expiry=None)
    client = token_client(key)
    tag = client.get("/api/v1/topics/territory/")["ETag"]

    patched = client.patch(
        "/api/v1/topics/territory/", {"name": "Land"}, format="json", HTTP_IF_MATCH=tag
    )
    created = client.post("/api/v1/topics/", NEW_TOPIC, format="json")
    deleted = client.delete("/api/v1/topics/territory/", HTTP_IF_MATCH=patched["ETag"])

    assert (patched.status_code, created.status_code, deleted.status_code) == (200, 403, 403)


def test_editors_group_is_made_by_its_migration():
    # the migration ran when the test database was made; a test that empties the database may
    # have run since, so its function is run again here
    Group.objects.filter(name="editors").delete()
    migration = importlib.import_module("statements.migrations.0007_editors_group")

    migration.create_editors(django_apps, None)

    group = Group.objects.get(name="editors")
    codenames = set(group.permissions.values_list("codename", flat=True))

    assert len(codenames) == 4 * 10
    assert {"add_statement", "change_citation", "delete_place", "view_wording"} <= codenames


def test_editors_group_holds_add_change_and_delete_of_every_type(editor):
    actions = {"add", "change", "delete"}
    types = ["statement", "event", "figure", "citation", "person", "source", "topic", "place"]

    missing = [
        f"{action}_{name}"
        for name in types
        for action in actions
        if not any(editor.has_perm(f"{app}.{action}_{name}") for app in ("events", "statements"))
    ]

    assert missing == []


def test_writes_per_token_are_limited_with_retry_after(editor_client, settings):
    settings.WRITE_RATE = "2/minute"
    bodies = [{"slug": f"topic-{n}", "name": f"Topic {n}"} for n in range(3)]

    statuses = [
        editor_client.post("/api/v1/topics/", body, format="json").status_code for body in bodies
    ]
    refused = editor_client.post("/api/v1/topics/", {"slug": "x", "name": "X"}, format="json")
    read = editor_client.get("/api/v1/topics/")

    assert statuses == [201, 201, 429]
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["detail"].startswith("Request was throttled.")
    assert read.status_code == 200
    assert Topic.objects.count() == 2


def test_history_records_the_token_user_as_the_admin_records_them(editor, editor_client, client):
    TopicFactory(slug="territory", name="Territory")
    editor.is_staff = True
    editor.save()
    client.force_login(editor)
    tag = editor_client.get("/api/v1/topics/territory/")["ETag"]

    api = editor_client.patch(
        "/api/v1/topics/territory/", {"name": "Land"}, format="json", HTTP_IF_MATCH=tag
    )
    topic = Topic.objects.get(slug="territory")
    admin = client.post(
        f"/admin/events/topic/{topic.pk}/change/",
        {"slug": "territory", "name": "Land and borders", "description": ""},
    )

    assert (api.status_code, admin.status_code) == (200, 302)
    versions = [(row.version, row.name, row.history_user) for row in topic.history.all()]
    assert versions == [
        (3, "Land and borders", editor),
        (2, "Land", editor),
        (1, "Territory", None),
    ]
