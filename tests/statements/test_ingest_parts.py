"""The parts of extraction on their own: quotation marks, date phrases, news pages, what the
database knows, and the evaluation's measures."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from statements.ingest.dates import find_dates
from statements.ingest.evaluation import evaluate, unmet
from statements.ingest.html import NotAnArticle, article_from_html
from statements.ingest.known import known_from_database
from statements.ingest.proposals import KnownName, KnownPerson, KnownRecord
from statements.ingest.quotes import find_runs
from statements.ingest.release import Article, known_without, read_release
from tests.factories import (
    CitationFactory,
    EventFactory,
    PersonFactory,
    PlaceFactory,
    SourceFactory,
    StatementFactory,
    TopicFactory,
    WordingFactory,
)

WEDNESDAY = datetime.date(2024, 11, 20)


def runs_of(text):
    return [text[run.start : run.end] for run in find_runs(text)]


def test_quote_marks_pair_curly_straight_and_mixed():
    text = 'He said “yes”, then "no", then “maybe" and ‘perhaps’.'

    assert runs_of(text) == ["yes", "no", "maybe", "perhaps"]


def test_apostrophes_never_close_a_quote():
    text = "‘Russia’s terms are Kyiv’s problem’, the aide said."

    assert runs_of(text) == ["Russia’s terms are Kyiv’s problem"]


def test_a_stray_opening_mark_does_not_swallow_the_paragraph():
    text = "In the ‘90s he said “never again” twice."

    assert runs_of(text) == ["never again"]


def resolved(phrase, published=WEDNESDAY, precision="day"):
    text = f"It happened {phrase}."
    (found,) = find_dates(text, 0, len(text), published, precision)
    return found.date, found.earliest, found.latest


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("on Tuesday", ("2024-11-19", datetime.date(2024, 11, 19), datetime.date(2024, 11, 19))),
        ("last week", ("2024-11", datetime.date(2024, 11, 11), datetime.date(2024, 11, 17))),
        (
            "earlier this month",
            ("2024-11", datetime.date(2024, 11, 1), datetime.date(2024, 11, 19)),
        ),
        ("in March", ("2024-03", datetime.date(2024, 3, 1), datetime.date(2024, 3, 31))),
        ("last May", ("2024-05", datetime.date(2024, 5, 1), datetime.date(2024, 5, 31))),
        ("this month", ("2024-11", datetime.date(2024, 11, 1), WEDNESDAY)),
        (
            "at the end of last year",
            ("2023", datetime.date(2023, 1, 1), datetime.date(2023, 12, 31)),
        ),
        ("on June 14", ("2024-06-14", datetime.date(2024, 6, 14), datetime.date(2024, 6, 14))),
        ("in 2014", ("2014", datetime.date(2014, 1, 1), datetime.date(2014, 12, 31))),
    ],
)
def test_date_phrase_resolves_to_the_interval_the_text_supports(phrase, expected):
    assert resolved(phrase) == expected


@pytest.mark.parametrize(
    ("phrase", "published", "expected"),
    [
        # a Wednesday's report: the Saturday and Sunday before it
        ("over the weekend", WEDNESDAY, (datetime.date(2024, 11, 16), datetime.date(2024, 11, 17))),
        # a Sunday's report: that weekend up to the report; "last weekend", the one before
        (
            "at the weekend",
            datetime.date(2024, 11, 24),
            (datetime.date(2024, 11, 23), datetime.date(2024, 11, 24)),
        ),
        (
            "last weekend",
            datetime.date(2024, 11, 24),
            (datetime.date(2024, 11, 16), datetime.date(2024, 11, 17)),
        ),
        ("last night", WEDNESDAY, (datetime.date(2024, 11, 19), WEDNESDAY)),
        ("three days ago", WEDNESDAY, (datetime.date(2024, 11, 17), datetime.date(2024, 11, 17))),
    ],
)
def test_weekends_nights_and_days_ago_resolve_against_the_report(phrase, published, expected):
    assert resolved(phrase, published)[1:] == expected


def test_a_weekend_still_to_come_is_the_next_one():
    text = "The envoys will meet this weekend."

    (found,) = find_dates(text, 0, len(text), WEDNESDAY)

    assert (found.earliest, found.latest) == (
        datetime.date(2024, 11, 23),
        datetime.date(2024, 11, 24),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a span counted from the report (a month as 31 days, so that it holds any month)
        ("They could meet within two weeks.", (WEDNESDAY, datetime.date(2024, 12, 4))),
        ("A deal may come within a month.", (WEDNESDAY, datetime.date(2024, 12, 21))),
        # "in two weeks" to come is no surer of its day
        ("The envoys will meet in two weeks.", (WEDNESDAY, datetime.date(2024, 12, 4))),
        # a deadline still to come runs from the report to the period's end
        ("The envoys will meet by the end of the year.", (WEDNESDAY, datetime.date(2024, 12, 31))),
        (
            "The envoys will meet before the end of this month.",
            (WEDNESDAY, datetime.date(2024, 11, 30)),
        ),
        # the end of a period already past is that period
        (
            "The envoys met at the end of the year.",
            (datetime.date(2024, 1, 1), WEDNESDAY),
        ),
    ],
)
def test_a_span_or_deadline_ahead_resolves_from_the_report(text, expected):
    (found,) = find_dates(text, 0, len(text), WEDNESDAY)

    assert (found.earliest, found.latest) == expected


def test_a_time_taken_in_the_past_gives_no_date():
    text = "Russian troops captured the town in two weeks."

    assert find_dates(text, 0, len(text), WEDNESDAY) == []


def test_a_span_counted_from_another_event_gives_no_date():
    text = "Putin met Witkoff within two weeks of the summit."

    assert find_dates(text, 0, len(text), WEDNESDAY) == []


def test_date_phrase_of_what_happened_never_ends_after_the_report():
    assert resolved("this year") == ("2024", datetime.date(2024, 1, 1), WEDNESDAY)


def test_date_phrase_that_gives_no_date_gives_none():
    text = "It happened recently, in recent weeks."

    assert find_dates(text, 0, len(text), WEDNESDAY) == []


def test_date_of_a_report_known_only_to_its_month_stays_a_month():
    published = datetime.date(2025, 10, 31)  # the last day of the month the report is known to

    date, earliest, latest = resolved("today", published, precision="month")

    assert (date, earliest, latest) == ("2025-10", datetime.date(2025, 10, 1), published)


PAGE = """<!doctype html><html><head><title>Talks resume | Example News</title>
<meta property="og:title" content="Talks resume in Istanbul">
<meta name="author" content="Jane Roe">
<meta property="article:published_time" content="2025-05-16T09:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Talks resume in Istanbul</h1>
<p>Delegations from both countries met in Istanbul on Friday for the first direct talks in
three years, officials said.</p>
<p>“We came to listen,” the head of one delegation told reporters after the meeting, which
lasted less than two hours and ended without a joint statement.</p>
<p>Another round could follow next month, according to a diplomat who asked not to be named
because the talks were confidential.</p></article>
<footer>Sign up for our newsletter. © Example News</footer></body></html>"""


def test_article_from_html_gives_text_and_metadata():
    article = article_from_html(PAGE)

    # the headline and the paragraphs, one a line; no navigation, no footer
    assert article.text.split("\n") == [
        "Talks resume in Istanbul",
        "Delegations from both countries met in Istanbul on Friday for the first direct talks "
        "in three years, officials said.",
        "“We came to listen,” the head of one delegation told reporters after the meeting, "
        "which lasted less than two hours and ended without a joint statement.",
        "Another round could follow next month, according to a diplomat who asked not to be "
        "named because the talks were confidential.",
    ]
    assert (article.title, article.author, article.published) == (
        "Talks resume in Istanbul",
        "Jane Roe",
        datetime.date(2025, 5, 16),
    )


@pytest.mark.parametrize(
    "html", ["", "<html><body><ul><li><a href='/a'>A</a></li></ul></body></html>"]
)
def test_article_from_html_refuses_a_page_without_an_article(html):
    with pytest.raises(NotAnArticle):
        article_from_html(html)


@pytest.mark.django_db
def test_known_from_database_reads_people_names_and_records():
    peskov = PersonFactory(
        slug="dmitry-peskov",
        name="Dmitry Peskov",
        aliases=["Dmitri Peskov"],
        description="Kremlin spokesperson",
        affiliation="Russia",
    )
    TopicFactory(slug="test-borders", name="Borders", description="Land held by NATO forces.")
    PlaceFactory(slug="test-lviv", name="Lviv")
    statement = StatementFactory(slug="peskov-no-deal", speaker=peskov, text="No deal yet,")
    source = SourceFactory(text="“No deal yet,” Peskov said.")
    CitationFactory(statement=statement, source=source)
    WordingFactory(statement=statement, source=source)

    known = known_from_database()

    assert known.people == (
        KnownPerson(
            "dmitry-peskov",
            "Dmitry Peskov",
            "person",
            ("Dmitri Peskov",),
            "Kremlin spokesperson",
            "Russia",
        ),
    )
    # (other tests' topics and places may be in the database: only these two are this test's)
    assert [t for t in known.topics if t.slug == "test-borders"] == [
        KnownName("test-borders", "Borders", ("NATO",))
    ]
    assert [p for p in known.places if p.slug == "test-lviv"] == [KnownName("test-lviv", "Lviv")]
    assert known.records == (
        KnownRecord(
            "statement",
            "peskov-no-deal",
            "No deal yet,",
            "dmitry-peskov",
            datetime.date(2025, 2, 4),
            datetime.date(2025, 2, 4),
        ),
    )


@pytest.mark.django_db
def test_known_from_database_gives_an_event_its_kind_and_status():
    EventFactory(
        slug="test-oslo-summit",
        title="Oslo summit",
        summary="Leaders meet in Oslo.",
        kind="summit",
        status="cancelled",
        date="2025-03",
    )

    known = known_from_database()

    assert [
        (r.type, r.text, r.date_earliest, r.kind, r.status)
        for r in known.records
        if r.slug == "test-oslo-summit"
    ] == [
        (
            "event",
            "Oslo summit. Leaders meet in Oslo.",
            datetime.date(2025, 3, 1),
            "summit",
            "cancelled",
        )
    ]


def test_known_without_gives_an_event_its_kind_and_status():
    event = {"slug": "oslo-summit", "title": "Oslo summit", "kind": "summit", "date": "2025-03"}
    citation = {"source": ["other-article"], "statement": None, "event": ["oslo-summit"]}
    objects = [
        {"model": "events.event", "fields": event},
        {"model": "statements.citation", "fields": citation},
    ]
    article = Article("this-article", "Leaders met in Oslo.", datetime.date(2025, 3, 12), "day")

    known = known_without(objects, article)

    # a record without a status has the model's default, occurred
    assert [(r.slug, r.kind, r.status) for r in known.records] == [
        ("oslo-summit", "summit", "occurred")
    ]


def write_release(directory, text, statements):
    """A one-article release in the fixtures format: its source, people and records."""
    source = {
        "model": "events.source",
        "fields": {"slug": "test-article", "date": "2025-03-12", "text": text},
    }
    people = [
        {"model": "events.person", "fields": {"slug": slug, "name": name, "kind": kind}}
        for slug, name, kind in (
            ("anna-kovalenko", "Anna Kovalenko", "person"),
            ("a-diplomat", "A diplomat", "anonymous"),
        )
    ]
    objects = []
    for index, (slug, speaker, kind, words) in enumerate(statements):
        start = text.index(words)
        objects.append(
            {
                "model": "statements.statement",
                "fields": {
                    "slug": slug,
                    "speaker": [speaker],
                    "kind": kind,
                    "text": words,
                    "date": "2025-03",
                },
            }
        )
        sentence_start = text.rfind("\n", 0, start) + 1
        sentence_end = text.find("\n", start)
        sentence_end = len(text) if sentence_end == -1 else sentence_end
        objects.append(
            {
                "model": "statements.citation",
                "fields": {
                    "slug": f"cit-{index}",
                    "source": ["test-article"],
                    "statement": [slug],
                    "event": None,
                    "figure": None,
                    "excerpt": text[sentence_start:sentence_end],
                    "start": sentence_start,
                    "end": sentence_end,
                },
            }
        )
        if kind != "paraphrase":
            objects.append(
                {
                    "model": "statements.wording",
                    "fields": {
                        "slug": f"w-{index}",
                        "statement": [slug],
                        "source": ["test-article"],
                        "text": words,
                        "canonical": True,
                    },
                }
            )
    (directory / "sources.json").write_text(json.dumps([source]), encoding="utf-8")
    (directory / "000-test-article.json").write_text(json.dumps(people + objects), encoding="utf-8")


def test_evaluation_counts_spans_speakers_and_claims_exactly(tmp_path):
    text = (
        "Foreign Minister Anna Kovalenko spoke in Lviv.\n"
        "“We want peace,” she said.\n"
        "“This is a trap,” a senior diplomat said.\n"
        "Kovalenko said that the border would stay closed.\n"
        "“Nobody expected it,” the mayor said."
    )
    write_release(
        tmp_path,
        text,
        [
            ("kovalenko-peace", "anna-kovalenko", "quote", "We want peace,"),
            ("diplomat-trap", "a-diplomat", "quote", "This is a trap,"),
            ("kovalenko-border", "anna-kovalenko", "paraphrase", "the border would stay closed"),
        ],
    )
    articles, objects = read_release(tmp_path)

    total, _ = evaluate(articles, objects)

    # three proposed spans (the mayor's is not curated), two expected and found, both speakers
    # right (Kovalenko is new to the dataset: proposed without a slug, by her surname)
    assert (total.expected_spans, total.proposed_spans, total.exact_spans) == (2, 3, 2)
    assert (total.speaker_right, total.anonymous_on_named) == (2, 0)
    assert (total.claims_expected, total.claims_found, total.claims_with_speaker) == (1, 1, 1)
    assert unmet(total.ratios()) == ["quote_precision 0.667 (target >= 0.95)"]


def test_evaluate_ingest_meets_its_targets_on_the_seeds(capsys):
    call_command("evaluate_ingest", "--check")

    assert "Every target met." in capsys.readouterr().out


def test_evaluate_ingest_refuses_a_dataset_that_is_not_a_directory(tmp_path):
    with pytest.raises(CommandError, match="not a directory"):
        call_command("evaluate_ingest", "--dataset", str(tmp_path / "missing"))
