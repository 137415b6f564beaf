import pytest

from config.search import SearchSyntaxError, parse, render_highlight
from config.search.postgresql import tsquery
from config.search.query import Alternatives, Phrase
from config.search.sqlite import fts_query


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
