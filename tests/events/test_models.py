import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from config.db.dates import parse_partial_date
from events.models import Event, Person, Source
from events.reference_text import locate_excerpt, reference_text
from tests.factories import EventFactory, PersonFactory, SourceFactory


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024", (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31), "year")),
        ("2024-02", (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29), "month")),
        ("2025-02", (datetime.date(2025, 2, 1), datetime.date(2025, 2, 28), "month")),
        ("2024-11-07", (datetime.date(2024, 11, 7), datetime.date(2024, 11, 7), "day")),
    ],
)
def test_parse_partial_date_gives_interval_and_precision(value, expected):
    result = parse_partial_date(value)

    assert result == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2024-13", "has no month 13"),
        ("2025-02-29", "has no day 29"),
        ("0000", "has no year 0"),
        ("24-11-07", "is not a partial date"),
        ("2024-1-7", "is not a partial date"),
        ("", "is not a partial date"),
        ("2024-11-07T00:00", "is not a partial date"),
    ],
)
def test_parse_partial_date_refuses_malformed_dates(value, message):
    with pytest.raises(ValueError, match=message):
        parse_partial_date(value)


@pytest.mark.django_db
def test_event_save_fills_date_bounds_from_start_and_end():
    event = EventFactory(date="2025-02-14", end_date="2025-02-16")

    event.refresh_from_db()

    assert (event.date_precision, event.date_earliest, event.date_latest) == (
        "day",
        datetime.date(2025, 2, 14),
        datetime.date(2025, 2, 16),
    )


@pytest.mark.django_db
def test_event_clean_refuses_an_end_before_the_start():
    event = EventFactory.build(date="2025-02-14", end_date="2025-01")

    with pytest.raises(ValidationError) as error:
        event.full_clean()

    assert error.value.message_dict["end_date"] == ["The end date is before the start date."]


@pytest.mark.django_db
def test_event_database_refuses_an_end_before_the_start():
    event = EventFactory(date="2025-02-14")

    with pytest.raises(IntegrityError):
        Event.objects.filter(pk=event.pk).update(date_latest=datetime.date(2025, 1, 1))


@pytest.mark.django_db
def test_person_slug_is_unique():
    PersonFactory(slug="vladimir-putin")

    with pytest.raises(IntegrityError):
        Person.objects.create(slug="vladimir-putin", name="Another")


@pytest.mark.django_db
def test_person_natural_key_round_trips():
    person = PersonFactory(slug="dmitry-peskov")

    found = Person.objects.get_by_natural_key(*person.natural_key())

    assert found == person


@pytest.mark.django_db
def test_source_save_records_sha256_of_its_text():
    source = SourceFactory(text="abc")

    source.refresh_from_db()

    assert source.text_sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


@pytest.mark.django_db
def test_person_kind_refuses_unknown_values():
    person = PersonFactory.build(kind="robot")

    with pytest.raises(ValidationError) as error:
        person.full_clean(exclude=["slug"])

    assert list(error.value.message_dict) == ["kind"]


def test_reference_text_drops_furniture_lines_and_trims_blank_edges():
    raw = "Teaser\n\nTitle\nBody “quoted”.\n\nNews\n\nDismiss"

    text = reference_text(raw, ["Teaser", "News", "Dismiss"])

    assert text == "Title\nBody “quoted”."


def test_reference_text_refuses_furniture_not_in_the_seed():
    with pytest.raises(ValueError, match="0 times, not once"):
        reference_text("Title\nBody", ["Navigation"])


def test_locate_excerpt_finds_a_unique_excerpt():
    assert locate_excerpt("one two three", "two") == (4, 7)


def test_locate_excerpt_refuses_an_ambiguous_excerpt_without_a_hint():
    with pytest.raises(ValueError, match=r"found 2 times \(at \[0, 8\]\)"):
        locate_excerpt("one two one", "one")


def test_locate_excerpt_takes_the_occurrence_the_hint_names():
    assert locate_excerpt("one two one", "one", hint=8) == (8, 11)


def test_locate_excerpt_refuses_a_missing_excerpt():
    with pytest.raises(ValueError, match="not found"):
        locate_excerpt("one two", "three")


@pytest.mark.django_db
def test_source_str_and_url_use_title_and_slug():
    source = SourceFactory(slug="bne-2025", title="Soft positions")

    assert (str(source), source.get_absolute_url()) == (
        "Soft positions",
        "/api/v1/sources/bne-2025/",
    )


@pytest.mark.django_db
def test_source_text_has_no_default():
    with pytest.raises(ValidationError) as error:
        Source(slug="s", title="t", seed_file="f.txt", date="2025").full_clean()

    assert "text" in error.value.message_dict


@pytest.mark.django_db
def test_event_explicit_interval_is_kept_on_save():
    event = EventFactory(
        date="2025",
        date_interval_explicit=True,
        date_earliest=datetime.date(2025, 1, 27),
        date_latest=datetime.date(2025, 2, 2),
        date_basis="resolved",
    )

    event.refresh_from_db()

    assert (event.date_precision, event.date_earliest, event.date_latest) == (
        "year",
        datetime.date(2025, 1, 27),
        datetime.date(2025, 2, 2),
    )


@pytest.mark.django_db
def test_event_open_start_needs_basis_before_report():
    event = EventFactory.build(
        date="2025-02",
        date_interval_explicit=True,
        date_earliest=None,
        date_latest=datetime.date(2025, 2, 6),
        date_basis="inferred",
    )

    with pytest.raises(ValidationError, match="needs the basis before_report"):
        event.full_clean()


@pytest.mark.django_db
def test_event_explicit_interval_outside_its_prefix_is_refused():
    event = EventFactory.build(
        date="2025-02",
        date_interval_explicit=True,
        date_earliest=datetime.date(2025, 1, 27),
        date_latest=datetime.date(2025, 2, 2),
        date_basis="resolved",
    )

    with pytest.raises(ValidationError, match="does not lie inside '2025-02'"):
        event.full_clean()


@pytest.mark.django_db
def test_event_derived_interval_follows_a_changed_date():
    event = EventFactory(date="2025-03")

    event.date = "2024-11-19"
    event.save()

    assert (event.date_earliest, event.date_latest) == (
        datetime.date(2024, 11, 19),
        datetime.date(2024, 11, 19),
    )


@pytest.mark.django_db
def test_event_before_report_start_may_be_bounded_before_its_prefix():
    # said before the report of 2024-11-20, about the invasion: no earlier than 2022-02-24
    event = EventFactory.build(
        date="2024-11",
        date_interval_explicit=True,
        date_earliest=datetime.date(2022, 2, 24),
        date_latest=datetime.date(2024, 11, 20),
        date_basis="before_report",
    )

    event.full_clean()

    assert event.date_precision == "month"


@pytest.mark.django_db
def test_event_before_report_bound_after_its_last_day_is_refused():
    event = EventFactory.build(
        date="2024-11",
        date_interval_explicit=True,
        date_earliest=datetime.date(2024, 11, 21),
        date_latest=datetime.date(2024, 11, 20),
        date_basis="before_report",
    )

    with pytest.raises(ValidationError, match="2024-11-21..2024-11-20 ends before it starts"):
        event.full_clean()


@pytest.mark.django_db
def test_event_bounded_start_before_its_prefix_needs_basis_before_report():
    event = EventFactory.build(
        date="2024-11",
        date_interval_explicit=True,
        date_earliest=datetime.date(2022, 2, 24),
        date_latest=datetime.date(2024, 11, 20),
        date_basis="inferred",
    )

    with pytest.raises(ValidationError, match="does not lie inside '2024-11'"):
        event.full_clean()
