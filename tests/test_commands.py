import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from events.fixture_files import read_fixture


def write(path, objects):
    path.write_text(json.dumps(objects, ensure_ascii=False), encoding="utf-8")


def citation(excerpt: str, start=None) -> dict:
    return {
        "model": "statements.citation",
        "fields": {
            "source": ["bne-2025-02-06-positions-soften"],
            "statement": ["x"],
            "event": None,
            "figure": None,
            "excerpt": excerpt,
            "start": start,
            "end": None,
        },
    }


def test_locate_excerpts_fills_offsets_in_a_fixture_file(tmp_path):
    path = tmp_path / "article.json"
    write(path, [citation("presidential spokesman Dmitry Peskov said on February 5")])

    call_command("locate_excerpts", str(path), verbosity=0)

    fields = read_fixture(path)[0]["fields"]
    assert fields["end"] - fields["start"] == len(fields["excerpt"])


def test_locate_excerpts_refuses_an_excerpt_not_in_the_source(tmp_path):
    path = tmp_path / "article.json"
    write(path, [citation("Peskov said on February 6")])

    with pytest.raises(CommandError, match="excerpt not found"):
        call_command("locate_excerpts", str(path), verbosity=0)

    assert read_fixture(path)[0]["fields"]["start"] is None


def test_locate_excerpts_refuses_an_ambiguous_excerpt(tmp_path):
    path = tmp_path / "article.json"
    write(path, [citation("Zelenskiy")])

    with pytest.raises(CommandError, match="found \\d+ times"):
        call_command("locate_excerpts", str(path), verbosity=0)


def test_locate_excerpts_check_mode_changes_nothing(tmp_path):
    path = tmp_path / "article.json"
    write(path, [citation("presidential spokesman Dmitry Peskov said on February 5")])

    with pytest.raises(CommandError, match="1 citation offset"):
        call_command("locate_excerpts", str(path), "--check", verbosity=0)

    assert read_fixture(path)[0]["fields"]["start"] is None
