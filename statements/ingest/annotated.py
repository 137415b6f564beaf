"""A folder of articles annotated by hand, read as a release that `evaluation` can score.

Each article is a text (`.txt`, read exactly as stored) or a saved page (`.html`, whose text
is what `html.article_from_html` extracts, as `ingest_article` stores it), with a JSON file of
the same stem holding its gold annotations:

```json
{
  "article": "01-wire.txt",
  "published": "2025-04-16",
  "people": {"ushakov": {"name": "Yuri Ushakov", "kind": "person"}},
  "quotes": [
    {"text": "We did not agree on everything,", "speaker": "ushakov"},
    {"text": "being analysed", "speaker": "dmitry-peskov", "nth": 1, "date": "2025-04-15"}
  ]
}
```

- `text`: the words between the marks, character for character, as the codebook's quote and
  fragment texts (a quote's comma or stop printed inside the marks included; a fragment is just
  the quoted words, without the stop or comma of the article's sentence, inside the marks in
  American style or outside them);
  for an interview's answer, the answer after its speaker's label. `nth` picks the occurrence
  (1 by default).
- `speaker`: a key of `people` (someone the dataset does not know: a named person, an
  institution or an anonymous source, in the article's words), or the slug of a person the
  release knows, who must then be proposed by that slug.
- `date`: when it was said, as the text supports it: a day, or `[earliest, latest]`; without
  it, any day up to the publication (an open start), so a proposed date more precise than the
  text counts as wrong.

Each article is read with everything the release knows and nothing the annotations add, as an
editor's ingest of it would be.
"""

import datetime
import json
from pathlib import Path

from statements.ingest.html import article_from_html
from statements.ingest.release import Article, read_release

SPEAKER_KINDS = {"person", "organisation", "anonymous"}


class AnnotationError(ValueError):
    """A gold file that does not fit its article (a quote not in the text, an unknown speaker)."""


def read_annotated(directory: Path, release: Path) -> tuple[list[Article], list[dict]]:
    """The annotated articles of `directory`, and the release's objects with their new people."""
    _, objects = read_release(release)
    known = {o["fields"]["slug"] for o in objects if o["model"] == "events.person"}
    articles, added = [], []
    for gold_path in sorted(directory.glob("*.json")):
        article, people = read_article(gold_path, known)
        added += people
        articles.append(article)
    # each article is read with what the release knows: never with another annotated
    # article's people (the same new speaker in two articles must be found twice)
    for article in articles:
        article.people |= {person["fields"]["slug"] for person in added}
    return articles, [*objects, *added]


def article_text(path: Path) -> str:
    if path.suffix.lower() in {".html", ".htm"}:
        return article_from_html(path.read_text(encoding="utf-8")).text
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


def read_article(gold_path: Path, known: set[str]) -> tuple[Article, list[dict]]:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    stem = gold_path.stem
    where = gold_path.name
    text = article_text(gold_path.parent / gold["article"])
    published = datetime.date.fromisoformat(gold["published"])
    article = Article(stem, text, published, "day")
    people = []
    for key, person in gold.get("people", {}).items():
        if person.get("kind") not in SPEAKER_KINDS or not person.get("name"):
            raise AnnotationError(f"{where}: person {key!r} needs a name and a kind")
        slug = f"{stem}--{key}"
        article.people.add(slug)
        fields = {"slug": slug, "name": person["name"], "kind": person["kind"], "aliases": []}
        people.append({"model": "events.person", "fields": fields})
    for index, quote in enumerate(gold["quotes"], 1):
        words = quote["text"]
        start = nth_index(text, words, quote.get("nth", 1))
        if start == -1:
            raise AnnotationError(f"{where}: quote {index} not in the text: {words[:60]!r}")
        speaker = quote["speaker"]
        if speaker in gold.get("people", {}):
            speaker = f"{stem}--{speaker}"
        elif speaker not in known:
            raise AnnotationError(f"{where}: quote {index}: unknown speaker {speaker!r}")
        earliest, latest = gold_interval(quote.get("date"), published)
        article.statements.append(
            {
                "slug": f"{stem}-q{index}",
                "kind": "quote",
                "text": words,
                "speaker": [speaker],
                "wordings": [],
                "citations": [{"excerpt": words, "start": start, "end": start + len(words)}],
                "date_interval_explicit": True,
                "date_earliest": earliest,
                "date_latest": latest,
            }
        )
    return article, people


def nth_index(text: str, words: str, nth: int) -> int:
    start = -1
    for _ in range(nth):
        start = text.find(words, start + 1)
        if start == -1:
            return -1
    return start


def gold_interval(date, published: datetime.date) -> tuple[str | None, str | None]:
    """A gold date as ISO ends: a day, [earliest, latest], or up to the publication."""
    if date is None:
        return None, published.isoformat()
    if isinstance(date, str):
        return date, date
    earliest, latest = date
    return earliest, latest
