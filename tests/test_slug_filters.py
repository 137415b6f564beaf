"""The records a slug filter is given, read as the ORM reads them (config.api.filters.slugs)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.api.filters.slugs import records_with
from events.models import Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def read(records) -> list[tuple]:
    return sorted((record.pk, record.slug, record.get_deferred_fields()) for record in records)


@pytest.mark.parametrize(
    "queryset",
    [Person.objects.all(), Person.objects.filter(kind=Person.Kind.ORGANISATION)],
    ids=["whole table", "filtered"],
)
def test_records_with_gives_what_the_orm_gives(queryset):
    PersonFactory(slug="vladimir-putin")
    PersonFactory(slug="kremlin", kind=Person.Kind.ORGANISATION)
    PersonFactory(slug="volodymyr-zelensky")
    slugs = ["kremlin", "no-such-person", "vladimir-putin"]

    found = records_with(queryset, "slug", slugs)

    assert found != []
    assert read(found) == read(queryset.filter(slug__in=slugs).only("slug"))


def test_records_with_reads_a_whole_table_in_one_plain_query():
    PersonFactory(slug="vladimir-putin")

    with CaptureQueriesContext(connection) as queries:
        found = records_with(Person.objects.all(), "slug", ["vladimir-putin"])

    assert [record.slug for record in found] == ["vladimir-putin"]
    assert len(queries) == 1
    assert "ORDER BY" not in queries[0]["sql"]
