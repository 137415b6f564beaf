"""The dataset check: every rule a record must keep that the database alone cannot enforce.

Errors break a rule of the dataset (an excerpt off its offsets, a quote not verbatim, a record
without a citation); warnings are an editor's work in progress (a person nobody cites yet) and
never stop the server.

Every check reads its records `BATCH` at a time (`iterator(chunk_size=...)`: on PostgreSQL a
server-side cursor), each batch's related records in one query per relation: memory stays flat
and no query sends more than a batch's keys, however large the dataset.
"""

from collections import defaultdict
from collections.abc import Iterator
from itertools import islice

from django.conf import settings
from django.db.models import F, Q
from django.db.models.functions import Substr

from config.db.slugs import SlugField, slug_regex
from events.models import Event, Person, Source
from events.reference_text import read_seed, reference_text
from statements.dataset import DATASET_MODELS
from statements.models import Citation, Figure, Position, Statement, Wording
from statements.services import evidence_errors, report_problems

BATCH = 2_000


def dataset_problems() -> list[str]:
    """Return one line per broken rule; an empty list means the dataset is sound."""
    return [
        *_slug_problems(),
        *_source_problems(),
        *_citation_problems(),
        *_evidence_problems(),
        *_date_problems(),
        *_after_report_problems(),
        *_wording_problems(),
        *_position_problems(),
        *_vague_figure_problems(),
    ]


def dataset_warnings() -> list[str]:
    """Return one line per piece of unfinished work that breaks no rule."""
    return _person_problems()


def _slug_problems() -> list[str]:
    """Every slug keeps the rule its field declares (config.db.slugs), whatever wrote it: one
    that breaks it could not be answered at its address."""
    problems = []
    for model in DATASET_MODELS:
        for field in model._meta.fields:
            if not isinstance(field, SlugField):
                continue
            rule = {f"{field.name}__regex": slug_regex(field.max_length)}
            bad = model.objects.exclude(**rule).order_by("pk")
            problems.extend(
                f"{model._meta.verbose_name} {value!r}: its {field.name} is not 1 to "
                f"{field.max_length} lowercase letters, digits and hyphens"
                for value in bad.values_list(field.name, flat=True)
            )
    return problems


def _source_problems() -> list[str]:
    problems = []
    seeds = {path.name for path in settings.SEEDS_DIR.glob("*.txt")}
    for source in Source.objects.order_by("slug").iterator(chunk_size=BATCH):
        if source.seed_file:  # an ingested article's text is its own file's, kept as given
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
    # compared in the database: an article's text is read once, not once for each citation
    text_there = Substr("source__text", F("start") + 1, F("end") - F("start"))
    wrong = Citation.objects.annotate(found=text_there).exclude(found=F("excerpt"))
    wrong = wrong.select_related("source", "statement", "event", "figure")
    for citation in wrong.order_by("source__slug", "start", "id").iterator(chunk_size=BATCH):
        found = citation.found
        if found != citation.excerpt:
            target = citation.target.slug if citation.target else "nothing"
            problems.append(
                f"citation of {target} in {citation.source.slug}: excerpt "
                f"{citation.excerpt[:60]!r} is not at {citation.start}..{citation.end} "
                f"(the text there reads {found[:60]!r})"
            )
    return problems


def _evidence_problems() -> list[str]:
    """Every statement, event and figure is cited; a quote or fragment is verbatim.

    Read as values, a batch's excerpts in one query: a prefetch builds a queryset for every
    record (some 0.5 ms each, 20 minutes at a million statements)."""
    problems = []
    for model in (Statement, Event, Figure):
        name = model._meta.verbose_name
        link = model._meta.model_name  # the citation's field naming the record
        needed = [f.name for f in model._meta.fields if f.name in ("kind", "text")]
        rows = model.objects.order_by("slug").values("pk", "slug", *needed)
        for batch in _batches(rows.iterator(chunk_size=BATCH)):
            excerpts = defaultdict(list)
            cited = Citation.objects.filter(**{f"{link}__in": [row["pk"] for row in batch]})
            for pk, excerpt in cited.order_by().values_list(link, "excerpt"):
                excerpts[pk].append(excerpt)
            for row in batch:
                record = model(**row)  # built from the values read, never saved
                problems.extend(
                    f"{name} {record.slug}: {error}"
                    for error in evidence_errors(record, excerpts[record.pk])
                )
    return problems


def _batches(rows) -> Iterator[list]:
    """`rows` in lists of BATCH."""
    iterator = iter(rows)
    while batch := list(islice(iterator, BATCH)):
        yield batch


def _date_problems() -> list[str]:
    """Each stored interval agrees with its date's prefix and basis (Dated.check_date_interval)."""
    problems = []
    for model in (Source, Statement, Event, Figure):
        name = model._meta.verbose_name
        for record in model.objects.order_by("slug").iterator(chunk_size=BATCH):
            try:
                problem = record.check_date_interval()
            except ValueError as error:
                problems.append(f"{name} {record.slug}: {error}")
                continue
            if problem:
                problems.append(f"{name} {record.slug}: {problem}")
    return problems


def _after_report_problems() -> list[str]:
    """Nothing ends after the articles that report it (statements.services.report_problems,
    the rule the admin and the write API apply)."""
    problems = []
    # the articles' keys, slugs and publication dates, read once (a thousand at a million)
    articles = {
        pk: Source(pk=pk, slug=slug, date_latest=latest)
        for pk, slug, latest in Source.objects.values_list("pk", "slug", "date_latest")
    }
    for model in (Statement, Event, Figure):
        name = model._meta.verbose_name
        link = model._meta.model_name
        needed = [f.name for f in model._meta.fields if f.name in ("kind", "status")]
        rows = model.objects.order_by("slug").values("pk", "slug", "date_latest", *needed)
        for batch in _batches(rows.iterator(chunk_size=BATCH)):
            sources = defaultdict(list)
            cited = Citation.objects.filter(**{f"{link}__in": [row["pk"] for row in batch]})
            for pk, source in cited.order_by().values_list(link, "source"):
                sources[pk].append(articles[source])
            for row in batch:
                record = model(**row)  # built from the values read, never saved
                problems.extend(
                    f"{name} {record.slug}: {message}"
                    for message in report_problems(record, sources[record.pk]).values()
                )
    return problems


def _wording_problems() -> list[str]:
    """Quotes and fragments have one canonical wording, equal to their text; every wording is
    verbatim in an excerpt its own source gives for the statement; paraphrases have none."""
    problems = []
    slugs = dict(Source.objects.values_list("pk", "slug"))  # a thousand at a million
    rows = Statement.objects.order_by("slug").values_list("pk", "slug", "kind", "text")
    for batch in _batches(rows.iterator(chunk_size=BATCH)):
        keys = [row[0] for row in batch]
        wordings, excerpts = defaultdict(list), defaultdict(list)
        # in the wordings' own order (statement, canonical first, source)
        for wording in Wording.objects.filter(statement__in=keys).values_list(
            "statement", "canonical", "text", "source"
        ):
            wordings[wording[0]].append(wording[1:])
        for pk, source, excerpt in (
            Citation.objects.filter(statement__in=keys)
            .order_by()
            .values_list("statement", "source", "excerpt")
        ):
            excerpts[pk, source].append(excerpt)
        for pk, slug, kind, text in batch:
            where = f"statement {slug}"
            if kind == Statement.Kind.PARAPHRASE:
                if wordings[pk]:
                    problems.append(f"{where}: a paraphrase has no wordings (its words are ours)")
                continue
            canonical = [wording for wording in wordings[pk] if wording[0]]
            if len(canonical) != 1:
                problems.append(f"{where}: {len(canonical)} canonical wordings, not exactly one")
            elif canonical[0][1] != text:
                problems.append(f"{where}: its text is not its canonical wording")
            for _canonical, wording, source in wordings[pk]:
                if not any(wording in excerpt for excerpt in excerpts[pk, source]):
                    problems.append(
                        f"{where}: the wording of {slugs[source]} is in none of that "
                        "source's excerpts for it"
                    )
    return problems


def _position_problems() -> list[str]:
    """A position's excerpt stands in one of its statement's citations; its holder is not
    the speaker (null already means the speaker)."""
    problems = []
    rows = Position.objects.order_by("statement__slug", "issue").values_list(
        "statement", "statement__slug", "issue", "excerpt", "holder", "statement__speaker"
    )
    for batch in _batches(rows.iterator(chunk_size=BATCH)):
        excerpts = defaultdict(list)
        cited = Citation.objects.filter(statement__in={row[0] for row in batch})
        for pk, excerpt in cited.order_by().values_list("statement", "excerpt"):
            excerpts[pk].append(excerpt)
        for statement, slug, issue, excerpt, holder, speaker in batch:
            where = f"position {slug}/{issue}"
            if not any(excerpt in text for text in excerpts[statement]):
                problems.append(f"{where}: its excerpt is in none of the statement's citations")
            if holder is not None and holder == speaker:
                problems.append(f"{where}: the holder is the speaker; leave it empty")
    return problems


def _vague_figure_problems() -> list[str]:
    """A vague quantity keeps the article's words and a measure of its own: set beside exact
    numbers it would draw a trend no article claims."""
    problems = []
    vague = Figure.objects.filter(qualifier=Figure.Qualifier.VAGUE).order_by("slug")
    for figure in vague.iterator(chunk_size=BATCH):
        if not figure.words:
            problems.append(f"figure {figure.slug}: a vague quantity keeps the article's words")
        others = Figure.objects.filter(measure=figure.measure).exclude(pk=figure.pk)
        if others.exists():
            problems.append(
                f"figure {figure.slug}: vague, but shares the measure {figure.measure} with "
                f"{', '.join(others.order_by('slug').values_list('slug', flat=True))}"
            )
    return problems


def _person_problems() -> list[str]:
    unused = Person.objects.filter(Q(statements__isnull=True) & Q(events__isnull=True)).order_by(
        "slug"
    )
    return [
        f"person {slug}: unused (no statement, no event)"
        for slug in unused.values_list("slug", flat=True).iterator(chunk_size=BATCH)
    ]
