"""Records read as rows (config.api.rows) are the serializers' records, field for field and in
order.

The statement and event lists and details are built from one query each (statements.api.rows,
events.api.rows); their serializers still define the shape, the schema and the writes' answers.
Every record of the dataset is compared here with what its serializer makes of it, in list and
in detail, with and without a search, on whichever database the suite runs on.
"""

import datetime

import pytest
from rest_framework.test import APIRequestFactory

from config.api.preconditions import record_version
from config.api.rows import history_table, iso_date, iso_timestamp
from config.db.search import Search, parse
from events.api.rows import EVENTS
from events.api.serializers import EventSerializer
from events.models import Event
from statements.api.rows import STATEMENTS
from statements.api.serializers import StatementSerializer
from statements.api.views import StatementViewSet
from statements.models import Statement
from tests.factories import CitationFactory, StatementFactory

INDEX = Statement.objects.all().search_index

HISTORY = history_table(Statement)
CASES = [
    (STATEMENTS, Statement, StatementSerializer, StatementViewSet.queryset),
    (EVENTS, Event, EventSerializer, None),
]


def request():
    return APIRequestFactory().get("/api/v1/", HTTP_HOST="testserver")


def serialized(serializer_class, queryset, request) -> list[dict]:
    return [
        dict(record)
        for record in serializer_class(queryset, many=True, context={"request": request}).data
    ]


@pytest.mark.parametrize(("reader", "model", "serializer_class", "queryset"), CASES)
def test_rows_are_the_serializers_records_for_the_whole_dataset(
    dataset, reader, model, serializer_class, queryset
):
    records = (queryset if queryset is not None else model.objects).order_by("id")
    made = request()

    rows = reader.read(list(records.values_list("pk", flat=True)), made)

    expected = serialized(serializer_class, records, made)
    assert len(rows) == len(expected) > 20
    for row, record in zip(rows, expected, strict=True):
        assert list(row) == list(record)  # the same fields in the same order (CSV columns)
        assert row == record


def test_rows_keep_the_order_of_the_keys_given(dataset):
    keys = list(Statement.objects.order_by("-slug").values_list("pk", flat=True)[:7])

    rows = STATEMENTS.read(keys, request())

    assert [row["slug"] for row in rows] == list(
        Statement.objects.order_by("-slug").values_list("slug", flat=True)[:7]
    )


def test_rows_leave_out_a_key_whose_record_is_gone(dataset):
    first, second = Statement.objects.order_by("slug").values_list("pk", "slug")[:2]
    gone = Statement.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1

    rows = STATEMENTS.read([first[0], gone, second[0]], request())

    assert [row["slug"] for row in rows] == [first[1], second[1]]


def test_searched_rows_carry_the_highlight_of_their_key(dataset):
    search = Search(parse("ceasefire"))
    found = Statement.objects.search(search)[:5]
    made = request()

    # the highlight computed with the records, for them alone: as the search marked them
    rows = STATEMENTS.read([statement.pk for statement in found], made, search, INDEX)

    expected = StatementSerializer(found, many=True, context={"request": made}).data
    assert [row["highlight"] for row in rows] == [record["highlight"] for record in expected]
    assert all("<mark>" in row["highlight"] for row in rows)


def test_detail_row_is_the_serializers_record(dataset):
    statement = Statement.objects.filter(wordings__isnull=False, positions__isnull=False).first()
    made = request()

    key, version, row = STATEMENTS.read_slug(statement.slug, made, HISTORY)

    record = StatementSerializer(
        StatementViewSet.queryset.get(pk=statement.pk), context={"request": made}
    ).data
    assert (key, version) == (statement.pk, record_version(statement))
    assert row == dict(record)


def test_detail_row_of_an_unknown_slug_is_none(db):
    assert STATEMENTS.read_slug("no-such-statement", request(), HISTORY) is None


@pytest.mark.django_db
def test_rows_write_timestamps_with_and_without_microseconds_as_rest_framework_does():
    statement = StatementFactory()
    CitationFactory(statement=statement)
    Statement.objects.filter(pk=statement.pk).update(
        created_at=datetime.datetime(2025, 3, 1, 12, 0, tzinfo=datetime.UTC),
        updated_at=datetime.datetime(2025, 3, 1, 12, 0, 0, 120, tzinfo=datetime.UTC),
    )
    made = request()

    (row,) = STATEMENTS.read([statement.pk], made)

    assert (row["created_at"], row["updated_at"]) == (
        "2025-03-01T12:00:00Z",
        "2025-03-01T12:00:00.000120Z",
    )
    assert row == dict(
        StatementSerializer(
            StatementViewSet.queryset.get(pk=statement.pk), context={"request": made}
        ).data
    )


def test_iso_forms_read_what_either_database_hands_back():
    moment = datetime.datetime(2025, 3, 1, 12, 30, 5, 7, tzinfo=datetime.UTC)

    assert iso_timestamp(moment) == "2025-03-01T12:30:05.000007Z"
    assert iso_timestamp(moment.replace(tzinfo=None)) == "2025-03-01T12:30:05.000007Z"
    assert iso_timestamp("2025-03-01 12:30:05") == "2025-03-01T12:30:05Z"
    assert iso_timestamp(None) is None
    assert iso_date(datetime.date(2025, 3, 1)) == "2025-03-01"
    assert iso_date("2025-03-01") == "2025-03-01"
    assert iso_date(None) is None
