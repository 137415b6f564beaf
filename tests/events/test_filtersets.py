import pytest

from tests.factories import (
    CitationFactory,
    EventFactory,
    PersonFactory,
    PlaceFactory,
    SourceFactory,
    TopicFactory,
)
from tests.responses import result_slugs

pytestmark = pytest.mark.django_db


@pytest.fixture
def events():
    putin, trump = PersonFactory(slug="vladimir-putin"), PersonFactory(slug="donald-trump")
    budapest = PlaceFactory(slug="budapest")
    territory = TopicFactory(slug="territory")
    call = EventFactory(
        slug="call-2025-10-16",
        title="Trump-Putin phone call",
        summary="Putin demanded Donetsk.",
        kind="call",
        status="occurred",
        date="2025-10-16",
        participants=[putin, trump],
        topics=[territory],
    )
    summit = EventFactory(
        slug="budapest-summit",
        title="Budapest summit",
        kind="summit",
        status="planned",
        date="2025-10",
        participants=[trump],
        places=[budapest],
    )
    istanbul = EventFactory(
        slug="istanbul-2022", title="Istanbul talks", kind="talks", status="occurred", date="2022"
    )
    CitationFactory(source=SourceFactory(slug="wapo"), event=call)
    CitationFactory(source=SourceFactory(slug="bne"), event=istanbul)
    return [call, summit, istanbul]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("participant=vladimir-putin", {"call-2025-10-16"}),
        ("participant=donald-trump", {"call-2025-10-16", "budapest-summit"}),
        ("kind=call&kind=talks", {"call-2025-10-16", "istanbul-2022"}),
        ("status=planned", {"budapest-summit"}),
        ("place=budapest", {"budapest-summit"}),
        ("topic=territory", {"call-2025-10-16"}),
        ("source=bne", {"istanbul-2022"}),
        ("date_from=2025-10-17", set()),
        ("date_from=2025-10-17&date_match=overlaps", {"budapest-summit"}),
        ("date_from=2025-10", {"call-2025-10-16", "budapest-summit"}),
        ("date_to=2022-12-31", {"istanbul-2022"}),
        ("date_from=2022-06&date_to=2022-06", set()),
        ("date_from=2022-06&date_to=2022-06&date_match=overlaps", {"istanbul-2022"}),
        ("q=donetsk", {"call-2025-10-16"}),
        ("q=budapest summit", {"budapest-summit"}),
    ],
)
def test_event_filters_select_exactly_the_matching_events(api_client, events, query, expected):
    response = api_client.get(f"/api/v1/events/?{query}")

    assert result_slugs(response) == expected


def test_event_ordering_by_title(api_client, events):
    response = api_client.get("/api/v1/events/?ordering=title")

    assert [item["slug"] for item in response.json()["results"]] == [
        "budapest-summit",
        "istanbul-2022",
        "call-2025-10-16",
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=anonymous", {"five-insiders"}),
        ("kind=person&kind=organisation", {"volodymyr-zelenskiy", "kremlin"}),
        ("q=zelensky", {"volodymyr-zelenskiy"}),
        ("q=kremlin", {"five-insiders", "kremlin"}),
        ("country=ua", {"volodymyr-zelenskiy"}),
    ],
)
def test_person_filters_select_exactly_the_matching_people(api_client, query, expected):
    PersonFactory(
        slug="volodymyr-zelenskiy",
        name="Volodymyr Zelenskiy",
        aliases=["Zelensky"],
        country_code="UA",
    )
    PersonFactory(slug="kremlin", name="The Kremlin", kind="organisation", country_code="RU")
    PersonFactory(
        slug="five-insiders",
        name="Five people familiar with Kremlin thinking",
        kind="anonymous",
        country_code="",
    )

    response = api_client.get(f"/api/v1/people/?{query}")

    assert result_slugs(response) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("publisher=reuters", {"reuters"}),
        ("date_from=2025", {"bne"}),
        ("q=Berlin", {"bne"}),
        ("language=en", {"reuters", "bne"}),
        ("ordering=-date", {"reuters", "bne"}),
    ],
)
def test_source_filters_select_exactly_the_matching_sources(api_client, query, expected):
    SourceFactory(slug="reuters", publisher="Reuters", date="2024-11-20")
    SourceFactory(slug="bne", publisher="bne IntelliNews", date="2025-02-06", text="In Berlin")

    response = api_client.get(f"/api/v1/sources/?{query}")

    assert result_slugs(response) == expected


@pytest.mark.parametrize(
    ("endpoint", "query", "expected"),
    [
        ("places", "kind=region", {"crimea"}),
        ("places", "country=RU", {"moscow"}),
        ("places", "q=crim", {"crimea"}),
        ("topics", "q=nato", {"nato-membership"}),
    ],
)
def test_place_and_topic_filters(api_client, endpoint, query, expected):
    PlaceFactory(slug="crimea", name="Crimea", kind="region", country_code="UA")
    PlaceFactory(slug="moscow", name="Moscow", kind="city", country_code="RU")
    TopicFactory(slug="nato-membership", name="NATO membership")
    TopicFactory(slug="territory", name="Territory")

    response = api_client.get(f"/api/v1/{endpoint}/?{query}")

    assert result_slugs(response) == expected
