"""Ranked full-text search. Every test runs on whichever database the suite runs on (SQLite by
`make test`, PostgreSQL in CI's second run) and asserts exact answers that must hold on both."""

import pytest

from statements.models import Statement
from tests.factories import (
    EventFactory,
    FigureFactory,
    PersonFactory,
    SourceFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [item["slug"] for item in response.json()["results"]]


@pytest.fixture
def statements():
    zelenskiy = PersonFactory(
        slug="volodymyr-zelenskiy", name="Volodymyr Zelenskiy", aliases=["Zelensky"]
    )
    putin = PersonFactory(slug="vladimir-putin", name="Vladimir Putin")
    StatementFactory(
        slug="z-ceasefire",
        speaker=zelenskiy,
        text="A ceasefire is possible only with security guarantees.",
        date="2025-02-01",
    )
    StatementFactory(
        slug="p-cease-fire",
        speaker=putin,
        text="Any cease-fire must reflect the realities on the ground.",
        date="2024-11-07",
    )
    StatementFactory(
        slug="p-cease-fire-spaced",
        speaker=putin,
        text="A cease fire, a cease fire, and a cease fire again: freezing the conflict.",
        date="2024-11-20",
    )
    StatementFactory(
        slug="z-negotiations",
        speaker=zelenskiy,
        text="Negotiations with Russia will start once Ukraine is strong.",
        date="2025-03-01",
    )
    StatementFactory(
        slug="p-russia-used",
        speaker=putin,
        text="Russia used only part of its forces.",
        date="2025-03-02",
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # hyphenated, joined and spaced spellings meet
        ("ceasefire", {"z-ceasefire", "p-cease-fire", "p-cease-fire-spaced"}),
        ("cease-fire", {"z-ceasefire", "p-cease-fire", "p-cease-fire-spaced"}),
        ("cease fire", {"z-ceasefire", "p-cease-fire", "p-cease-fire-spaced"}),
        # English stemming
        ("negotiate", {"z-negotiations"}),
        ("guarantee", {"z-ceasefire"}),
        # phrases, OR and exclusion
        ('"freezing the conflict"', {"p-cease-fire-spaced"}),
        ('"conflict freezing"', set()),
        ("ceasefire -putin", {"z-ceasefire"}),
        ("guarantees OR realities", {"z-ceasefire", "p-cease-fire"}),
        ("ceasefire OR negotiations -zelensky", {"p-cease-fire", "p-cease-fire-spaced"}),
        # the speaker's name and aliases
        ("Zelensky", {"z-ceasefire", "z-negotiations"}),
        ("zelenskiy negotiations", {"z-negotiations"}),
        ("putin ground", {"p-cease-fire"}),
        # words, not substrings: "us" is not inside "Russia"
        ("rus", set()),
        # all words must match
        ("ceasefire negotiations", set()),
    ],
)
def test_statement_search_finds_exactly_the_matching_statements(
    api_client, statements, query, expected
):
    response = api_client.get("/api/v1/statements/", {"q": query})

    assert set(slugs(response)) == expected


def test_statement_search_ranks_the_best_match_first(api_client):
    StatementFactory(slug="once", text="Talks about the front.", date="2024-01-01")
    StatementFactory(slug="thrice", text="Talks, talks and more talks.", date="2025-01-01")
    StatementFactory(slug="once-later", text="The talks failed today.", date="2025-06-01")

    response = api_client.get("/api/v1/statements/", {"q": "talks"})

    # three mentions beat one; equal ranks keep the date order
    assert slugs(response) == ["thrice", "once", "once-later"]


def test_statement_search_keeps_an_explicit_ordering(api_client, statements):
    response = api_client.get("/api/v1/statements/", {"q": "ceasefire", "ordering": "-date"})

    assert slugs(response) == ["z-ceasefire", "p-cease-fire-spaced", "p-cease-fire"]


def test_statement_search_marks_the_matched_words_as_escaped_html(api_client):
    StatementFactory(slug="markup", text="Talks <b>now</b> & talks later, said Peskov.")

    response = api_client.get("/api/v1/statements/", {"q": "talk"})

    assert response.json()["results"][0]["highlight"] == (
        "<mark>Talks</mark> &lt;b&gt;now&lt;/b&gt; &amp; <mark>talks</mark> later, said Peskov."
    )


def test_statement_list_without_search_has_no_highlight(api_client, statements):
    response = api_client.get("/api/v1/statements/")

    assert {item["highlight"] for item in response.json()["results"]} == {None}


def test_statement_search_follows_a_change_of_the_speakers_aliases(api_client, statements):
    putin = PersonFactory(slug="vladimir-putin")
    putin.aliases = ["Poutine"]
    putin.save()

    response = api_client.get("/api/v1/statements/", {"q": "poutine realities"})

    assert slugs(response) == ["p-cease-fire"]


def test_statement_search_forgets_a_deleted_statement(api_client, statements):
    StatementFactory._meta.model.objects.get(slug="z-negotiations").delete()

    response = api_client.get("/api/v1/statements/", {"q": "negotiations"})

    assert slugs(response) == []


def test_statement_search_runs_constant_queries(api_client, statements, django_assert_num_queries):
    # dataset version (ETag), count, the page's keys with rank and highlight, the page's
    # statements with every nested list (config.api.rows)
    with django_assert_num_queries(4):
        response = api_client.get("/api/v1/statements/", {"q": "ceasefire"})

    assert response.json()["count"] == 3


@pytest.mark.parametrize(
    ("endpoint", "query", "expected"),
    [
        ("events", "budapest summit", ["budapest-summit"]),
        ("events", "summit -budapest", []),
        ("sources", "kremlin spokesperson", ["tass-article"]),
        ("figures", "kursk", ["kursk-held"]),
    ],
)
def test_event_source_and_figure_search_find_the_matching_records(
    api_client, endpoint, query, expected
):
    EventFactory(slug="budapest-summit", title="Budapest summit", summary="Trump and Putin.")
    EventFactory(slug="istanbul-talks", title="Istanbul talks", summary="A draft treaty.")
    SourceFactory(slug="tass-article", title="Peskov on talks")
    FigureFactory(slug="kursk-held", label="Kursk land held by Ukraine")

    response = api_client.get(f"/api/v1/{endpoint}/", {"q": query})

    assert slugs(response) == expected


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("OR", 400),
        ("-", 400),
        ("---putin", 400),
        ('"', 400),
        ('"""ceasefire', 200),
        ('ceasefire"', 200),
        ("ceasefire (NEAR putin) AND *", 200),
        ("text:ceasefire", 200),
        ("ceasefire\\", 200),
        ("' OR 1=1 --", 200),
        ("!!", 400),
        ("&|!<->:*", 400),
        ("a\x00b", 400),
        ("x" * 10_000, 400),
        ("ceasefire " * 40, 400),
    ],
)
def test_search_answers_hostile_text_with_a_result_or_a_400(api_client, statements, value, status):
    response = api_client.get("/api/v1/statements/", {"q": value})

    assert response.status_code == status
    if status == 400:
        assert list(response.json()["errors"]) == ["q"]
    else:
        assert isinstance(response.json()["count"], int)


def test_search_across_types_returns_hits_of_every_type(api_client, statements):
    EventFactory(slug="ceasefire-talks", title="Ceasefire talks", summary="", date="2025-03")
    SourceFactory(slug="reuters-ceasefire", title="Putin's ceasefire terms", date="2024-11-20")
    FigureFactory(slug="ceasefire-days", label="Length of the ceasefire", date="2025-03-11")

    response = api_client.get("/api/v1/search/", {"q": "ceasefire", "page_size": 100})

    hits = response.json()["results"]
    assert sorted((hit["type"], hit["slug"]) for hit in hits) == [
        ("event", "ceasefire-talks"),
        ("figure", "ceasefire-days"),
        ("source", "reuters-ceasefire"),
        ("statement", "p-cease-fire"),
        ("statement", "p-cease-fire-spaced"),
        ("statement", "z-ceasefire"),
    ]
    assert [hit["rank"] for hit in hits] == sorted((hit["rank"] for hit in hits), reverse=True)
    figure = next(hit for hit in hits if hit["type"] == "figure")
    assert {key: value for key, value in figure.items() if key != "rank"} == {
        "type": "figure",
        "slug": "ceasefire-days",
        "url": "http://testserver/api/v1/figures/ceasefire-days/",
        "title": "Length of the ceasefire",
        "date": "2025-03-11",
        "highlight": "Length of the <mark>ceasefire</mark>",
    }


def test_search_across_types_keeps_to_the_types_asked_for(api_client, statements):
    EventFactory(slug="ceasefire-talks", title="Ceasefire talks")

    response = api_client.get("/api/v1/search/?q=ceasefire&type=event&type=figure")

    assert [(hit["type"], hit["slug"]) for hit in response.json()["results"]] == [
        ("event", "ceasefire-talks")
    ]


def test_search_across_types_runs_constant_queries(
    api_client, statements, django_assert_num_queries
):
    EventFactory(title="Ceasefire talks")
    SourceFactory(title="Ceasefire terms")
    FigureFactory(label="Ceasefire length")

    # dataset version (ETag), count of the union, the page of the union, then each type's hits
    # on the page
    with django_assert_num_queries(7):
        response = api_client.get("/api/v1/search/", {"q": "ceasefire"})

    assert response.json()["count"] == 6


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ("", {"q": ["This field is required."]}),
        (
            "?q=ceasefire&type=person",
            {
                "type": [
                    "Select a valid choice. person is not one of the available choices. "
                    "Allowed: statement, event, source, figure."
                ]
            },
        ),
        (
            "?q=ceasefire&sort=rank",
            {
                "sort": [
                    "Unknown parameter. Allowed: cursor, format, page, page_size, paging, q, type."
                ]
            },
        ),
        ("?q=ceasefire&paging=cursor", {"paging": ["This list pages by page number only."]}),
    ],
)
def test_search_across_types_refuses_bad_parameters(api_client, query, errors):
    response = api_client.get(f"/api/v1/search/{query}")

    assert (response.status_code, response.json()["errors"]) == (400, errors)


# The real dataset: the same exact answers on SQLite and on PostgreSQL (the two databases'
# stemmers and parsers agree on these; see config.db.search.postgresql for why both use Porter).
@pytest.mark.parametrize(
    ("endpoint", "query", "expected"),
    [
        (
            "statements",
            '"freezing the conflict"',
            [
                "peskov-2024-11-freezing-not-viable",
                "reuters-five-sources-2024-11-freeze-front-lines",
            ],
        ),
        (
            "statements",
            "negotiate",
            [
                "cheung-2024-11-only-trump-can-unite-sides",
                "peskov-2024-11-20-ready-for-negotiations",
                "peskov-2025-02-05-legitimacy-open-to-negotiations",
                "putin-2025-02-bilateral-talks",
                "reuters-three-sources-2024-11-four-regions-division",
                "simes-2024-11-ceasefire-could-be-quick",
                "ukrainian-government-2025-10-backs-ceasefire-on-current-lines",
            ],
        ),
        (
            "statements",
            "ceasefire -putin",
            [
                "kellogg-2025-02-elections-after-ceasefire",
                "reuters-two-russian-sources-2024-11-istanbul-draft",
                "reuters-two-sources-2024-11-russia-would-fight-on",
                "simes-2024-11-ceasefire-could-be-quick",
                "trump-advisors-2025-03-call-a-diplomatic-achievement",
                "ukrainian-government-2025-10-backs-ceasefire-on-current-lines",
                "ukrainian-government-2025-tentatively-agrees-30-day-ceasefire",
                "white-house-2025-03-black-sea-talks-commence-immediately",
            ],
        ),
        ("statements", "Zelensky NATO", ["zelenskiy-2025-02-nuclear-weapons"]),
        ("statements", "cease-fire energy", ["putin-2025-03-one-month-energy-ceasefire"]),
        (
            "events",
            "summit OR talks -trump",
            [
                "ceasefire-talks-2025-03",
                "kremlin-open-to-talks-with-zelenskiy-2025-02-05",
                "qatar-energy-strike-talks-2024-08",
                "russian-strikes-ukrainian-energy-2024",
            ],
        ),
        (
            "sources",
            "Kherson",
            [
                "putin-may-offer-concessions-2024-11",
                "reuters-2024-11-20-putin-ceasefire-terms",
                "wapo-report-2025-10-putin-donetsk-demand",
            ],
        ),
        (
            "figures",
            "territory -ukraine",
            [
                "ukrainian-territory-held-by-russia-2025-02-06",
                "ukrainian-territory-held-by-russia-2025-10",
                "ukrainian-territory-held-by-russia-km2-2024-11-20",
            ],
        ),
    ],
)
def test_search_over_the_dataset_gives_the_same_answers_on_every_database(
    api_client, dataset, endpoint, query, expected
):
    response = api_client.get(f"/api/v1/{endpoint}/", {"q": query, "page_size": 100})

    assert sorted(slugs(response)) == expected


@pytest.mark.parametrize("spelling", ["ceasefire", "cease-fire", "cease fire", "Ceasefire"])
def test_search_over_the_dataset_finds_every_ceasefire_spelling_alike(
    api_client, dataset, spelling
):
    response = api_client.get("/api/v1/statements/", {"q": spelling, "page_size": 100})

    assert response.json()["count"] == 18


def test_search_works_inside_a_subquery(statements):
    # a subquery names its table by a bare alias (U0), which the expressions must not quote
    matching = Statement.objects.search("ceasefire -putin").values("pk")

    assert list(Statement.objects.filter(pk__in=matching).values_list("slug", flat=True)) == [
        "z-ceasefire"
    ]
