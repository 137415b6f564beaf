"""The real dataset in fixtures/: it loads, reloads idempotently, and keeps every rule."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from events.fixture_files import fixture_paths
from events.models import Event, Person, Source
from statements.checks import dataset_problems, dataset_warnings
from statements.models import Citation, Figure, Position, Statement, Wording

SHARED_SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"
MODELS = [Source, Person, Event, Statement, Figure, Citation]


def test_seed_files_are_the_five_articles_byte_for_byte():
    if not SHARED_SEEDS.is_dir():
        pytest.skip("no ../shared/seeds beside this checkout to compare with")
    ours = {path.name: path.read_bytes() for path in settings.SEEDS_DIR.glob("*")}
    shared = {path.name: path.read_bytes() for path in SHARED_SEEDS.glob("*")}

    assert ours == shared


def test_fixtures_are_valid_json_without_primary_keys():
    objects = [obj for path in fixture_paths() for obj in json.loads(path.read_text("utf-8"))]

    assert [obj for obj in objects if "pk" in obj] == []
    assert {obj["model"] for obj in objects} >= {
        "events.source",
        "events.person",
        "events.event",
        "statements.statement",
        "statements.citation",
    }


def test_source_texts_in_fixtures_are_derived_from_the_seeds():
    call_command("build_sources", "--check", verbosity=0)


def test_citation_offsets_in_fixtures_are_up_to_date():
    call_command("locate_excerpts", "--check", verbosity=0)


def test_dataset_loads_and_passes_its_check(dataset):
    call_command("check_dataset", verbosity=0)

    assert list(dataset_problems()) == []
    assert Source.objects.count() == 5


def test_dataset_reload_changes_nothing(dataset):
    before = {model: sorted(model.objects.values_list("pk", flat=True)) for model in MODELS}

    call_command("load_dataset", verbosity=0)

    after = {model: sorted(model.objects.values_list("pk", flat=True)) for model in MODELS}
    assert after == before


def test_every_citation_excerpt_stands_at_its_offsets(dataset):
    wrong = [
        citation.pk
        for citation in Citation.objects.select_related("source")
        if citation.source.text[citation.start : citation.end] != citation.excerpt
    ]

    assert wrong == []
    assert Citation.objects.count() > 0


def test_anonymous_speakers_are_never_named_people(dataset):
    anonymous = Person.objects.filter(kind="anonymous")

    assert anonymous.exists()
    assert not anonymous.filter(wikidata_id__gt="").exists()


def test_check_dataset_reports_a_tampered_excerpt(dataset):
    citation = Citation.objects.first()
    Citation.objects.filter(pk=citation.pk).update(excerpt=citation.excerpt + "!")

    with pytest.raises(CommandError, match="is not at"):
        call_command("check_dataset", verbosity=0)


def test_check_dataset_reports_a_tampered_source_text(dataset):
    source = Source.objects.first()
    source.text = source.text.replace("Putin", "Poutine", 1)
    source.save()

    problems = list(dataset_problems())

    assert f"source {source.slug}: text no longer matches seed file {source.seed_file}" in problems


def test_check_dataset_reports_an_uncited_statement_as_an_error_an_unused_person_as_a_warning(
    dataset,
):
    # a paraphrase with no coded position: losing its citations breaks one rule only
    statement = Statement.objects.filter(kind="paraphrase", positions__isnull=True).first()
    statement.citations.all().delete()
    Person.objects.create(slug="nobody-at-all", name="Nobody")

    problems, warnings = list(dataset_problems()), list(dataset_warnings())

    assert problems == [
        f"statement {statement.slug}: A statement needs at least one citation: the excerpt of a "
        "source that reports it."
    ]
    assert warnings == ["person nobody-at-all: unused (no statement, no event)"]


def test_check_dataset_reports_a_quote_not_in_its_excerpts(dataset):
    quote = Statement.objects.filter(kind="quote").first()
    Statement.objects.filter(pk=quote.pk).update(text=quote.text + " (edited)")

    problems = list(dataset_problems())

    assert problems == [
        f"statement {quote.slug}: A quote must stand character for character in one of its "
        f"excerpts; {(quote.text + ' (edited)')[:80]!r} is in none of them.",
        f"statement {quote.slug}: its text is not its canonical wording",
    ]


def test_api_statements_of_putin_come_with_date_excerpt_and_source(dataset, api_client):
    response = api_client.get("/api/v1/statements/?speaker=vladimir-putin&page_size=100")

    results = response.json()["results"]
    assert response.status_code == 200
    assert results
    assert {item["speaker"]["slug"] for item in results} == {"vladimir-putin"}
    for item in results:
        assert item["date"]
        assert item["date_precision"] in {"day", "month", "year"}
        assert item["citations"]
        for citation in item["citations"]:
            source = Source.objects.get(slug=citation["source"]["slug"])
            assert source.text[citation["start"] : citation["end"]] == citation["excerpt"]


def test_api_lists_every_record_of_the_dataset(dataset, api_client):
    endpoints = {"statements": Statement, "events": Event, "people": Person, "figures": Figure}

    counts = {name: api_client.get(f"/api/v1/{name}/").json()["count"] for name in endpoints}

    assert counts == {name: model.objects.count() for name, model in endpoints.items()}


def test_check_dataset_reports_a_statement_ending_after_its_report(dataset):
    Statement.objects.filter(slug="putin-2025-02-unipolar").update(
        date_earliest=None, date_latest="2025-02-28"
    )

    problems = list(dataset_problems())

    assert (
        "statement putin-2025-02-unipolar: ends 2025-02-28, after "
        "bne-2025-02-06-positions-soften that reports it (published by 2025-02-06)"
    ) in problems


def test_check_dataset_lets_a_planned_event_lie_after_its_report(dataset):
    munich = Event.objects.get(slug="munich-security-conference-2025-02-14")

    problems = list(dataset_problems())

    assert (
        munich.date_latest > Source.objects.get(slug="bne-2025-02-06-positions-soften").date_latest
    )
    assert [problem for problem in problems if munich.slug in problem] == []


def test_check_dataset_reports_an_interval_outside_its_prefix(dataset):
    Statement.objects.filter(slug="putin-2025-too-early-four-way-talks").update(date="2025-02")

    problems = list(dataset_problems())

    assert (
        "statement putin-2025-too-early-four-way-talks: the interval 2025-01-27..2025-02-02 "
        "does not lie inside '2025-02'"
    ) in problems


def test_check_dataset_reports_an_open_start_without_its_basis(dataset):
    Statement.objects.filter(slug="putin-2025-02-unipolar").update(date_basis="inferred")

    problems = list(dataset_problems())

    assert (
        "statement putin-2025-02-unipolar: an open start (no earliest day) needs the basis "
        "before_report"
    ) in problems


def test_check_dataset_reports_a_quote_without_one_canonical_wording(dataset):
    Wording.objects.filter(statement__slug="putin-2024-11-07-neutrality").update(canonical=False)

    problems = list(dataset_problems())

    assert (
        "statement putin-2024-11-07-neutrality: 0 canonical wordings, not exactly one" in problems
    )


def test_check_dataset_reports_a_wording_not_in_its_sources_excerpts(dataset):
    Wording.objects.filter(
        statement__slug="putin-2024-11-07-neutrality",
        source__slug="putin-may-offer-concessions-2024-11",
    ).update(text="If there is no neutrality, it is hard")

    problems = list(dataset_problems())

    assert (
        "statement putin-2024-11-07-neutrality: the wording of "
        "putin-may-offer-concessions-2024-11 is in none of that source's excerpts for it"
    ) in problems


def test_check_dataset_reports_a_position_excerpt_outside_the_citations(dataset):
    Position.objects.filter(
        statement__slug="putin-2025-02-ironclad", issue="nato_membership"
    ).update(excerpt="Ukraine will join Nato")

    problems = list(dataset_problems())

    assert (
        "position putin-2025-02-ironclad/nato_membership: its excerpt is in none of the "
        "statement's citations"
    ) in problems


def test_check_dataset_reports_a_vague_figure_in_a_series(dataset):
    Figure.objects.filter(slug="russian-territory-held-by-ukraine-2024-08").update(
        measure="russian-territory-held-by-ukraine"
    )

    problems = list(dataset_problems())

    assert (
        "figure russian-territory-held-by-ukraine-2024-08: vague, but shares the measure "
        "russian-territory-held-by-ukraine with russian-territory-held-by-ukraine-2024-11-20"
    ) in problems
