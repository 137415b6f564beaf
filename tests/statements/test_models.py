import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from statements.models import Citation, citation_slug
from tests.factories import (
    ARTICLE,
    CitationFactory,
    EventFactory,
    FigureFactory,
    SourceFactory,
    StatementFactory,
)


@pytest.mark.django_db
def test_citation_save_accepts_an_excerpt_at_its_offsets():
    citation = CitationFactory(statement=StatementFactory())

    citation.refresh_from_db()

    assert citation.source.text[citation.start : citation.end] == citation.excerpt


@pytest.mark.django_db
def test_citation_save_refuses_an_excerpt_not_at_its_offsets():
    source = SourceFactory()
    statement = StatementFactory()

    with pytest.raises(ValidationError) as error:
        Citation.objects.create(
            source=source, statement=statement, excerpt="We will see,", start=0, end=12
        )

    assert "is not at offsets 0..12" in error.value.message_dict["excerpt"][0]
    assert Citation.objects.count() == 0


@pytest.mark.django_db
def test_citation_database_refuses_two_targets():
    source = SourceFactory()
    citation = CitationFactory.build(
        source=source, statement=StatementFactory(), event=EventFactory()
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        citation.save()

    assert Citation.objects.count() == 0


@pytest.mark.django_db
def test_citation_database_refuses_no_target():
    citation = CitationFactory.build(source=SourceFactory())

    with pytest.raises(IntegrityError), transaction.atomic():
        citation.save()

    assert Citation.objects.count() == 0


@pytest.mark.django_db
def test_citation_full_clean_reports_two_targets():
    citation = CitationFactory.build(
        source=SourceFactory(), statement=StatementFactory(), figure=FigureFactory()
    )

    with pytest.raises(ValidationError) as error:
        citation.full_clean()

    assert "citation_has_exactly_one_target" in str(error.value)


@pytest.mark.django_db
def test_citation_database_refuses_the_same_excerpt_twice_for_one_statement():
    citation = CitationFactory(statement=StatementFactory())

    with pytest.raises(IntegrityError), transaction.atomic():
        CitationFactory(source=citation.source, statement=citation.statement)

    assert Citation.objects.count() == 1


@pytest.mark.django_db
def test_citation_natural_key_is_its_slug_given_once_on_creation():
    citation = CitationFactory(event=EventFactory(slug="talks-2025"))
    slug = citation.slug
    expected = citation_slug(
        citation.source.slug, citation.start, citation.end, "event", "talks-2025"
    )

    citation.excerpt, citation.end = citation.excerpt[:-1], citation.end - 1
    citation.save()
    found = Citation.objects.get_by_natural_key(*citation.natural_key())

    assert (found, citation.natural_key(), slug) == (citation, (expected,), expected)


@pytest.mark.django_db
def test_citation_offsets_count_code_points_not_bytes():
    source = SourceFactory()
    excerpt = "“We will see,”"

    citation = CitationFactory(source=source, statement=StatementFactory(), excerpt=excerpt)

    assert (citation.start, citation.end) == (ARTICLE.index("“We"), ARTICLE.index("“We") + 14)


@pytest.mark.django_db
def test_figure_database_refuses_a_reversed_range():
    with pytest.raises(IntegrityError), transaction.atomic():
        FigureFactory(value="80", value_max="70")


@pytest.mark.django_db
def test_statement_deleting_its_speaker_is_refused():
    statement = StatementFactory()

    with pytest.raises(Exception, match="protected"):
        statement.speaker.delete()

    assert statement.speaker.pk is not None
