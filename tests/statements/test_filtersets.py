import pytest

from tests.factories import (
    CitationFactory,
    EventFactory,
    FigureFactory,
    PersonFactory,
    PlaceFactory,
    SourceFactory,
    StatementFactory,
    TopicFactory,
)
from tests.responses import result_slugs

pytestmark = pytest.mark.django_db


@pytest.fixture
def statements():
    putin = PersonFactory(slug="vladimir-putin", name="Vladimir Putin")
    insiders = PersonFactory(slug="five-insiders", name="Five insiders", kind="anonymous")
    valdai = EventFactory(slug="valdai-2024", date="2024-11-07")
    call = EventFactory(slug="call-2025", date="2025-03-18")
    nato = TopicFactory(slug="nato-membership")
    crimea = PlaceFactory(slug="crimea")
    reuters, bne = SourceFactory(slug="reuters"), SourceFactory(slug="bne")
    neutrality = StatementFactory(
        slug="putin-neutrality",
        speaker=putin,
        text="Without neutrality, it is hard to envision",
        date="2024-11-07",
        occasion=valdai,
        topics=[nato],
    )
    realities = StatementFactory(
        slug="putin-realities",
        speaker=putin,
        kind="fragment",
        text="realities",
        date="2024-11",
        about=[call],
        places=[crimea],
    )
    leak = StatementFactory(
        slug="insiders-crimea",
        speaker=insiders,
        kind="paraphrase",
        text="Crimea is off the table.",
        date="2025-02",
        places=[crimea],
    )
    CitationFactory(source=reuters, statement=neutrality)
    CitationFactory(source=bne, statement=neutrality)
    CitationFactory(source=bne, statement=realities)
    CitationFactory(source=reuters, statement=leak)
    return {"neutrality": neutrality, "realities": realities, "leak": leak}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("speaker=vladimir-putin", {"putin-neutrality", "putin-realities"}),
        (
            "speaker=five-insiders&speaker=vladimir-putin",
            {"putin-neutrality", "putin-realities", "insiders-crimea"},
        ),
        ("speaker_kind=anonymous", {"insiders-crimea"}),
        ("kind=fragment&kind=paraphrase", {"putin-realities", "insiders-crimea"}),
        ("occasion=valdai-2024", {"putin-neutrality"}),
        ("about=call-2025", {"putin-realities"}),
        ("event=valdai-2024&event=call-2025", {"putin-neutrality", "putin-realities"}),
        ("topic=nato-membership", {"putin-neutrality"}),
        ("place=crimea", {"putin-realities", "insiders-crimea"}),
        ("source=bne", {"putin-neutrality", "putin-realities"}),
        ("source=reuters&source=bne", {"putin-neutrality", "putin-realities", "insiders-crimea"}),
        # by default a range keeps what certainly falls in it: the month-precise remark of
        # 2024-11 starts before the 8th, ends after the 6th, and is not certainly of the 7th
        ("date_from=2024-11-08", {"insiders-crimea"}),
        ("date_to=2024-11-06", set()),
        ("date_from=2024-11-07&date_to=2024-11-07", {"putin-neutrality"}),
        ("date_from=2024-11&date_to=2024-11", {"putin-neutrality", "putin-realities"}),
        ("date_from=2025&date_to=2025", {"insiders-crimea"}),
        # date_match=overlaps adds what may fall in it
        ("date_from=2024-11-08&date_match=overlaps", {"putin-realities", "insiders-crimea"}),
        ("date_to=2024-11-06&date_match=overlaps", {"putin-realities"}),
        (
            "date_from=2024-11-07&date_to=2024-11-07&date_match=overlaps",
            {"putin-neutrality", "putin-realities"},
        ),
        ("date_match=within", {"putin-neutrality", "putin-realities", "insiders-crimea"}),
        ("q=NEUTRALITY", {"putin-neutrality"}),
        ("q=off table", {"insiders-crimea"}),
        ("q=table neutrality", set()),
        ("q=putin", {"putin-neutrality", "putin-realities"}),
    ],
)
def test_statement_filters_select_exactly_the_matching_statements(
    api_client, statements, query, expected
):
    response = api_client.get(f"/api/v1/statements/?{query}")

    assert result_slugs(response) == expected


def test_statement_filter_by_source_lists_a_statement_once(api_client, statements):
    response = api_client.get("/api/v1/statements/?source=reuters&source=bne")

    assert response.json()["count"] == 3


def test_statement_ordering_by_date_descending_is_stable(api_client, statements):
    response = api_client.get("/api/v1/statements/?ordering=-date")

    assert [item["slug"] for item in response.json()["results"]] == [
        "insiders-crimea",
        "putin-neutrality",
        "putin-realities",
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("measure=ukrainian-territory-held-by-russia", {"territory-2024"}),
        ("unit=km2", {"kursk-2024"}),
        ("place=kursk-region", {"kursk-2024"}),
        ("topic=territory", {"territory-2024"}),
        ("source=reuters", {"kursk-2024"}),
        ("date_from=2025", {"territory-2025"}),
        ("q=Kursk", {"kursk-2024"}),
    ],
)
def test_figure_filters_select_exactly_the_matching_figures(api_client, query, expected):
    FigureFactory(slug="territory-2024", date="2024-11-20").topics.set(
        [TopicFactory(slug="territory")]
    )
    FigureFactory(slug="territory-2025", date="2025-02-06", measure="other-measure")
    kursk = FigureFactory(
        slug="kursk-2024",
        measure="russian-territory-held-by-ukraine",
        label="Kursk land held by Ukraine",
        unit="km2",
        value="650",
        date="2024-11-20",
        place=PlaceFactory(slug="kursk-region"),
    )
    CitationFactory(source=SourceFactory(slug="reuters"), figure=kursk)

    response = api_client.get(f"/api/v1/figures/?{query}")

    assert result_slugs(response) == expected


def test_citation_filters_by_source_and_target(api_client):
    reuters = SourceFactory(slug="reuters")
    statement = StatementFactory(slug="s-1")
    event = EventFactory(slug="e-1")
    wanted = CitationFactory(source=reuters, statement=statement)
    CitationFactory(source=reuters, event=event)
    CitationFactory(statement=statement)

    response = api_client.get("/api/v1/citations/?source=reuters&statement=s-1")

    assert [item["slug"] for item in response.json()["results"]] == [wanted.slug]
