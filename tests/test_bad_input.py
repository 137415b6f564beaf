"""Bad input of every kind gets a 4xx JSON answer that names what was wrong, never a 500."""

import pytest

from tests.factories import EventFactory, PersonFactory, StatementFactory
from tests.responses import result_slugs

pytestmark = pytest.mark.django_db

LIST_ENDPOINTS = [
    "statements",
    "events",
    "people",
    "sources",
    "figures",
    "topics",
    "places",
    "citations",
]
SLUG_ENDPOINTS = ["statements", "events", "people", "sources", "figures", "topics", "places"]


@pytest.mark.parametrize("endpoint", LIST_ENDPOINTS)
@pytest.mark.parametrize(
    ("query", "parameter", "message"),
    [
        ("page=abc", "page", "page must be a whole number from 1 to 999999999, not 'abc'."),
        ("page=0", "page", "page must be a whole number from 1 to 999999999, not '0'."),
        ("page=-1", "page", "page must be a whole number from 1 to 999999999, not '-1'."),
        (
            "page=99999999999999999999999",
            "page",
            "page must be a whole number from 1 to 999999999, not '99999999999999999999999'.",
        ),
        ("page=%00", "page", "page must be a whole number from 1 to 999999999, not '\\x00'."),
        ("page=１", "page", "page must be a whole number from 1 to 999999999, not '１'."),
        ("page=last", "page", "page must be a whole number from 1 to 999999999, not 'last'."),
        ("page_size=1000", "page_size", "page_size may be at most 100."),
        (
            "page_size=zero",
            "page_size",
            "page_size must be a whole number from 1 to 100, not 'zero'.",
        ),
        (
            "page_size=0",
            "page_size",
            "page_size must be a whole number from 1 to 100, not '0'.",
        ),
    ],
)
def test_list_refuses_bad_pagination(api_client, endpoint, query, parameter, message):
    response = api_client.get(f"/api/v1/{endpoint}/?{query}")

    assert (response.status_code, response.json()) == (
        400,
        {"detail": f"Invalid input: {parameter}.", "errors": {parameter: [message]}},
    )


@pytest.mark.parametrize("endpoint", LIST_ENDPOINTS)
def test_list_page_past_the_end_is_a_404_that_says_how_many_pages(api_client, endpoint):
    response = api_client.get(f"/api/v1/{endpoint}/?page=999999")

    assert (response.status_code, response.json()) == (
        404,
        {"detail": "page 999999 does not exist: there are 1 page(s) of 20 item(s)."},
    )


@pytest.mark.parametrize("endpoint", LIST_ENDPOINTS)
def test_list_refuses_unknown_parameters(api_client, endpoint):
    response = api_client.get(f"/api/v1/{endpoint}/?speker=vladimir-putin")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["speker"]
    assert response.json()["errors"]["speker"][0].startswith("Unknown parameter. Allowed: ")


@pytest.mark.parametrize("endpoint", LIST_ENDPOINTS)
@pytest.mark.parametrize("value", ["a%00b", "x" * 5000, "%F0%9F%92%A5" * 201])
def test_list_refuses_nul_bytes_and_very_long_search_text(api_client, endpoint, value):
    response = api_client.get(f"/api/v1/{endpoint}/?q={value}")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["q"]


@pytest.mark.parametrize("endpoint", LIST_ENDPOINTS)
def test_list_accepts_unicode_search_text(api_client, endpoint):
    response = api_client.get(f"/api/v1/{endpoint}/?q=Зеленський “madness”")

    assert (response.status_code, response.json()["count"]) == (200, 0)


@pytest.mark.parametrize(
    ("endpoint", "parameter"),
    [
        ("statements", "speaker"),
        ("statements", "topic"),
        ("statements", "place"),
        ("statements", "event"),
        ("statements", "occasion"),
        ("statements", "about"),
        ("statements", "source"),
        ("events", "participant"),
        ("events", "topic"),
        ("events", "place"),
        ("events", "source"),
        ("figures", "place"),
        ("citations", "source"),
        ("citations", "statement"),
    ],
)
@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "no-such-slug",
            "Select a valid choice. no-such-slug is not one of the available choices. "
            "The {listed} are listed at /api/v1/{listed}/.",
        ),
        ("a%00b", "'a\\x00b' is not a slug (lowercase letters, digits and hyphens)."),
        (
            "Vladimir Putin",
            "'Vladimir Putin' is not a slug (lowercase letters, digits and hyphens).",
        ),
        ("x" * 500, f"{'x' * 60!r} is not a slug (lowercase letters, digits and hyphens)."),
    ],
)
def test_list_refuses_unknown_or_malformed_slugs(api_client, endpoint, parameter, value, message):
    response = api_client.get(f"/api/v1/{endpoint}/?{parameter}={value}")

    # an unknown slug's message says where the slugs the parameter takes are listed
    message = message.format(listed=LISTED_BY[parameter])
    assert (response.status_code, response.json()["errors"]) == (400, {parameter: [message]})


LISTED_BY = {
    "speaker": "people",
    "participant": "people",
    "topic": "topics",
    "place": "places",
    "event": "events",
    "occasion": "events",
    "about": "events",
    "source": "sources",
    "statement": "statements",
}


def test_list_suggests_the_slugs_an_unknown_slug_may_mean(api_client):
    PersonFactory(slug="vladimir-putin", name="Vladimir Putin")
    PersonFactory(slug="vladimir-putin-jr", name="Vladimir Putin Jr.")

    response = api_client.get("/api/v1/statements/?speaker=putin")

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "speaker": [
            "Select a valid choice. putin is not one of the available choices. "
            "Did you mean vladimir-putin or vladimir-putin-jr?"
        ]
    }


def test_list_names_the_values_a_choice_takes(api_client):
    response = api_client.get("/api/v1/statements/?ordering=speaker")

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "ordering": [
            "Select a valid choice. speaker is not one of the available choices. "
            "Allowed: date, -date, slug, -slug."
        ]
    }


@pytest.mark.parametrize("endpoint", ["statements", "events", "sources", "figures"])
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2024-13", "'2024-13' has no month 13"),
        ("2025-02-29", "'2025-02-29' has no day 29"),
        ("2024-11-31", "'2024-11-31' has no day 31"),
        ("yesterday", "'yesterday' is not a partial date: use YYYY, YYYY-MM or YYYY-MM-DD"),
        ("0000", "'0000' has no year 0"),
        (
            "99999-01-01",
            "'99999-01-01' is not a partial date: use YYYY, YYYY-MM or YYYY-MM-DD",
        ),
        (
            "2024-11-07%00",
            "'2024-11-07\\x00' is not a partial date: use YYYY, YYYY-MM or YYYY-MM-DD",
        ),
    ],
)
def test_list_refuses_malformed_or_impossible_dates(api_client, endpoint, value, message):
    response = api_client.get(f"/api/v1/{endpoint}/?date_from={value}")

    assert (response.status_code, response.json()["errors"]) == (400, {"date_from": [message]})


@pytest.mark.parametrize("endpoint", ["statements", "events", "sources", "figures"])
def test_list_refuses_a_date_range_that_ends_before_it_starts(api_client, endpoint):
    response = api_client.get(f"/api/v1/{endpoint}/?date_from=2025-03&date_to=2025-02-28")

    assert (response.status_code, response.json()["errors"]) == (
        400,
        {"date_to": ["date_to is before date_from."]},
    )


@pytest.mark.parametrize(
    ("endpoint", "parameter", "value"),
    [
        ("statements", "kind", "rumour"),
        ("statements", "speaker_kind", "robot"),
        ("events", "kind", "party"),
        ("events", "status", "maybe"),
        ("people", "kind", "x%00"),
        ("places", "kind", "planet"),
        ("figures", "unit", "miles"),
        ("statements", "ordering", "speaker"),
        ("events", "ordering", "date,-speaker"),
    ],
)
def test_list_refuses_unknown_choices(api_client, endpoint, parameter, value):
    response = api_client.get(f"/api/v1/{endpoint}/?{parameter}={value}")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [parameter]
    assert "Select a valid choice." in response.json()["errors"][parameter][0]


@pytest.mark.parametrize("endpoint", SLUG_ENDPOINTS)
@pytest.mark.parametrize("slug", ["no-such-slug", "UPPER", "a%00b", "x" * 300, "%E2%80%9C"])
def test_detail_unknown_or_malformed_slug_is_a_json_404(api_client, endpoint, slug):
    response = api_client.get(f"/api/v1/{endpoint}/{slug}/")

    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/json"
    assert response.json()["detail"]


@pytest.mark.parametrize("value", ["abc", "-1", "1.5", "%00"])
def test_citation_detail_with_a_malformed_id_is_a_json_404(api_client, value):
    response = api_client.get(f"/api/v1/citations/{value}/")

    assert (response.status_code, response.headers["Content-Type"]) == (404, "application/json")


def test_country_filter_refuses_a_long_code(api_client):
    response = api_client.get("/api/v1/people/?country=UKR")

    assert (response.status_code, response.json()["errors"]) == (
        400,
        {"country": ["Not a two-letter country code."]},
    )


def test_repeated_filters_still_work_with_data(api_client):
    StatementFactory(slug="s-1", occasion=EventFactory(slug="e-1"))

    response = api_client.get("/api/v1/statements/?event=e-1&event=e-1")

    assert [item["slug"] for item in response.json()["results"]] == ["s-1"]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("speaker=%25s", "speaker"),
        ("speaker=%25(x)s", "speaker"),
        ("date_from=%25d", "date_from"),
        ("topic=100%25", "topic"),
    ],
)
def test_list_refuses_values_that_look_like_format_strings(api_client, query, parameter):
    response = api_client.get(f"/api/v1/statements/?{query}")

    assert (response.status_code, list(response.json()["errors"])) == (400, [parameter])


@pytest.mark.parametrize("endpoint", LIST_ENDPOINTS)
def test_list_treats_an_empty_value_as_absent(api_client, endpoint):
    StatementFactory()

    response = api_client.get(f"/api/v1/{endpoint}/?q=&page=&page_size=&format=&paging=")

    assert response.json() == api_client.get(f"/api/v1/{endpoint}/").json()


def test_list_accepts_the_browsable_api_filter_form_with_empty_fields(api_client):
    StatementFactory(slug="s-1")

    response = api_client.get(
        "/api/v1/statements/?date_from=&date_to=&speaker=&kind=&q=&ordering=&topic="
    )

    assert result_slugs(response) == {"s-1"}


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("ordering=-date&ordering=slug", "ordering"),
        ("page=1&page=2", "page"),
        ("page_size=5&page_size=10", "page_size"),
        ("date_from=2024&date_from=2025", "date_from"),
        ("q=a&q=b", "q"),
        ("format=json&format=csv", "format"),
    ],
)
def test_list_refuses_a_single_valued_parameter_given_twice(api_client, query, parameter):
    response = api_client.get(f"/api/v1/statements/?{query}")

    assert (response.status_code, response.json()) == (
        400,
        {
            "detail": f"Invalid input: {parameter}.",
            "errors": {parameter: ["Given 2 times; it takes one value."]},
        },
    )


def test_list_accepts_a_repeatable_parameter_given_twice_with_one_empty(api_client):
    StatementFactory(slug="s-1", speaker__slug="p-1")

    response = api_client.get("/api/v1/statements/?speaker=p-1&speaker=")

    assert result_slugs(response) == {"s-1"}


@pytest.mark.parametrize("value", [",", "date,", ",-date"])
def test_list_refuses_an_ordering_with_an_empty_field(api_client, value):
    response = api_client.get(f"/api/v1/sources/?ordering={value}")

    assert (response.status_code, response.json()["errors"]) == (
        400,
        {"ordering": ["An empty field name in the ordering."]},
    )


@pytest.mark.parametrize("path", ["/api/v1/timeline/", "/api/v1/statements/"])
def test_updated_since_with_an_offset_the_database_refuses_is_read_in_utc(api_client, path):
    response = api_client.get(path, {"updated_since": "4588-05-30T01:27:58+22:09"})

    assert response.status_code == 200
    assert response.json()["results"] == []
