"""Records read as rows (config.api.rows) are the serializers' records, field for field and in
order.

The statement and event lists, details and writes' answers are built from one query each, by
readers derived from their serializers (config.api.row_plans); the serializers define the shape
and the schema. Every record of the dataset is compared here with what its serializer makes
of it, in list and in detail, with and without a search, on whichever database the suite runs
on; and a field added to a serializer is read with no other edit.
"""

import csv
import datetime
import io
import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from config.api.preconditions import record_version
from config.api.renderers import csv_header
from config.api.row_plans import RowField, iso_date, iso_timestamp, stored_time
from config.api.rows import RowReader, history_table, reader_of
from config.db.ordering import date_order
from config.db.search import Search, parse
from events.api.serializers import EventSerializer, TopicSerializer
from events.models import Event, Topic
from statements.api.serializers import (
    CitationSerializer,
    PositionDetailSerializer,
    StatementSerializer,
    WordingDetailSerializer,
)
from statements.api.views import StatementViewSet
from statements.models import Citation, Position, Statement, Wording
from tests.factories import CitationFactory, PositionFactory, StatementFactory, WordingFactory

INDEX = Statement.objects.all().search_index

HISTORY = history_table(Statement)
STATEMENTS = reader_of(StatementSerializer)
EVENTS = reader_of(EventSerializer)
CASES = [
    (STATEMENTS, Statement, StatementSerializer, StatementViewSet.queryset),
    (EVENTS, Event, EventSerializer, None),
]
# types whose lists are serialized, read here through readers derived the same way: joins that
# may be null (a citation's statement, event or figure), nested records in nested lists
DERIVED = [
    (Citation, CitationSerializer),
    (Wording, WordingDetailSerializer),
    (Position, PositionDetailSerializer),
    (Topic, TopicSerializer),
]


def request():
    return APIRequestFactory().get("/api/v1/", HTTP_HOST="testserver")


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8-sig")  # a CSV opens with a byte order mark


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


@pytest.mark.parametrize(("model", "serializer_class"), DERIVED)
def test_rows_of_any_serializer_are_its_records(dataset, model, serializer_class):
    records = model.objects.order_by("id")
    made = request()

    rows = RowReader(serializer_class).read(list(records.values_list("pk", flat=True)), made)

    expected = serialized(serializer_class, records, made)
    assert len(rows) == len(expected) > 5
    for row, record in zip(rows, expected, strict=True):
        assert list(row) == list(record)
        assert row == record


def test_nested_lists_follow_their_models_ordering(dataset, monkeypatch):
    monkeypatch.setattr(Event._meta, "ordering", [date_order(descending=True), "-slug", "id"])
    monkeypatch.setattr(Wording._meta, "ordering", ["statement_id", "canonical", "-source_id"])
    records = Statement.objects.order_by("id")
    made = request()

    rows = RowReader(StatementSerializer).read(list(records.values_list("pk", flat=True)), made)

    assert rows == serialized(StatementSerializer, records, made)
    assert any(len(row["about"]) > 1 for row in rows)
    assert any(len(row["wordings"]) > 1 for row in rows)


class StatementWithMoreSerializer(StatementSerializer):
    """StatementSerializer with two more of the model's fields, one edit and nothing else."""

    class Meta(StatementSerializer.Meta):
        fields = [*StatementSerializer.Meta.fields, "date_interval_explicit", "speaker_names"]


def test_a_field_added_to_the_serializer_is_in_every_format(db, api_client, monkeypatch):
    statement = StatementFactory(slug="s-1", date_interval_explicit=False)
    CitationFactory(statement=statement)
    WordingFactory(statement=statement)
    PositionFactory(statement=statement)
    statement.refresh_from_db()
    monkeypatch.setattr(StatementViewSet, "serializer_class", StatementWithMoreSerializer)
    added = {"date_interval_explicit": False, "speaker_names": statement.speaker_names}

    listed = api_client.get("/api/v1/statements/").json()["results"]
    detail = api_client.get("/api/v1/statements/s-1/").json()
    table = list(csv.reader(io.StringIO(body(api_client.get("/api/v1/statements/?format=csv")))))
    lines = body(api_client.get("/api/v1/statements/?format=ndjson"))

    assert statement.speaker_names
    assert detail == listed[0] == json.loads(lines)
    assert {name: detail[name] for name in added} == added
    assert list(detail) == StatementWithMoreSerializer.Meta.fields
    assert table[0] == csv_header(list(detail), None)  # its columns: the fields, as every CSV's
    assert dict(zip(*table, strict=True))["speaker_names"] == statement.speaker_names
    assert dict(zip(*table, strict=True))["date_interval_explicit"] == "false"
    made = request()
    assert reader_of(StatementWithMoreSerializer).read([statement.pk], made) == [
        StatementWithMoreSerializer(
            StatementViewSet.queryset.get(pk=statement.pk), context={"request": made}
        ).data
    ]


class StatementWithLengthSerializer(StatementSerializer):
    """A field no column holds, and the row field that reads it beside the serializer."""

    text_length = serializers.SerializerMethodField()
    row_fields = {"text_length": RowField(["length({table}.text)"], int)}

    class Meta(StatementSerializer.Meta):
        fields = [*StatementSerializer.Meta.fields, "text_length"]

    def get_text_length(self, statement) -> int:
        return len(statement.text)


def test_a_row_field_reads_what_the_model_does_not_hold(dataset):
    records = Statement.objects.order_by("id")
    made = request()

    rows = reader_of(StatementWithLengthSerializer).read(
        list(records.values_list("pk", flat=True)), made
    )

    expected = serialized(StatementWithLengthSerializer, records, made)
    assert rows == expected


class StatementWithUnreadSerializer(StatementSerializer):
    text_length = serializers.SerializerMethodField()

    class Meta(StatementSerializer.Meta):
        fields = [*StatementSerializer.Meta.fields, "text_length"]


def test_a_field_rows_cannot_read_is_refused_by_name(db):
    reader = RowReader(StatementWithUnreadSerializer)

    with pytest.raises(ImproperlyConfigured) as refusal:
        reader.read([1], request())

    assert str(refusal.value) == (
        "StatementWithUnreadSerializer.text_length is not read as rows: it is made of the whole "
        "record, not of a column. Declare it in StatementWithUnreadSerializer.row_fields "
        "(config.api.row_plans.RowField)."
    )


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
    assert stored_time(moment) == moment
    assert stored_time(moment.replace(tzinfo=None)) == moment
    assert stored_time("2025-03-01 12:30:05.000007") == moment
    assert stored_time(None) is None
