"""A dataset that breaks a rule many times is reported in bounded lines and bounded memory: for
each kind of rule, a count and its first examples (statements.checks.Findings); `--errors-file`
lists every one."""

import json
import tracemalloc
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from events.models import Person, ReleaseBaseline, Topic
from statements.checks import SHOWN, Findings, check_dataset

SLUG_RULE = "slugs that break the slug rule"
SEEDS = "sources that differ from their seed files or digests"  # seeds without a source

# the seed files, none of which has its source in an empty database: five errors of their own
SEED_FILES = sorted(path.name for path in settings.SEEDS_DIR.glob("*.txt"))

pytestmark = pytest.mark.django_db


def break_slugs(numbers: range) -> None:
    """Topics whose slug breaks the rule, written in bulk as a raw import would."""
    topics = [Topic(slug=f"Bad_{n:06}", name=f"Topic {n}") for n in numbers]
    Topic.objects.bulk_create(topics, batch_size=2_000)


def add_unused_people(count: int) -> None:
    people = [Person(slug=f"nobody-{n:06}", name=f"Nobody {n}") for n in range(count)]
    Person.objects.bulk_create(people, batch_size=2_000)


def bad_slug(n: int) -> str:
    return f"topic 'Bad_{n:06}': its slug is not 1 to 80 lowercase letters, digits and hyphens"


def test_check_dataset_shows_the_first_of_each_kind_and_counts_the_rest():
    break_slugs(range(500))
    add_unused_people(300)
    findings = Findings()

    check_dataset(findings)

    assert findings.counts[SLUG_RULE] == 500
    assert findings.examples[SLUG_RULE] == [bad_slug(n) for n in range(SHOWN)]
    assert len(findings) == 500 + findings.counts[SEEDS]
    assert findings.lines()[SHOWN] == f"... and {500 - SHOWN} more: {SLUG_RULE}"


def test_check_dataset_command_output_is_bounded(capsys):
    break_slugs(range(3_000))
    add_unused_people(3_000)

    with pytest.raises(CommandError) as raised:
        call_command("check_dataset", "--examples", "5")

    warnings = capsys.readouterr().out.splitlines()
    errors = str(raised.value).splitlines()
    assert warnings == [
        *(f"warning: person nobody-{n:06}: unused (no statement, no event)" for n in range(5)),
        "... and 2,995 more: persons nobody cites",
    ]
    assert errors == [
        f"{3_000 + len(SEED_FILES)} error(s) in the dataset:",
        *(f"  - {bad_slug(n)}" for n in range(5)),
        f"  - ... and 2,995 more: {SLUG_RULE}",
        *(f"  - seed file {name}: no source" for name in SEED_FILES),
    ]


def test_check_dataset_command_writes_every_finding_to_the_errors_file(tmp_path):
    break_slugs(range(700))
    add_unused_people(40)
    path = tmp_path / "errors.txt"

    with pytest.raises(CommandError) as raised:
        call_command("check_dataset", "--examples", "0", "--errors-file", str(path))

    written = path.read_text("utf-8").splitlines()
    assert sorted(line for line in written if line.startswith("topic ")) == [
        bad_slug(n) for n in range(700)
    ]
    assert len([line for line in written if line.startswith("warning: person ")]) == 40
    assert f"  - ... and 700 more: {SLUG_RULE}" in str(raised.value).splitlines()
    assert not [line for line in str(raised.value).splitlines() if "Bad_" in line]


def check_peak() -> int:
    """The peak of memory Python allocates while the whole check runs, in bytes."""
    tracemalloc.start()
    try:
        check_dataset()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_check_dataset_memory_does_not_grow_with_the_broken_rules():
    break_slugs(range(20_000))
    small = check_peak()
    break_slugs(range(20_000, 60_000))

    large = check_peak()

    # listed, the 40,000 more lines would take some 6 MB; counted, the check reads the same
    # batches of 2,000 (about 380 KB at its peak)
    assert large < small + 100 * 1024


def test_refused_load_reports_a_bounded_message(tmp_path):
    release = tmp_path / "release"
    release.mkdir()
    topics = [
        {"model": "events.topic", "fields": {"slug": f"Bad_{n:06}", "name": f"Topic {n}"}}
        for n in range(3_000)
    ]
    (release / "topics.json").write_text(json.dumps(topics), "utf-8")

    with pytest.raises(CommandError) as raised:
        call_command("load_dataset", "--input", str(release), "--examples", "3", verbosity=0)

    refused = "slug: A slug is lowercase letters, digits and hyphens."
    assert str(raised.value).splitlines() == [
        f"the merge would break {3_000 + len(SEED_FILES)} rule(s); nothing changed",
        *(f"  - events.topic Bad_{n:06}: {refused}" for n in range(3)),
        "  - ... and 2,997 more: records the release gives that cannot be written",
        *(f"  - seed file {name}: no source" for name in SEED_FILES[:3]),
        f"  - ... and {len(SEED_FILES) - 3} more: {SEEDS}",
    ]
    assert not Topic.objects.exists()


def topics_release(directory: Path, files: int, name: str = "Topic") -> Path:
    """A release of `files` files of 2,000 topics each (a release's memory holds one file at
    a time while it is read), each topic named `name` and its number, every field given as an
    export gives it."""
    directory.mkdir()
    for number in range(files):
        topics = [
            {
                "model": "events.topic",
                "fields": {"slug": f"topic-{n:06}", "name": f"{name} {n}", "description": ""},
            }
            for n in range(number * 2_000, (number + 1) * 2_000)
        ]
        (directory / f"topics-{number:03}.json").write_text(json.dumps(topics), "utf-8")
    return directory


def load_peak(release: Path) -> int:
    """The peak of memory Python allocates while `release` loads into an empty database."""
    tracemalloc.start()
    try:
        call_command("load_dataset", "--input", str(release), verbosity=0)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.fixture
def no_seed_files(settings, tmp_path) -> None:
    """A dataset of topics only: no seed file waits for its source."""
    settings.SEEDS_DIR = tmp_path / "seeds"
    settings.SEEDS_DIR.mkdir()


def test_first_load_memory_does_not_grow_with_the_release(no_seed_files, tmp_path):
    small = load_peak(topics_release(tmp_path / "small", 2))
    for emptied in (Topic.objects, Topic.history, ReleaseBaseline.objects):  # a fresh database
        emptied.all().delete()

    large = load_peak(topics_release(tmp_path / "large", 10))

    assert Topic.objects.count() == 20_000
    # held in a plan, 16,000 more records (their fields, keys and built instances) would take
    # some 25 MB; the merge holds a batch of 2,000 (about 5 MB at its peak, the file read too)
    assert large < small + 1024 * 1024


def merge_peak(directory: Path, files: int) -> int:
    """The peak of memory Python allocates while a release that renames the first half of the
    topics of the last release loaded, `files` files of them, and drops the other half merges
    into the database that release filled."""
    directory.mkdir()
    loaded = topics_release(directory / "loaded", files)
    call_command("load_dataset", "--input", str(loaded), verbosity=0)
    renamed = topics_release(directory / "renamed", files // 2, name="Renamed")
    return load_peak(renamed)


def test_merge_memory_does_not_grow_with_the_records_it_updates_and_deletes(
    no_seed_files, tmp_path
):
    small = merge_peak(tmp_path / "small", 2)
    for emptied in (Topic.objects, Topic.history, ReleaseBaseline.objects):  # a fresh database
        emptied.all().delete()

    large = merge_peak(tmp_path / "large", 4)

    assert Topic.objects.get(slug="topic-003999").name == "Renamed 3999"
    assert not Topic.objects.filter(slug="topic-004000").exists()
    assert Topic.history.filter(history_type="~", history_change_reason__startswith="release ")
    versions = Topic.history.values("history_type").annotate(n=Count("*")).order_by("history_type")
    assert list(versions) == [
        {"history_type": "+", "n": 8_000},
        {"history_type": "-", "n": 4_000},
        {"history_type": "~", "n": 4_000},
    ]
    # held until the merge ends, 2,000 more records updated and 2,000 more deleted (their
    # instances and keys) would take some 2 MB; the merge holds a batch of each
    assert large < small + 1024 * 1024


def test_dry_run_shows_the_first_of_each_kind_of_change(no_seed_files, tmp_path, capsys):
    release = topics_release(tmp_path / "release", 3)

    call_command("load_dataset", "--input", str(release), "--dry-run", "--examples", "2")

    assert capsys.readouterr().out.splitlines() == [
        "Dry run: 6000 to create, 0 to update, 0 to delete, 0 conflict(s).",
        "create events.topic topic-000000",
        "create events.topic topic-000001",
        "... and 5,998 more: records to create",
    ]
    assert not Topic.objects.exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--examples", "-1"], "'-1' is not a count"),
        (["--examples", "many"], "'many' is not a count"),
        (["--errors-file", "/nonexistent/errors.txt"], "No such file or directory"),
    ],
)
def test_check_dataset_refuses_bad_options_naming_them(options, message):
    with pytest.raises(CommandError, match=message):
        call_command("check_dataset", *options)
