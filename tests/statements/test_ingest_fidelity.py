"""Extraction, words given only to whoever said them: a question word opening a sentence, the
article's own "I", a refuted attribution, a word only mentioned. Each pattern is a sentence
written here; the held-out articles 25 and 26 (docs/ingest.md, seventh batch) showed them.

No database: `propose()` reads a text and a `Known` given as plain data.
"""

import datetime

import pytest

from tests.statements.test_ingest_extract import only, read


def test_a_question_word_opening_a_sentence_is_no_given_name():
    text = (
        "What Zelensky actually said in Kharkiv on Monday was different. “We will not trade "
        "our land,” he told reporters."
    )

    quote = only(read(text), "quote")

    assert quote.speaker.slug == "volodymyr-zelenskiy"


def test_the_articles_own_i_is_the_person_its_byline_names():
    opinion = "Opinion: A pause, not peace\n\nBy Kaja Kallas\n\n"
    staff = "Analysis: A pause, not peace\n\nBy a staff analyst\n\n"
    said = "As I told the Council on Monday, “Europe cannot be a spectator.”"

    by_her = only(read(opinion + said), "quote")
    by_nobody = only(read(staff + said), "quote")

    assert (by_her.speaker.name, by_her.speaker.kind) == ("Kaja Kallas", "person")
    assert by_nobody.speaker is None


def statements_of(proposals):
    return [
        (p.kind, p.quote or p.excerpt, p.speaker and p.speaker.slug)
        for p in proposals
        if p.kind in {"quote", "fragment", "claim"}
    ]


def test_words_the_next_sentence_denies_are_no_ones_statement():
    text = (
        "A video on Telegram claims that Volodymyr Zelensky said “Donbas is not worth it.” He "
        "did not: the clip is edited.\n"
        "A post on X quotes Vladimir Putin as saying that “Europe will stop.” There is no "
        "record of him saying it.\n"
        "Another attributes to Dmitry Peskov the line “Kyiv lost.” Peskov never said this.\n"
        "Peskov said on Monday that the talks would “go on.” He did not elaborate."
    )

    found = statements_of(read(text))

    assert found == [
        ("fragment", "go on", "dmitry-peskov"),
        ("claim", "Peskov said on Monday that the talks would “go on.”", "dmitry-peskov"),
    ]


def test_words_after_a_speech_verb_the_article_negates_are_no_ones_statement():
    text = (
        "No, Zelensky did not say Donbas is “not worth another soldier”\n\n"
        "The words attributed to Putin in the video were not said by him.\n"
        "“We will not trade our land,” Zelensky said. Peskov did not say when."
    )

    found = statements_of(read(text))

    assert found == [("quote", "We will not trade our land,", "volodymyr-zelenskiy")]


def test_a_role_before_the_name_after_a_quote_is_no_gap_in_its_attribution():
    text = (
        "Ukraine's Center for Countering Disinformation said the video was one of dozens. "
        "“These fakes appear within hours,” its head, Andriy Kovalenko, said on Thursday."
    )

    quote = only(read(text), "quote")

    assert (quote.speaker.name, quote.speaker.kind) == ("Andriy Kovalenko", "person")


def test_a_correction_gives_the_words_to_the_one_it_says_spoke_them():
    text = (
        "Zelensky spoke in Kyiv on Monday.\n\n"
        "Correction: An earlier version of this article misattributed the quote “Every "
        "ceasefire must come with guarantees” to Foreign Minister Andrii Sybiha; it was said "
        "by Zelensky."
    )

    found = statements_of(read(text))

    assert [(kind, slug) for kind, _, slug in found] == [
        ("fragment", "volodymyr-zelenskiy"),
        ("claim", "volodymyr-zelenskiy"),  # "it was said by Zelensky": the agent speaks
    ]


def test_a_word_only_mentioned_is_no_ones_unless_someone_is_said_to_use_it():
    mentioned = "I have sat in rooms where the word “ceasefire” was spoken as if it meant peace."
    used = "Peskov used the word “provocation” on Monday."

    assert [p for p in read(mentioned) if p.kind == "fragment"] == []
    assert only(read(used), "fragment").speaker.slug == "dmitry-peskov"


@pytest.mark.parametrize(
    ("met", "name"),
    [
        pytest.param("Andrii Sybiha", "Andrii Sybiha", id="no one holds it: the one just met"),
        pytest.param("Vladimir Putin", "Ukraine's foreign minister", id="another's man: no one"),
    ],
)
def test_a_role_of_a_country_nobody_holds_is_the_person_just_written_about(met, name):
    text = (
        f"By Kaja Kallas\n\nWhen I met {met} in Kyiv last week, he put it simply. “We need a "
        "peace that lasts,” Ukraine's foreign minister told me."
    )

    quote = only(read(text), "quote")

    assert quote.speaker.name == name


def test_an_occasion_opening_the_sentence_dates_the_words():
    text = "In a speech in Brussels on Monday, Dmitry Peskov said: “Our position is known.”"

    quote = only(read(text), "quote")

    assert (quote.date_earliest, quote.date_latest) == (datetime.date(2025, 3, 10),) * 2


def test_the_writers_meeting_where_the_person_spoke_dates_the_words():
    met = "When I met Dmitry Peskov in Moscow on Monday, he put it simply. “No,” he told me."
    did = "Dmitry Peskov met Putin in Moscow on Monday. “No,” he told me."

    when_met = only(read(met), "quote")
    when_did = only(read(did), "quote")

    assert (when_met.date_earliest, when_met.date_basis) == (datetime.date(2025, 3, 10), "inferred")
    assert when_did.date_basis == "before_report"


@pytest.mark.parametrize(
    ("when", "matched"),
    [
        pytest.param("On Monday", ["peskov-2025-03-no-deal-yet"], id="within its period"),
        pytest.param("Last year", ["peskov-2025-03-no-deal-yet"], id="the year before it"),
        pytest.param("In 2019", [], id="an old occasion"),
    ],
)
def test_an_open_start_is_not_any_time_for_a_statement_dated_at_both_ends(when, matched):
    # the known record is open at the start, ending 2025-03-10
    text = f"{when}, Peskov said: “Nothing has been agreed so far.”"

    quote = only(read(text), "quote")

    assert [match.slug for match in quote.matches] == matched


@pytest.mark.parametrize(
    ("between", "attribution", "basis"),
    [
        pytest.param("", "he said", "inferred", id="a pronoun goes on in the next paragraph"),
        pytest.param("", "Peskov said", "before_report", id="a name attributes anew"),
        pytest.param(
            "“No,” Donald Trump said.\n\n", "he said", "before_report", id="another in between"
        ),
    ],
)
def test_words_going_on_into_the_next_paragraph_keep_the_day_they_go_on_from(
    between, attribution, basis
):
    text = (
        "Dmitry Peskov told reporters on Monday that the talks would go on.\n\n"
        f"{between}“We are ready,” {attribution}."
    )

    quote = [p for p in read(text) if p.kind == "quote"][-1]

    assert quote.date_basis == basis


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "A video on Telegram claims that Volodymyr Zelensky said “Donbas is not worth it.” "
            "It spread fast on Monday. The clip was doctored.",
            id="further on in the paragraph",
        ),
        pytest.param(
            "A post on X quotes Vladimir Putin as saying that “Europe will stop.”\n"
            "The quote is fabricated.",
            id="in the next paragraph",
        ),
        pytest.param(
            "A post on X quotes Vladimir Putin as saying that “Europe will stop.”\n"
            "It spread on Monday. There is no record of him saying it.",
            id="no record, a sentence later in the next paragraph",
        ),
        pytest.param(
            "A widely shared meme claims Dmitry Peskov said “Kyiv lost.” It spread fast, with no "
            "evidence that he ever said it.",
            id="no evidence, inside the sentence",
        ),
        pytest.param(
            "A quote attributed to Dmitry Peskov, “Kyiv lost,” has been shared widely.\n"
            "Peskov never said it.",
            id="never said it, in the next paragraph",
        ),
    ],
)
def test_words_a_later_denial_refers_back_to_are_no_ones_statement(text):
    found = statements_of(read(text))

    assert found == []


def test_a_verdict_naming_whose_words_they_were_said_to_be_refutes_only_those():
    text = (
        "A post on X quotes Dmitry Peskov as saying that “Kyiv lost.”\n"
        "Peskov spoke in Moscow on Monday. “We are ready,” he said.\n"
        "Verdict: false. The words attributed to Peskov in the post are fabricated."
    )

    found = statements_of(read(text))

    assert found == [("quote", "We are ready,", "dmitry-peskov")]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "A quote widely attributed to Vladimir Putin, “Europe will stop,” circulates online.",
            id="widely attributed",
        ),
        pytest.param("A post attributes to Dmitry Peskov the line “Kyiv lost.”", id="attributes"),
        pytest.param("The line “Kyiv lost” was falsely attributed to Dmitry Peskov.", id="falsely"),
        pytest.param(
            "The outlet misattributed the quote “Kyiv lost” to Dmitry Peskov.", id="misattributed"
        ),
    ],
)
def test_words_the_article_itself_doubts_are_no_ones_statement(text):
    found = statements_of(read(text))

    assert found == []


@pytest.mark.parametrize(
    "after",
    [
        pytest.param(" Zelensky did not attend the talks.", id="did not, same paragraph"),
        pytest.param("\nThe clip of the talks was edited.", id="an unrelated clip, next one"),
        pytest.param("\nVerdict: false. The words attributed to Putin are fabricated.", id="other"),
    ],
)
def test_a_genuine_quote_beside_an_unrelated_denial_is_kept(after):
    text = f"“We are ready,” Peskov said on Monday.{after}"

    found = statements_of(read(text))

    assert found == [("quote", "We are ready,", "dmitry-peskov")]


@pytest.mark.parametrize(
    "attribution",
    [
        pytest.param("Dmitry Peskov pointed out", id="pointed out"),
        pytest.param("Peskov went on to say", id="went on to say"),
        pytest.param("Peskov made clear", id="made clear"),
        pytest.param("as Peskov put it", id="put it"),
    ],
)
def test_a_speech_verb_of_more_than_one_word_attributes_the_quote(attribution):
    text = f"Zelensky spoke on Monday. “We are ready for talks,” {attribution}."

    quote = only(read(text), "quote")

    assert quote.speaker.slug == "dmitry-peskov"


def test_put_it_of_a_thing_put_somewhere_attributes_nothing():
    text = "“We are ready,” Peskov said. Zelensky put it on the table on Monday."

    found = statements_of(read(text))

    assert found == [("quote", "We are ready,", "dmitry-peskov")]


def test_a_quote_going_on_from_words_dated_by_the_paragraph_before_keeps_their_day():
    text = (
        "Dmitry Peskov told reporters on Monday that the talks would go on.\n\n"
        "“We are ready,” he said. “The door is open.”"
    )

    quotes = [p for p in read(text) if p.kind == "quote"]

    assert [(q.quote, q.date_earliest, q.date_basis) for q in quotes] == [
        ("We are ready,", datetime.date(2025, 3, 10), "inferred"),
        ("The door is open.", datetime.date(2025, 3, 10), "inferred"),
    ]
