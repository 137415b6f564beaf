"""The dataset check: every rule a record must keep that the database alone cannot enforce.

Errors break a rule of the dataset (an excerpt off its offsets, a quote not verbatim, a record
without a citation); warnings are an editor's work in progress (a person nobody cites yet) and
never stop the server.
"""

from django.conf import settings
from django.db.models import Q

from events.dates import parse_partial_date
from events.models import Event, Person, Source
from events.reference_text import read_seed, reference_text
from statements.models import Citation, Figure, Statement
from statements.services import evidence_errors


def dataset_problems() -> list[str]:
    """Return one line per broken rule; an empty list means the dataset is sound."""
    return [
        *_source_problems(),
        *_citation_problems(),
        *_evidence_problems(),
        *_date_problems(),
    ]


def dataset_warnings() -> list[str]:
    """Return one line per piece of unfinished work that breaks no rule."""
    return _person_problems()


def _source_problems() -> list[str]:
    problems = []
    seeds = {path.name for path in settings.SEEDS_DIR.glob("*.txt")}
    for source in Source.objects.order_by("slug"):
        seeds.discard(source.seed_file)
        try:
            expected = reference_text(read_seed(source.seed_file), source.furniture)
        except (OSError, ValueError) as error:
            problems.append(f"source {source.slug}: {error}")
            continue
        if source.text != expected:
            problems.append(
                f"source {source.slug}: text no longer matches seed file {source.seed_file}"
            )
        if source.text_sha256 != source.compute_sha256():
            problems.append(f"source {source.slug}: text_sha256 does not match its text")
    problems.extend(f"seed file {name}: no source" for name in sorted(seeds))
    return problems


def _citation_problems() -> list[str]:
    problems = []
    citations = Citation.objects.select_related("source", "statement", "event", "figure")
    for citation in citations.order_by("source__slug", "start", "id"):
        found = citation.source.text[citation.start : citation.end]
        if found != citation.excerpt:
            target = citation.target.slug if citation.target else "nothing"
            problems.append(
                f"citation of {target} in {citation.source.slug}: excerpt "
                f"{citation.excerpt[:60]!r} is not at {citation.start}..{citation.end} "
                f"(the text there reads {found[:60]!r})"
            )
    return problems


def _evidence_problems() -> list[str]:
    """Every statement, event and figure is cited; a quote or fragment is verbatim."""
    problems = []
    for model in (Statement, Event, Figure):
        name = model._meta.verbose_name
        for record in model.objects.prefetch_related("citations").order_by("slug"):
            excerpts = [citation.excerpt for citation in record.citations.all()]
            problems.extend(f"{name} {record.slug}: {e}" for e in evidence_errors(record, excerpts))
    return problems


def _date_problems() -> list[str]:
    problems = []
    for model in (Source, Statement, Event, Figure):
        name = model._meta.verbose_name
        for record in model.objects.order_by("slug"):
            try:
                earliest, latest, precision = parse_partial_date(record.date)
            except ValueError as error:
                problems.append(f"{name} {record.slug}: {error}")
                continue
            if record.date_precision != precision or record.date_earliest != earliest:
                problems.append(f"{name} {record.slug}: date precision or interval is stale")
            if record.date_latest < record.date_earliest:
                problems.append(f"{name} {record.slug}: date interval ends before it starts")
    return problems


def _person_problems() -> list[str]:
    unused = Person.objects.filter(Q(statements__isnull=True) & Q(events__isnull=True)).order_by(
        "slug"
    )
    return [
        f"person {slug}: unused (no statement, no event)"
        for slug in unused.values_list("slug", flat=True)
    ]
