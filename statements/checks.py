"""The dataset check: every rule a record must keep that the database alone cannot enforce.

Errors break a rule of the dataset (an excerpt off its offsets, a quote not verbatim, a record
without a citation); warnings are an editor's work in progress (a person nobody cites yet) and
never stop the server.

Every check reads its records `BATCH` at a time (`iterator(chunk_size=...)`: on PostgreSQL a
server-side cursor), each batch's related records in one query per relation: memory stays flat
and no query sends more than a batch's keys, however large the dataset.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TextIO

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
# the broken rules a report shows of each kind; the rest are counted (or written to a file)
SHOWN = 20


def dataset_problems() -> Iterator[str]:
    """One line per broken rule, as the checks find them; none means the dataset is sound."""
    for _rule, check in RULES:
        yield from check()


def dataset_warnings() -> Iterator[str]:
    """One line per piece of unfinished work that breaks no rule."""
    return _person_problems()


class Findings:
    """Broken rules counted by kind, the first `shown` of each kept as examples (all of them
    with `shown=None`), each also written to `out` as it is found: memory holds the examples,
    not the findings, however many there are (a million uncited statements would be a million
    lines)."""

    def __init__(self, shown: int | None = SHOWN, out: TextIO | None = None):
        self.shown, self.out = shown, out
        self.counts: dict[str, int] = {}
        self.examples: dict[str, list[str]] = {}

    def add(self, kind: str, line: str) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        examples = self.examples.setdefault(kind, [])
        if self.shown is None or len(examples) < self.shown:
            examples.append(line)
        if self.out is not None:
            self.out.write(f"{line}\n")

    def extend(self, kind: str, lines: Iterable[str]) -> None:
        for line in lines:
            self.add(kind, line)

    def __len__(self) -> int:
        return sum(self.counts.values())

    def lines(self, kinds: Iterable[str] | None = None) -> list[str]:
        """Each kind's examples (of `kinds`, in that order; by default of every kind found),
        then how many more of that kind there are."""
        shown = []
        for kind in self.counts if kinds is None else kinds:
            count, examples = self.counts.get(kind, 0), self.examples.get(kind, [])
            shown.extend(examples)
            if count > len(examples):
                shown.append(f"... and {count - len(examples):,} more: {kind}")
        return shown


def check_dataset(findings: Findings | None = None) -> Findings:
    """Run every check into `findings` (a new `Findings` by default), by rule."""
    findings = Findings() if findings is None else findings
    for rule, check in RULES:
        findings.extend(rule, check())
    return findings


def _slug_problems() -> Iterator[str]:
    """Every slug keeps the rule its field declares (config.db.slugs), whatever wrote it: one
    that breaks it could not be answered at its address."""
    for model in DATASET_MODELS:
        for field in model._meta.fields:
            if not isinstance(field, SlugField):
                continue
            rule = {f"{field.name}__regex": slug_regex(field.max_length)}
            bad = model.objects.exclude(**rule).order_by("pk").values_list(field.name, flat=True)
            for value in bad.iterator(chunk_size=BATCH):
                yield (
                    f"{model._meta.verbose_name} {value!r}: its {field.name} is not 1 to "
                    f"{field.max_length} lowercase letters, digits and hyphens"
                )


def _source_problems() -> Iterator[str]:
    seeds = {path.name for path in settings.SEEDS_DIR.glob("*.txt")}
    for source in Source.objects.order_by("slug").iterator(chunk_size=BATCH):
        if source.seed_file:  # an ingested article's text is its own file's, kept as given
            seeds.discard(source.seed_file)
            try:
                expected = reference_text(read_seed(source.seed_file), source.furniture)
            except (OSError, ValueError) as error:
                yield f"source {source.slug}: {error}"
                continue
            if source.text != expected:
                yield f"source {source.slug}: text no longer matches seed file {source.seed_file}"
        if source.text_sha256 != source.compute_sha256():
            yield f"source {source.slug}: text_sha256 does not match its text"
    yield from (f"seed file {name}: no source" for name in sorted(seeds))


def _citation_problems() -> Iterator[str]:
    # compared in the database: an article's text is read once, not once for each citation
    text_there = Substr("source__text", F("start") + 1, F("end") - F("start"))
    wrong = Citation.objects.annotate(found=text_there).exclude(found=F("excerpt"))
    wrong = wrong.select_related("source", "statement", "event", "figure")
    for citation in wrong.order_by("source__slug", "start", "id").iterator(chunk_size=BATCH):
        found = citation.found
        if found != citation.excerpt:
            target = citation.target.slug if citation.target else "nothing"
            yield (
                f"citation of {target} in {citation.source.slug}: excerpt "
                f"{citation.excerpt[:60]!r} is not at {citation.start}..{citation.end} "
                f"(the text there reads {found[:60]!r})"
            )


def _evidence_problems() -> Iterator[str]:
    """Every statement, event and figure is cited; a quote or fragment is verbatim.

    Read as values, a batch's excerpts in one query: a prefetch builds a queryset for every
    record (some 0.5 ms each, 20 minutes at a million statements)."""
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
                yield from (
                    f"{name} {record.slug}: {error}"
                    for error in evidence_errors(record, excerpts[record.pk])
                )


def _batches(rows) -> Iterator[list]:
    """`rows` in lists of BATCH."""
    iterator = iter(rows)
    while batch := list(islice(iterator, BATCH)):
        yield batch


def _date_problems() -> Iterator[str]:
    """Each stored interval agrees with its date's prefix and basis (Dated.check_date_interval)."""
    for model in (Source, Statement, Event, Figure):
        name = model._meta.verbose_name
        for record in model.objects.order_by("slug").iterator(chunk_size=BATCH):
            try:
                problem = record.check_date_interval()
            except ValueError as error:
                yield f"{name} {record.slug}: {error}"
                continue
            if problem:
                yield f"{name} {record.slug}: {problem}"


def _after_report_problems() -> Iterator[str]:
    """Nothing ends after the articles that report it (statements.services.report_problems,
    the rule the admin and the write API apply)."""
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
                yield from (
                    f"{name} {record.slug}: {message}"
                    for message in report_problems(record, sources[record.pk]).values()
                )


def _wording_problems() -> Iterator[str]:
    """Quotes and fragments have one canonical wording, equal to their text; every wording is
    verbatim in an excerpt its own source gives for the statement; paraphrases have none."""
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
                    yield f"{where}: a paraphrase has no wordings (its words are ours)"
                continue
            canonical = [wording for wording in wordings[pk] if wording[0]]
            if len(canonical) != 1:
                yield f"{where}: {len(canonical)} canonical wordings, not exactly one"
            elif canonical[0][1] != text:
                yield f"{where}: its text is not its canonical wording"
            for _canonical, wording, source in wordings[pk]:
                if not any(wording in excerpt for excerpt in excerpts[pk, source]):
                    yield (
                        f"{where}: the wording of {slugs[source]} is in none of that "
                        "source's excerpts for it"
                    )


def _position_problems() -> Iterator[str]:
    """A position's excerpt stands in one of its statement's citations; its holder is not
    the speaker (null already means the speaker)."""
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
                yield f"{where}: its excerpt is in none of the statement's citations"
            if holder is not None and holder == speaker:
                yield f"{where}: the holder is the speaker; leave it empty"


def _vague_figure_problems() -> Iterator[str]:
    """A vague quantity keeps the article's words and a measure of its own: set beside exact
    numbers it would draw a trend no article claims."""
    vague = Figure.objects.filter(qualifier=Figure.Qualifier.VAGUE).order_by("slug")
    for figure in vague.iterator(chunk_size=BATCH):
        if not figure.words:
            yield f"figure {figure.slug}: a vague quantity keeps the article's words"
        others = Figure.objects.filter(measure=figure.measure).exclude(pk=figure.pk)
        if others.exists():
            yield (
                f"figure {figure.slug}: vague, but shares the measure {figure.measure} with "
                f"{', '.join(others.order_by('slug').values_list('slug', flat=True))}"
            )


def _person_problems() -> Iterator[str]:
    unused = Person.objects.filter(Q(statements__isnull=True) & Q(events__isnull=True)).order_by(
        "slug"
    )
    for slug in unused.values_list("slug", flat=True).iterator(chunk_size=BATCH):
        yield f"person {slug}: unused (no statement, no event)"


# every check, by the rule (or the rules) it keeps, in the order they run
RULES = [
    ("slugs that break the slug rule", _slug_problems),
    ("sources that differ from their seed files or digests", _source_problems),
    ("excerpts not at their offsets", _citation_problems),
    ("records uncited, or quotes not verbatim in their excerpts", _evidence_problems),
    ("date intervals that disagree with their dates", _date_problems),
    ("records that end after the articles that report them", _after_report_problems),
    ("wordings missing, doubled or not verbatim", _wording_problems),
    ("positions whose excerpt or holder is wrong", _position_problems),
    ("vague figures without words or in a measure series", _vague_figure_problems),
]
