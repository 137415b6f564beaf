"""Ingest as a service and a command: a source and its candidates stored once, the text kept
exactly as given, bad input refused with nothing created; candidates accepted through the
write API's rules, in one transaction, under the editor's name, or rejected with a reason."""

import hashlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from events.models import Event, Person, Source
from statements.ingest.models import Candidate
from statements.ingest.service import (
    Conflict,
    IngestError,
    TooLarge,
    accept,
    accept_many,
    ingest,
    reject,
)
from statements.models import Citation, Statement, Wording
from tests.factories import CitationFactory, PersonFactory, SourceFactory, StatementFactory

pytestmark = pytest.mark.django_db

# curly and straight marks, a CRLF and a non-breaking space: kept as given
TEXT = (
    "Kremlin open to talks, Peskov says\n"
    "Kremlin spokesman Dmitry Peskov said on Tuesday that Moscow was open to\u00a0talks.\r\n"
    "“We want peace,” Peskov told reporters in Moscow, “but not at any price.”\n"
    'A senior European diplomat said the plan was "dead on arrival".\n'
)
HTML = (
    "<!DOCTYPE html><html><head><title>Kremlin open to talks | Example News</title>"
    '<meta name="author" content="Jane Roe">'
    '<meta property="article:published_time" content="2025-05-15T10:00:00Z"></head><body>'
    '<nav><a href="/">Home</a></nav><article><h1>Kremlin open to talks</h1>'
    "<p>Kremlin spokesman Dmitry Peskov said on Tuesday that Moscow was open to talks with "
    "Kyiv, but that its conditions had not changed since the summer.</p>"
    "<p>“We want peace,” Peskov told reporters in Moscow, “but not at any price.”</p>"
    "<p>A senior European diplomat said the plan was “dead on arrival” and that no meeting of "
    "the leaders had been scheduled for the coming weeks.</p></article></body></html>"
)
URL = "https://example.org/world/kremlin-talks"


def ingested(**changes):
    arguments = {"url": URL, "outlet": "Example News", "published": "2025-05-15", "text": TEXT}
    return ingest(**{**arguments, **changes})


def nothing_created() -> bool:
    return not Source.objects.exists() and not Candidate.objects.exists()


def test_ingest_keeps_the_text_exactly_and_its_sha256():
    result = ingested()

    source = Source.objects.get()
    assert result.created
    assert (source.text, source.text_sha256, source.seed_file) == (
        TEXT,
        hashlib.sha256(TEXT.encode()).hexdigest(),
        None,
    )
    assert (source.url, source.publisher, source.date, source.title) == (
        URL,
        "Example News",
        "2025-05-15",
        "Kremlin open to talks, Peskov says",
    )


def test_ingest_stores_each_proposal_as_a_pending_candidate_at_its_offsets():
    source = ingested().source

    candidates = list(source.candidates.all())
    assert {candidate.kind for candidate in candidates} >= {"quote", "fragment", "claim"}
    assert all(TEXT[c.start : c.end] == c.excerpt for c in candidates)
    assert {c.review_status for c in candidates} == {"pending"}
    quote = next(c for c in candidates if c.kind == "quote")
    assert (quote.quote, quote.runs, quote.speaker_name, quote.speaker_kind) == (
        "We want peace, but not at any price.",
        ["We want peace,", "but not at any price."],
        "Dmitry Peskov",
        "person",
    )
    fragment = next(c for c in candidates if c.kind == "fragment")
    assert (fragment.quote, fragment.speaker_kind, fragment.speaker) == (
        "dead on arrival",
        "anonymous",
        None,
    )


def test_ingest_of_the_same_text_creates_nothing_and_names_the_source():
    first = ingested().source
    count = Candidate.objects.count()

    again = ingested(url="https://example.org/elsewhere", outlet="Other")

    assert (again.created, again.source, Candidate.objects.count()) == (False, first, count)
    assert again.notes == [
        f"The same text (SHA-256 {first.text_sha256[:12]}…) is already source {first.slug}."
    ]
    assert ingested().notes[1] == f"Source {first.slug} has the same address, {URL}."


def test_ingest_of_another_text_at_a_known_url_is_a_conflict_unless_a_new_source():
    first = ingested().source

    with pytest.raises(Conflict) as refused:
        ingested(text=TEXT + "More words.\n")
    second = ingested(text=TEXT + "More words.\n", as_new_source=True).source

    assert refused.value.field == "url"
    assert first.slug in refused.value.message
    assert second != first
    assert Source.objects.filter(url=URL).count() == 2


def test_ingest_of_html_reads_the_article_and_its_metadata_and_the_flags_win():
    result = ingest(url=URL, outlet="Example News", html=HTML, author="Ed Itor")

    source = result.source
    assert source.text.startswith("Kremlin open to talks\nKremlin spokesman Dmitry Peskov said")
    assert "Home" not in source.text
    assert (source.title, source.author, source.date) == (
        "Kremlin open to talks",
        "Ed Itor",
        "2025-05-15",
    )
    assert all(source.text[c.start : c.end] == c.excerpt for c in result.candidates)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": " \n\t\n"}, "text"),
        ({"text": "Talks were held on Tuesday.\nNobody was quoted.\n"}, "text"),
        ({"text": "A\x00B “quoted,” he said."}, "text"),
        (
            {
                "text": None,
                "html": "<html><body><ul><li><a href='/a'>A</a></li></ul></body></html>",
            },
            "html",
        ),  # fmt: skip
        ({"published": "2025-02-30"}, "published"),
        ({"published": "15/05/2025"}, "published"),
        ({"url": "not an address"}, "url"),
        ({"outlet": " "}, "outlet"),
    ],
    ids=[
        "empty",
        "blank",
        "no-quotes",
        "nul",
        "not-an-article",
        "no-such-day",
        "not-iso",
        "bad-url",
        "no-outlet",
    ],  # fmt: skip
)
def test_ingest_refuses_bad_input_naming_it_and_creates_nothing(changes, field):
    with pytest.raises(IngestError) as refused:
        ingested(**changes)

    assert refused.value.field == field
    assert refused.value.status == 400
    assert nothing_created()


def test_ingest_refuses_an_article_over_the_limit(settings):
    settings.INGEST_MAX_BYTES = 200

    with pytest.raises(TooLarge) as refused:
        ingested()

    assert (refused.value.status, refused.value.field) == (413, "text")
    assert nothing_created()


def test_ingest_of_reported_speech_only_needs_asking():
    text = "Ukraine and Russia agreed on Tuesday to hold talks, Turkey's foreign minister said.\n"

    result = ingested(text=text, allow_no_quotes=True)

    assert {c.kind for c in result.candidates} >= {"claim"}


# --------------------------------------------------------------------------------------------
# Review
# --------------------------------------------------------------------------------------------


@pytest.fixture
def source():
    return ingested().source


def candidate_of(source, kind: str) -> Candidate:
    return source.candidates.filter(kind=kind).order_by("start").first()


def test_accept_a_split_quote_makes_one_statement_per_run_with_wording_and_citation(source, editor):
    candidate = candidate_of(source, "quote")

    accepted = accept(candidate, editor)

    statements = list(Statement.objects.order_by("id"))
    assert [(s.kind, s.text, s.speaker.name) for s in statements] == [
        ("quote", "We want peace,", "Dmitry Peskov"),
        ("quote", "but not at any price.", "Dmitry Peskov"),
    ]
    for statement in statements:
        citation = statement.citations.get()
        assert (citation.source, citation.excerpt, citation.start, citation.end) == (
            source,
            candidate.excerpt,
            candidate.start,
            candidate.end,
        )
        assert [(w.text, w.canonical) for w in statement.wordings.all()] == [(statement.text, True)]
        assert statement.history.get().history_user == editor
    assert (accepted.review_status, accepted.reviewed_by, accepted.statement) == (
        "accepted",
        editor,
        statements[0],
    )
    assert [record["type"] for record in accepted.records] == [
        "person", "statement", "citation", "wording", "statement", "citation", "wording",
    ]  # fmt: skip


def test_accept_twice_is_a_conflict_and_changes_nothing(source, editor):
    candidate = candidate_of(source, "quote")
    accept(candidate, editor)
    count = Statement.objects.count()

    with pytest.raises(Conflict):
        accept(candidate, editor)

    assert Statement.objects.count() == count


def test_accept_an_anonymous_fragment_keeps_its_source_anonymous(source, editor):
    accepted = accept(candidate_of(source, "fragment"), editor)

    statement = accepted.statement
    assert (statement.kind, statement.text, statement.speaker.kind) == (
        "fragment",
        "dead on arrival",
        "anonymous",
    )


def test_accept_a_claim_makes_a_paraphrase_of_the_known_speaker(source, editor):
    peskov = PersonFactory(slug="dmitry-peskov", name="Dmitry Peskov")
    claim = candidate_of(source, "claim")

    accepted = accept(claim, editor, {"speaker": "dmitry-peskov", "text": "Peskov said talks."})

    assert (accepted.statement.kind, accepted.statement.speaker, accepted.statement.text) == (
        "paraphrase",
        peskov,
        "Peskov said talks.",
    )
    assert Person.objects.count() == 1


def test_accept_a_quote_matching_a_known_statement_adds_a_wording_and_a_citation(source, editor):
    other = SourceFactory(slug="other", text="“We want peace,” he said.", date="2025-05-15")
    known = StatementFactory(slug="peskov-peace", text="We want peace,", date="2025-05-12")
    CitationFactory(source=other, statement=known, excerpt="“We want peace,” he said.")
    candidate = candidate_of(source, "quote")
    candidate.matches = [{"type": "statement", "slug": "peskov-peace", "score": 1, "reason": ""}]
    candidate.save()

    accepted = accept(candidate, editor)

    assert Statement.objects.count() == 1
    assert accepted.statement == known
    assert set(known.citations.values_list("source__slug", flat=True)) == {"other", source.slug}
    assert Wording.objects.get(source=source).text == "We want peace,"


def test_accept_refused_by_the_rules_changes_nothing(source, editor):
    candidate = candidate_of(source, "quote")

    with pytest.raises(IngestError) as refused:
        accept(candidate, editor, {"text": "Words nobody printed."})

    assert refused.value.field == "text"
    assert not Statement.objects.exists()
    assert not Citation.objects.exists()
    assert not Person.objects.exists()
    candidate.refresh_from_db()
    assert candidate.review_status == "pending"


def test_accept_an_event_without_a_date_asks_for_one(source, editor):
    candidate = Candidate.objects.create(
        source=source, kind="event", excerpt=TEXT[:10], start=0, end=10, title="Talks",
        event_kind="talks", status="occurred",
    )  # fmt: skip

    with pytest.raises(IngestError) as refused:
        accept(candidate, editor)
    accept(candidate, editor, {"date": "2025-04"})

    assert refused.value.field == "date"
    event = Event.objects.get()
    assert (event.title, event.date, event.citations.get().excerpt) == (
        "Talks",
        "2025-04",
        TEXT[:10],
    )


def test_accept_many_accepts_each_it_can_and_says_why_not_the_others(source, editor):
    quote, fragment = candidate_of(source, "quote"), candidate_of(source, "fragment")
    accept(quote, editor)

    accepted, refused = accept_many([quote, fragment], editor)

    assert [candidate.pk for candidate in accepted] == [fragment.pk]
    assert list(refused) == [quote.pk]
    assert refused[quote.pk].status == 409


def test_accept_refuses_an_unknown_correction_by_name(source, editor):
    with pytest.raises(IngestError) as refused:
        accept(candidate_of(source, "quote"), editor, {"colour": "red"})

    assert refused.value.field == "colour"


def test_reject_keeps_the_candidate_with_its_reason(source, editor):
    candidate = candidate_of(source, "claim")

    rejected = reject(candidate, editor, "Not a statement.")
    with pytest.raises(Conflict):
        reject(candidate, editor, "Again.")

    rejected.refresh_from_db()
    assert (rejected.review_status, rejected.reject_reason, rejected.reviewed_by) == (
        "rejected",
        "Not a statement.",
        editor,
    )
    with pytest.raises(IngestError):
        reject(candidate_of(source, "quote"), editor, " ")


# --------------------------------------------------------------------------------------------
# The command
# --------------------------------------------------------------------------------------------


def run(path, *extra) -> list[str]:
    from io import StringIO

    out = StringIO()
    call_command("ingest_article", str(path), "--url", URL, "--outlet", "Example News",
                 "--published", "2025-05-15", *extra, stdout=out)  # fmt: skip
    return out.getvalue().splitlines()


def test_command_prints_candidates_by_kind_and_the_slug_last(tmp_path):
    path = tmp_path / "article.txt"
    path.write_bytes(TEXT.encode())

    lines = run(path)
    again = run(path)

    source = Source.objects.get()
    assert lines[-1] == again[-1] == source.slug
    assert source.text == TEXT
    assert f"quote      {source.candidates.filter(kind='quote').count()}" in lines
    assert "Nothing was created." in again


def test_command_reads_html_by_its_suffix(tmp_path):
    path = tmp_path / "article.html"
    path.write_text(HTML)

    lines = run(path)

    assert Source.objects.get().title == "Kremlin open to talks"
    assert lines[-1] == Source.objects.get().slug


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("“Café,” he said.".encode("latin-1", "replace") + b"\xe9\xff", "Not UTF-8"),
        (b"", "The text is empty"),
    ],
    ids=["binary", "not-utf8", "empty"],
)
def test_command_refuses_what_is_not_an_article(tmp_path, content, message):
    path = tmp_path / "article.txt"
    path.write_bytes(content)

    with pytest.raises(CommandError, match=message):
        run(path)

    assert nothing_created()


def test_command_refuses_a_20_mb_file_before_reading_it(tmp_path):
    path = tmp_path / "big.txt"
    with path.open("wb") as file:
        file.truncate(20 * 1024 * 1024)

    with pytest.raises(CommandError, match="an article may have at most 2,000,000 bytes"):
        run(path)

    assert nothing_created()


def test_command_refuses_a_conflicting_text_at_a_known_url(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(TEXT)
    run(path)
    path.write_text(TEXT + "An update.\n")

    with pytest.raises(CommandError, match="already has the address"):
        run(path)
    lines = run(path, "--as-new-source")

    assert Source.objects.count() == 2
    assert lines[-1] == Source.objects.order_by("id").last().slug
