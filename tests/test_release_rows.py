"""The export's reader of rows and its file-by-file layout against what they replace: every
record read through Django's serializer, and the whole snapshot laid out in memory.

The export and the merge read records as rows (`statements.release.fixture_rows`) and write the
release one file at a time. Here the earlier way, kept as the reference, reads the same
database: the fields must be equal and every file the same bytes, on the seed dataset and after
edits that reach each rule of the layout (a statement nobody cites, an event two articles cite,
an ingested article, a date interval set by hand).
"""

import json
import shutil
from collections import defaultdict
from pathlib import Path

import pytest
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import F

from events.fixture_files import CATALOGUE
from events.models import Event, Source
from statements.dataset import DATASET_MODELS
from statements.models import Citation, Statement
from statements.release import (
    DERIVED,
    INTERVAL,
    Key,
    _sort_relations,
    article_file,
    fixture_rows,
    source_order,
    write_release,
)


def serialized(model) -> dict[str, dict]:
    """Every record of `model` as its fixture fields, through Django's serializer."""
    text = serializers.serialize(
        "json", model.objects.all(), use_natural_foreign_keys=True, use_natural_primary_keys=True
    )
    found = {}
    for obj in json.loads(text):
        fields = obj["fields"]
        _sort_relations(fields)
        if not fields.get("date_interval_explicit"):
            for name in INTERVAL:
                fields.pop(name, None)
        found[fields["slug"]] = {"slug": fields["slug"]} | {
            name: value for name, value in fields.items() if name not in DERIVED
        }
    return found


def reference_files() -> dict[str, bytes]:
    """The release as the export wrote it before it streamed: a snapshot of every record
    through the serializer, laid out in memory, each file written by json.dump."""
    records = {
        (model._meta.label_lower, slug): fields
        for model in DATASET_MODELS
        for slug, fields in serialized(model).items()
    }
    return {
        name: (json.dumps(objects, ensure_ascii=False, indent=2) + "\n").encode()
        for name, objects in layout(records).items()
    }


def layout(records: dict[Key, dict]) -> dict[str, list[dict]]:
    """Place every record in the file it belongs to, in the order it is written (the export's
    layout before it streamed, kept as the reference).

    Topics, places and sources have a catalogue file each. A citation or a wording goes in its
    source's article file. A statement or figure goes in the article file of the first source
    that cites it, and the positions coded from a statement go with it; an event or a person
    used by one article only goes in that article's file, and in `events.json` or
    `people.json` otherwise. Article files hold their records in the order the article first
    cites them; catalogue files sort by slug.
    """
    of = defaultdict(list)
    for (label, _slug), fields in records.items():
        of[label].append(fields)
    sources = sorted(of["events.source"], key=source_order)
    file_of_source = {source["slug"]: article_file(source) for source in sources}
    rank = {source["slug"]: n for n, source in enumerate(sources)}

    cited_in = defaultdict(list)  # (label, slug) -> [(source rank, start)] of its citations
    for citation in of["statements.citation"]:
        for kind, label in (("statement", "statements.statement"), ("event", "events.event"),
                            ("figure", "statements.figure")):  # fmt: skip
            if citation[kind]:
                source = citation["source"][0]
                cited_in[label, citation[kind][0]].append((rank[source], citation["start"]))

    placed: dict[str, list[tuple]] = defaultdict(list)  # file -> [(group, order, label, fields)]

    def place(file: str, group: int, order, label: str, fields: dict) -> None:
        placed[file].append((group, order, label, fields))

    for label, file in (("events.topic", "topics.json"), ("events.place", "places.json")):
        for fields in of[label]:
            place(file, 0, fields["slug"], label, fields)
    for fields in sources:
        place("sources.json", 0, source_order(fields), "events.source", fields)

    first = {}  # (label, slug) -> (file, position of its first citation in that file)
    for label in ("statements.statement", "statements.figure", "events.event"):
        for fields in of[label]:
            citations = sorted(cited_in[label, fields["slug"]])
            sources_citing = {source for source, _start in citations}
            if label == "events.event" and len(sources_citing) != 1:
                place("events.json", 1, fields["slug"], label, fields)
                continue
            source_rank, start = citations[0] if citations else (None, None)
            file = file_of_source[sources[source_rank]["slug"]] if citations else "events.json"
            first[label, fields["slug"]] = (file, start)
            group = {"events.event": 1, "statements.statement": 2, "statements.figure": 3}[label]
            place(file, group, (start or 0, fields["slug"]), label, fields)

    speakers = defaultdict(set)  # person slug -> files of the records they speak in or join
    for fields in of["statements.statement"]:
        where = first.get(("statements.statement", fields["slug"]))
        speakers[fields["speaker"][0]].add(where)
    for fields in of["events.event"]:
        where = first.get(("events.event", fields["slug"]), ("events.json", None))
        for participant in fields["participants"]:
            speakers[participant[0]].add(where)
    for fields in of["events.person"]:
        files = {file for file, _start in speakers[fields["slug"]]}
        if len(files) == 1 and next(iter(files)) not in CATALOGUE:
            start = min(start for _file, start in speakers[fields["slug"]])
            place(next(iter(files)), 0, (start, fields["slug"]), "events.person", fields)
        else:
            place("people.json", 0, fields["slug"], "events.person", fields)

    for fields in of["statements.citation"]:
        file = file_of_source[fields["source"][0]]
        place(file, 4, (fields["start"], fields["end"], fields["slug"]), "statements.citation",
              fields)  # fmt: skip
    for fields in of["statements.wording"]:
        place(file_of_source[fields["source"][0]], 5, (0, fields["slug"]), "statements.wording",
              fields)  # fmt: skip
    for fields in of["statements.position"]:
        file, start = first[("statements.statement", fields["statement"][0])]
        place(file, 6, (start, fields["slug"]), "statements.position", fields)

    return {
        file: [
            {"model": label, "fields": fields}
            for _g, _o, label, fields in sorted(entries, key=lambda e: (e[0], e[1]))
        ]
        for file, entries in placed.items()
    }


def edit_every_rule() -> None:
    """Edits, as raw updates, that reach the layout's every branch."""
    # a statement nobody cites: it, and its positions, go in events.json
    uncited = Statement.objects.filter(positions__isnull=False).order_by("slug").first()
    Citation.objects.filter(statement=uncited).delete()
    # an event two articles cite goes in events.json
    first, second = Source.objects.order_by("seed_file")[:2]
    event = Event.objects.filter(citations__source=first).order_by("slug").first()
    Citation.objects.filter(pk=Citation.objects.filter(source=second).order_by("pk")[0].pk).update(
        statement=None, figure=None, event=event
    )
    # an ingested article: no seed file, after the seed files
    Source.objects.filter(pk=first.pk).update(seed_file=None)
    # a date interval set by hand is exported; a statement without its occasion
    Statement.objects.filter(pk=Statement.objects.order_by("slug")[1].pk).update(
        date_interval_explicit=True, date_earliest=F("date_earliest"), occasion=None
    )


@pytest.mark.parametrize("edited", [False, True], ids=["seed", "edited"])
def test_rows_are_the_serializers_fields(dataset, edited):
    if edited:
        edit_every_rule()
    for model in DATASET_MODELS:
        rows = {fields["slug"]: fields for _pk, fields in fixture_rows(model)}
        expected = serialized(model)

        assert rows == expected, model.__name__
        # the same fields in the same order: the files' bytes follow it
        assert {slug: list(fields) for slug, fields in rows.items()} == {
            slug: list(fields) for slug, fields in expected.items()
        }


@pytest.mark.parametrize("edited", [False, True], ids=["seed", "edited"])
def test_export_writes_the_bytes_the_in_memory_layout_wrote(dataset, edited, tmp_path: Path):
    if edited:
        edit_every_rule()
    expected = reference_files()

    written = write_release(tmp_path)

    assert {path.name: path.read_bytes() for path in written} == expected
    assert sorted(path.name for path in tmp_path.glob("*.json")) == sorted(expected)
    if edited:  # the edits reached what they were meant to
        events = json.loads(expected["events.json"])
        assert {"statements.statement", "statements.position", "events.event"} <= {
            obj["model"] for obj in events
        }
        assert any(name.startswith("ingested-") for name in expected)


def test_a_release_that_holds_a_record_twice_is_refused_and_changes_nothing(dataset, tmp_path):
    release = tmp_path / "release"
    release.mkdir()
    for path in settings.FIXTURES_DIR.glob("*.json"):
        shutil.copy(path, release)
    sources = json.loads((release / "sources.json").read_text("utf-8"))
    article = next(release.glob("000-*.json"))
    objects = json.loads(article.read_text("utf-8"))
    changed = sources[0] | {"fields": sources[0]["fields"] | {"title": "A second copy"}}
    article.write_text(json.dumps([*objects, changed], ensure_ascii=False), "utf-8")

    with pytest.raises(
        CommandError, match=f"{article.name}: events.source .* is in the release twice"
    ):
        call_command("load_dataset", "--input", str(release), verbosity=0)

    assert Source.objects.filter(title="A second copy").count() == 0
    with connection.cursor() as cursor:  # the release's table went with it
        tables = connection.introspection.table_names(cursor)
    assert "release_record" not in tables
