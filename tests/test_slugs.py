"""One slug rule (config.db.slugs), held by the models: the admin, a release merge, the write API,
the dataset check and the addresses agree on it."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from config.db.slugs import SLUG_MAX_LENGTH, SLUG_MESSAGE, SLUG_RE, SlugField, joined_slug
from events.models import Topic
from statements.checks import dataset_problems
from statements.models import Wording
from tests.factories import SourceFactory, StatementFactory, TopicFactory, WordingFactory

BAD = "Nato_Membership"


def test_slug_field_refuses_what_an_address_would_not_answer():
    topic = Topic(slug=BAD, name="NATO membership")

    with pytest.raises(ValidationError) as raised:
        topic.full_clean()

    assert raised.value.message_dict == {"slug": [SLUG_MESSAGE]}


def test_slug_field_refuses_a_final_newline():
    topic = Topic(slug="nato-membership\n", name="NATO membership")

    with pytest.raises(ValidationError) as raised:
        topic.full_clean()

    assert raised.value.message_dict == {"slug": [SLUG_MESSAGE]}


def test_slug_field_is_never_longer_than_an_address_takes():
    with pytest.raises(ValueError, match="at most 100 characters, not 210"):
        SlugField(max_length=210)


@pytest.mark.django_db
def test_admin_refuses_a_slug_the_rule_refuses(admin_client):
    response = admin_client.post(
        "/admin/events/topic/add/", {"slug": BAD, "name": "NATO membership", "description": ""}
    )

    assert (response.status_code, SLUG_MESSAGE in response.content.decode()) == (200, True)
    assert not Topic.objects.filter(name="NATO membership").exists()


def test_write_api_refuses_a_slug_the_rule_refuses(editor_client):
    body = {"slug": BAD, "name": "NATO membership", "description": ""}

    response = editor_client.post("/api/v1/topics/", body, format="json")

    assert (response.status_code, response.json()["errors"]) == (400, {"slug": [SLUG_MESSAGE]})
    assert not Topic.objects.filter(name="NATO membership").exists()


def test_merge_refuses_a_release_with_a_slug_the_rule_refuses(dataset, tmp_path):
    release = tmp_path / "release"
    release.mkdir()
    for path in Path(settings.FIXTURES_DIR).glob("*.json"):
        (release / path.name).write_bytes(path.read_bytes())
    topics = json.loads((release / "topics.json").read_text("utf-8"))
    topics.append({"model": "events.topic", "fields": {"slug": BAD, "name": "NATO membership"}})
    (release / "topics.json").write_text(json.dumps(topics, ensure_ascii=False), "utf-8")

    with pytest.raises(CommandError) as raised:
        call_command("load_dataset", "--input", str(release), verbosity=0)

    assert SLUG_MESSAGE in str(raised.value)
    assert not Topic.objects.filter(slug=BAD).exists()


@pytest.mark.django_db
def test_check_dataset_reports_a_slug_that_breaks_the_rule():
    topic = TopicFactory()
    Topic.objects.filter(pk=topic.pk).update(slug=BAD)  # as a raw edit of the database would

    problems = [problem for problem in list(dataset_problems()) if problem.startswith("topic ")]

    assert problems == [
        "topic 'Nato_Membership': its slug is not 1 to 80 lowercase letters, digits and hyphens"
    ]


def test_joined_slug_keeps_within_the_limit_and_stays_unique():
    statement, source = "s" * 90, "source-" + "x" * 60

    slugs = [joined_slug(statement, source), joined_slug(statement, source + "y")]

    assert [len(slug) for slug in slugs] == [SLUG_MAX_LENGTH, SLUG_MAX_LENGTH]
    assert [SLUG_RE.match(slug) is not None for slug in slugs] == [True, True]
    assert slugs[0] != slugs[1]
    assert slugs[0] == joined_slug(statement, source)  # every database gives the same one
    assert joined_slug("short", "source") == "short--source"


@pytest.mark.django_db
def test_wording_of_long_slugs_is_answered_at_its_address(api_client):
    statement = StatementFactory(slug="a" * SLUG_MAX_LENGTH)
    source = SourceFactory(slug="b" * SLUG_MAX_LENGTH)
    wording = WordingFactory(statement=statement, source=source)

    response = api_client.get(f"/api/v1/wordings/{wording.slug}/")

    assert (response.status_code, response.json()["slug"]) == (200, wording.slug)
    assert Wording.objects.get().slug == wording.slug
    assert len(wording.slug) == SLUG_MAX_LENGTH
