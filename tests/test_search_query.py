import pytest

from config.db.search import SearchSyntaxError, parse, render_highlight
from config.db.search.postgresql import tsquery
from config.db.search.query import Alternatives, Phrase
from config.db.search.sqlite import fts_query


def words(*items: str) -> Alternatives:
    return Alternatives(tuple(Phrase(tuple(item.split())) for item in items))


@pytest.mark.parametrize(
    ("text", "include", "exclude"),
    [
        ("Ceasefire talks", [words("ceasefire", "cease fire"), words("talks")], []),
        ("cease-fire", [words("ceasefire", "cease fire")], []),
        ("cease fire", [words("ceasefire", "cease fire")], []),
        ("ceasefires", [words("ceasefires", "cease fires")], []),
        ("long-range missiles", [words("longrange", "long range"), words("missiles")], []),
        ('"freezing the conflict"', [words("freezing the conflict")], []),
        ('"unclosed phrase', [words("unclosed phrase")], []),
        ("trump OR witkoff putin", [words("trump", "witkoff"), words("putin")], []),
        ("ceasefire -putin", [words("ceasefire", "cease fire")], [words("putin")]),
        ('talks -"white house"', [words("talks")], [words("white house")]),
        ("the talks of Putin's", [words("talks"), words("putin s")], []),
        ("OR talks OR", [words("talks")], []),
        ("Зеленський", [words("зеленський")], []),
    ],
)
def test_parse_reads_websearch_syntax(text, include, exclude):
    query = parse(text)

    assert (list(query.include), list(query.exclude)) == (include, exclude)


@pytest.mark.parametrize(
    "text", ["the", "OR", "-putin", '"" - OR', "!!! ???", "-", '"', "\x00", "a an the of"]
)
def test_parse_refuses_text_with_nothing_to_search_for(text):
    with pytest.raises(SearchSyntaxError, match="Nothing to search for"):
        parse(text)


def test_parse_refuses_too_many_words():
    with pytest.raises(SearchSyntaxError, match="Too many words"):
        parse(" ".join(f"word{n}" for n in range(40)))


def test_fts5_query_quotes_every_word_so_no_user_text_is_syntax():
    query = parse('ceasefire NEAR(putin) -"white house" text:x OR y*')

    assert fts_query(query) == (
        '(("ceasefire" OR "cease fire") AND ("near putin") AND ("text x" OR "y")) '
        'NOT (("white house"))'
    )


def test_postgresql_query_binds_every_word_as_a_parameter():
    sql, params = tsquery(parse("ceasefire -putin"))

    assert "ceasefire" not in sql
    assert params == ["ceasefire", '"cease fire"', "putin"]


def test_render_highlight_escapes_html_and_marks_the_matches():
    marked = "a <b>\ue000cease\ue001 & \ue000fire\ue001</b>"

    assert render_highlight(marked) == (
        "a &lt;b&gt;<mark>cease</mark> &amp; <mark>fire</mark>&lt;/b&gt;"
    )


def prefix(start: str) -> Alternatives:
    return Alternatives((), prefixes=(start,))


@pytest.mark.parametrize(
    ("text", "include", "exclude", "prefixes"),
    [
        ("energy NOT ceasefire", [words("energy")], [words("ceasefire", "cease fire")], set()),
        ('talks NOT "white house"', [words("talks")], [words("white house")], set()),
        ("energy not ceasefire", [words("energy"), words("ceasefire", "cease fire")], [], set()),
        ("cease* talks", [prefix("cease"), words("talks")], [], {"cease"}),
        ("talks -negotiat*", [words("talks")], [prefix("negotiat")], {"negotiat"}),
        ("Ceas**", [prefix("ceas")], [], {"ceas"}),
    ],
)
def test_parse_reads_not_and_prefixes(text, include, exclude, prefixes):
    query = parse(text)

    assert (list(query.include), list(query.exclude), query.prefixes) == (
        include,
        exclude,
        prefixes,
    )


@pytest.mark.parametrize(
    ("text", "synonyms"),
    [
        ("truce", [words("ceasefire", "cease fire", "cessation of hostilities")]),
        ("truces", [words("ceasefire", "cease fire", "cessation of hostilities")]),
        ("Kiev", [words("kyiv")]),
        ("united states", [words("us", "usa")]),
        ("negotiations", [words()]),
    ],
)
def test_parse_gives_each_term_its_synonyms_from_the_list(text, synonyms):
    query = parse(text)

    assert [Alternatives(group.synonyms) for group in query.include] == synonyms


@pytest.mark.parametrize(
    ("text", "any_of"),
    [
        ("what did putin say about nato", [words("putin"), words("nato")]),
        ("putin nato?", [words("putin"), words("nato")]),
        ("crimea russia kyiv", [words("crimea"), words("russia"), words("kyiv")]),
        ("crimea russia", None),  # two words typed together mean both
        ("crimea OR kherson russia kyiv", None),  # OR says itself what may be missing
        ("ceasefire", None),
    ],
)
def test_parse_reads_questions_and_long_queries_as_any_of_their_words(text, any_of):
    loose = parse(text).any_words()

    assert (loose and (list(loose.include), loose.match)) == (any_of and (any_of, "any"))


def test_fts5_and_tsquery_render_a_query_matching_any_term():
    query = parse("what did putin say about nato").any_words()

    assert fts_query(query) == '("putin") OR ("nato")'
    assert tsquery(query)[1] == ["putin", "nato"]
