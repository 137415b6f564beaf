"""Releases: the database is the record; a release merges into it without clobbering edits."""

import json
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import ReleaseBaseline, Topic
from statements.dataset import DATASET_MODELS
from statements.models import Position, Statement

NEUTRALITY = "putin-2024-11-07-neutrality"
REALITIES = "putin-2024-11-ceasefire-must-reflect-realities"


@pytest.fixture
def release(tmp_path) -> Path:
    """A copy of fixtures/ to change as a newer release would."""
    directory = tmp_path / "release"
    shutil.copytree(settings.FIXTURES_DIR, directory, ignore=shutil.ignore_patterns("*.md"))
    return directory


def change_in_release(directory: Path, model: str, slug: str, **fields) -> None:
    for path in directory.glob("*.json"):
        objects = json.loads(path.read_text("utf-8"))
        for obj in objects:
            if obj["model"] == model and obj["fields"]["slug"] == slug:
                obj["fields"].update(fields)
                path.write_text(json.dumps(objects, ensure_ascii=False, indent=2) + "\n", "utf-8")
                return
    raise AssertionError(f"{model} {slug} is not in the release")


def edit(slug: str, **fields) -> None:
    """An editor's change, as the admin or the shell makes it (a save, not an update())."""
    statement = Statement.objects.get(slug=slug)
    for name, value in fields.items():
        setattr(statement, name, value)
    statement.save()


def venue(slug: str) -> str:
    return Statement.objects.get(slug=slug).venue


def test_load_dataset_keeps_an_edit_when_the_release_did_not_change_that_field(dataset):
    edit(NEUTRALITY, venue="Valdai club, Sochi")

    call_command("load_dataset", verbosity=0)
    call_command("load_dataset", "--if-empty", verbosity=0)

    assert venue(NEUTRALITY) == "Valdai club, Sochi"


def test_load_dataset_takes_what_only_the_release_changed_and_keeps_the_rest(dataset, release):
    edit(NEUTRALITY, venue="Valdai club, Sochi")
    change_in_release(release, "statements.statement", REALITIES, venue="Moscow")

    call_command("load_dataset", "--input", str(release), verbosity=0)

    assert (venue(NEUTRALITY), venue(REALITIES)) == ("Valdai club, Sochi", "Moscow")
    baseline = ReleaseBaseline.objects.get(model="statements.statement", key=REALITIES)
    assert baseline.fields["venue"] == "Moscow"


def test_load_dataset_reports_a_conflict_and_changes_nothing(dataset, release):
    edit(NEUTRALITY, venue="Valdai club, Sochi")
    change_in_release(release, "statements.statement", NEUTRALITY, venue="Sochi")
    change_in_release(release, "statements.statement", REALITIES, venue="Moscow")
    versions = Statement.history.count()

    with pytest.raises(CommandError) as raised:
        call_command("load_dataset", "--input", str(release), verbosity=0)

    assert (
        f'statements.statement {NEUTRALITY}: venue: database "Valdai club, Sochi", '
        'release "Sochi"' in str(raised.value)
    )
    assert (venue(NEUTRALITY), venue(REALITIES)) == ("Valdai club, Sochi", "")
    assert Statement.history.count() == versions


@pytest.mark.parametrize(
    ("prefer", "kept"), [("database", "Valdai club, Sochi"), ("release", "Sochi")]
)
def test_load_dataset_settles_conflicts_as_told(dataset, release, prefer, kept):
    edit(NEUTRALITY, venue="Valdai club, Sochi")
    change_in_release(release, "statements.statement", NEUTRALITY, venue="Sochi")

    call_command("load_dataset", "--input", str(release), "--prefer", prefer, verbosity=0)

    assert venue(NEUTRALITY) == kept


def test_load_dataset_refuses_a_release_that_breaks_a_rule_and_changes_nothing(dataset, release):
    change_in_release(release, "statements.statement", REALITIES, venue="Moscow")
    change_in_release(release, "statements.statement", NEUTRALITY, text="Words Putin never said")

    with pytest.raises(CommandError) as raised:
        call_command("load_dataset", "--input", str(release), verbosity=0)

    assert (
        f"statement {NEUTRALITY}: A quote must stand character for character in one of its "
        "excerpts" in str(raised.value)
    )
    assert venue(REALITIES) == ""


def drop_from_release(directory: Path, model: str, slug: str) -> None:
    for path in directory.glob("*.json"):
        objects = json.loads(path.read_text("utf-8"))
        kept = [o for o in objects if (o["model"], o["fields"]["slug"]) != (model, slug)]
        if kept != objects:
            path.write_text(json.dumps(kept, ensure_ascii=False, indent=2) + "\n", "utf-8")
            return
    raise AssertionError(f"{model} {slug} is not in the release")


def test_load_dataset_deletes_what_the_release_dropped(dataset, release):
    position = Position.objects.order_by("slug").first()
    drop_from_release(release, "statements.position", position.slug)

    call_command("load_dataset", "--input", str(release), verbosity=0)

    assert not Position.objects.filter(slug=position.slug).exists()
    assert Position.history.filter(slug=position.slug).first().history_type == "-"


def test_load_dataset_keeps_a_dropped_record_an_editor_changed_as_a_conflict(dataset, release):
    position = Position.objects.order_by("slug").first()
    position.stance = "neutral" if position.stance != "neutral" else "accepts"
    position.save()
    drop_from_release(release, "statements.position", position.slug)

    with pytest.raises(CommandError) as raised:
        call_command("load_dataset", "--input", str(release), verbosity=0)

    assert (
        f'statements.position {position.slug}: (record): database "changed", release "removed"'
        in str(raised.value)
    )
    assert Position.objects.filter(slug=position.slug).exists()


def test_load_dataset_dry_run_reports_and_changes_nothing(dataset, release, capsys):
    change_in_release(release, "statements.statement", REALITIES, venue="Moscow")

    call_command("load_dataset", "--input", str(release), "--dry-run")

    output = capsys.readouterr().out
    assert f"update statements.statement {REALITIES}: venue" in output
    assert venue(REALITIES) == ""


def test_export_of_an_untouched_database_is_the_fixtures_byte_for_byte(dataset, tmp_path):
    call_command("export_dataset", "--output", str(tmp_path), verbosity=0)

    written = {path.name: path.read_bytes() for path in tmp_path.glob("*.json")}
    fixtures = {path.name: path.read_bytes() for path in settings.FIXTURES_DIR.glob("*.json")}
    assert written == fixtures


def api_responses(client) -> dict:
    """Every record of every list and its detail, without the timestamps a reload renews."""

    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in {"created_at", "updated_at"}}
        if isinstance(value, list):
            return [strip(item) for item in value]
        return value

    responses = {}
    for route in ["statements", "events", "people", "sources", "figures", "topics", "places",
                  "citations"]:  # fmt: skip
        url = f"/api/v1/{route}/?page_size=100"
        while url:
            page = client.get(url).json()
            responses[url] = strip(page["results"])
            url = page["next"]
    return responses


def test_export_after_edits_then_load_into_an_empty_database_answers_the_same(
    dataset, api_client, tmp_path
):
    edit(NEUTRALITY, venue="Valdai club, Sochi")
    statement = Statement.objects.get(slug=REALITIES)
    statement.topics.clear()
    before = api_responses(api_client)

    call_command("export_dataset", "--output", str(tmp_path), verbosity=0)
    for model in reversed(DATASET_MODELS):  # an empty database: citations first, topics last
        model.objects.all().delete()
    ReleaseBaseline.objects.all().delete()
    call_command("load_dataset", "--input", str(tmp_path), verbosity=0)

    assert api_responses(api_client) == before


def test_load_dataset_if_empty_reports_a_newer_release_without_loading_it(dataset, release, capsys):
    change_in_release(release, "statements.statement", REALITIES, venue="Moscow")

    call_command("load_dataset", "--input", str(release), "--if-empty")

    assert "fixtures/ is not the one last loaded into it" in capsys.readouterr().out
    assert venue(REALITIES) == ""


def test_load_dataset_if_empty_knows_the_release_it_loaded_in_two_queries(
    dataset, capsys, django_assert_num_queries
):
    # the topics exist (the database is not empty), the loaded release's digest
    with django_assert_num_queries(2):
        call_command("load_dataset", "--if-empty")

    assert "fixtures/ is the one last loaded into it" in capsys.readouterr().out


def test_a_merge_reads_only_the_records_the_release_holds_or_held(dataset, release):
    """A merge into a database of a million statements reads the records of the release and of
    the last one, not every record: an editor's own record is not read as a fixture, and the
    records a change refers to are found by their slugs, not by a list of every slug."""
    Topic.objects.create(slug="editors-own-topic", name="An editor's own topic")
    change_in_release(release, "statements.statement", REALITIES, venue="Moscow")

    with CaptureQueriesContext(connection) as queries:
        call_command("load_dataset", "--input", str(release), verbosity=0)

    topic_reads = [q["sql"] for q in queries if 'FROM "events_topic"' in q["sql"]]
    every_slug = [
        q["sql"]
        for q in queries
        if re.fullmatch(r'SELECT "\w+"\."slug", "\w+"\."id" FROM "\w+"( ORDER BY .*)?', q["sql"])
    ]
    assert venue(REALITIES) == "Moscow"
    assert Topic.objects.filter(slug="editors-own-topic").exists()
    assert [sql for sql in topic_reads if "editors-own-topic" in sql] == []
    assert every_slug == []
