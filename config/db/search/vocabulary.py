"""The vocabulary of the searched columns: spelling suggestions and `prefix*` come from it.

Every word of every searched column is a `SearchWord` (its column, the word in lowercase, its
Porter stem and how many records hold it). It is kept in Python, not in either database's
full-text machinery, so that both databases suggest and expand the same words: PostgreSQL keeps
no list of the words it indexed (`ts_stat` reads every row), and FTS5's list holds stems, which
are no suggestion to show a person (`ceasefir`).

A saved record adds its words (a `post_save` receiver on every model with a search index, so
the admin, the API, the loader and ingest all pass here); words are not taken away when a
record changes or goes, so the list may hold a few words no record has any more: they cost a
suggestion nothing, because a suggestion is only made when it finds something. `rebuild()`
(`manage.py rebuild_search_words`, and the benchmark's bulk load) counts everything again.
"""

import logging
import re
from collections import Counter
from collections.abc import Iterable

from django.apps import apps
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.signals import post_save
from rapidfuzz.distance import OSA

from config.db.search.index import SearchIndex
from config.db.search.query import QUESTION_WORDS, STOP_WORDS, WORD_RE
from config.db.search.synonyms import stem

logger = logging.getLogger(__name__)
MAX_WORD = 40  # longer "words" are codes and addresses, nobody's misspelling
PREFIX_WORDS = 30  # a prefix expands to at most this many words, the most frequent first
BATCH = 5_000
NUMBER_RE = re.compile(r"\d")
DOUBLED_RE = re.compile(r"(.)\1+")
DOUBLED_SLACK = 3  # letters a word may have more than a misspelling of it, being doubled


def _table():
    # imported when first used: this module is imported (through config.db.search) while Django
    # is still loading the apps, before models may be defined
    from config.db.search.models import SearchWord

    return SearchWord


def words_of(text: str | None) -> set[str]:
    """The words of a text as the vocabulary keeps them: lowercase, no stop words, no numbers."""
    return {
        word
        for word in (match.lower() for match in WORD_RE.findall(text or ""))
        if 1 < len(word) <= MAX_WORD and word not in STOP_WORDS and not NUMBER_RE.search(word)
    }


def search_index(model) -> SearchIndex | None:
    return getattr(model._default_manager.get_queryset(), "search_index", None)


def indexed_models() -> list:
    return [model for model in apps.get_models() if search_index(model) is not None]


def column_key(index: SearchIndex, column: str) -> str:
    return f"{index.table}.{column}"


def searched_keys(index: SearchIndex) -> list[str]:
    """The vocabulary's columns that a search of `index` reads (all, or `index.searched`)."""
    return [column_key(index, name) for name in index.searched or dict(index.columns)]


def add(index: SearchIndex, texts: Iterable[dict[str, str | None]]) -> None:
    """Add the words of some records' columns ({column: text} each) that are not there yet,
    counted over these records."""
    SearchWord = _table()
    counts: Counter = Counter()
    for record in texts:
        for column, text in record.items():
            counts.update((column_key(index, column), word) for word in words_of(text))
    rows = [
        SearchWord(column=key, word=word, stem=stem(word), documents=documents)
        for (key, word), documents in sorted(counts.items())
    ]
    if rows:
        SearchWord.objects.bulk_create(rows, ignore_conflicts=True, batch_size=BATCH)


def add_records(model, instances: Iterable) -> None:
    """The words of these records of `model` join the vocabulary (for bulk inserts, which send
    no signals: statements.release)."""
    index = search_index(model)
    if index is not None:
        columns = [column for column, _weight in index.columns]
        add(index, ({column: getattr(one, column) for column in columns} for one in instances))


def add_record(sender, instance, **kwargs) -> None:
    """post_save: the record's words join the vocabulary."""
    add_records(sender, [instance])


def connect_receivers() -> None:
    for model in indexed_models():
        post_save.connect(add_record, sender=model, dispatch_uid=f"search-words-{model._meta}")


def rebuild(log=None) -> int:
    """Count the words of every searched column again, from the records; return how many."""
    SearchWord = _table()
    counts: Counter = Counter()
    for model in indexed_models():
        index = search_index(model)
        columns = [column for column, _weight in index.columns]
        rows = model._default_manager.order_by().values_list(*columns)
        for row in rows.iterator(chunk_size=BATCH):
            for column, text in zip(columns, row, strict=True):
                key = column_key(index, column)
                counts.update((key, word) for word in words_of(text))
        if log:
            log(f"  words of {index.table} counted")
    with transaction.atomic():
        SearchWord.objects.all().delete()
        SearchWord.objects.bulk_create(
            (
                SearchWord(column=key, word=word, stem=stem(word), documents=documents)
                for (key, word), documents in counts.items()
            ),
            batch_size=BATCH,
        )
    return len(counts)


def fill_if_empty(using: str = "default", **kwargs) -> None:
    """post_migrate: count the words of a database whose vocabulary is empty but that holds
    records (one migrated from before the vocabulary existed)."""
    if _table().objects.using(using).exists():
        return
    if any(model._default_manager.using(using).exists() for model in indexed_models()):
        logger.warning("Counting the words of the searched columns (search vocabulary)")
        rebuild()


def known_stems(keys: Iterable[str], stems: Iterable[str]) -> set[str]:
    """Which of `stems` some word of these columns has: the words a search can find."""
    SearchWord = _table()
    return set(
        SearchWord.objects.filter(column__in=list(keys), stem__in=list(stems))
        .values_list("stem", flat=True)
        .distinct()
    )


def started(words: Iterable[str], keys: Iterable[str]) -> set[str]:
    """Which of `words` some word of these columns starts with: a word still being typed
    (`ceasef`), which the word forms reading completes (config.db.search.plan)."""
    words = list(words)
    if not words:
        return set()
    SearchWord = _table()
    starts = Q()
    for part in words:
        starts |= Q(word__startswith=part)
    held = SearchWord.objects.filter(starts, column__in=list(keys)).values_list("word", flat=True)
    return {part for word in held.distinct() for part in words if word.startswith(part)}


def allowed_edits(word: str) -> int:
    """How far a misspelling may be from the word meant (a letter added, dropped or changed, or
    two swapped): none for a word under four letters (`aid` is not a misspelt `said`), one up
    to five letters, two from six on."""
    if len(word) < 4:
        return 0
    return 1 if len(word) < 6 else 2


def _single(word: str) -> str:
    """The word with each doubled letter written once: `kellogg` -> `kelog`."""
    return DOUBLED_RE.sub(r"\1", word)


def nearest(words: Iterable[str], keys: Iterable[str]) -> dict[str, str]:
    """For each of `words` (none of them in the vocabulary), the closest word of these columns
    within `allowed_edits`, counted with doubled letters written once (`Kelog` finds
    `Kellogg`): the fewest edits, then the fewest counting doubled letters, then the most
    records, then the alphabet. A word that only carries a question (`said`) is no suggestion."""
    SearchWord = _table()
    # counted on the word with doubled letters written once: `summit` is not two from `limit`
    wanted = {word: allowed_edits(_single(word)) for word in words}
    wanted = {word: edits for word, edits in wanted.items() if edits}
    if not wanted:
        return {}
    lengths = Q()
    for word, edits in wanted.items():
        # doubled letters make a word longer without making it further
        lengths |= Q(length__range=(len(word) - edits, len(word) + edits + DOUBLED_SLACK))
    candidates: dict[str, int] = {}
    rows = (
        SearchWord.objects.filter(column__in=list(keys))
        .exclude(word__in=QUESTION_WORDS)
        .annotate(length=Length("word"))
        .filter(lengths)
        .values_list("word", "documents")
    )
    for word, documents in rows:
        candidates[word] = max(documents, candidates.get(word, 0))
    found = {}
    for word, edits in wanted.items():
        single = _single(word)
        scored = [
            (distance, OSA.distance(word, candidate), -documents, candidate)
            for candidate, documents in candidates.items()
            if (distance := OSA.distance(single, _single(candidate), score_cutoff=edits)) <= edits
        ]
        if scored:
            found[word] = min(scored)[3]
    return found


def starting_with(prefixes: Iterable[str], keys: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """For each prefix, the words of these columns that start with it: at most PREFIX_WORDS,
    those in the most records first."""
    SearchWord = _table()
    found = {}
    for prefix in prefixes:
        documents: Counter = Counter()
        rows = SearchWord.objects.filter(
            column__in=list(keys), word__startswith=prefix
        ).values_list("word", "documents")
        for word, count in rows:
            documents[word] += count
        ranked = sorted(documents.items(), key=lambda item: (-item[1], item[0]))
        found[prefix] = tuple(word for word, _count in ranked[:PREFIX_WORDS])
    return found
