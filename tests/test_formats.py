"""CSV, NDJSON and JSON-LD: the same records in other shapes, and the bulk download."""

import csv
import io
import json
import re

import pytest
from pyld import jsonld

from config.api import export
from config.api.renderers import BOM
from tests.factories import (
    CitationFactory,
    EventFactory,
    PersonFactory,
    PlaceFactory,
    PositionFactory,
    SourceFactory,
    StatementFactory,
    TopicFactory,
    WordingFactory,
)

pytestmark = pytest.mark.django_db

STATEMENT_COLUMNS = [
    "slug",
    "url",
    "speaker",
    "speaker_label",
    "kind",
    "text",
    "date",
    "date_precision",
    "date_earliest",
    "date_latest",
    "date_basis",
    "date_note",
    "venue",
    "via",
    "occasion",
    "about",
    "topics",
    "places",
    "citations",
    "excerpts",
    "wordings",
    "positions",
    "created_at",
    "updated_at",
]


def body_of(response) -> str:
    """The body as text; a CSV's after the byte order mark it must open with."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith("text/csv"):
        assert content.startswith(BOM)
        content = content.removeprefix(BOM)
    return content.decode()


def make_cited_statement(slug: str = "peskov-2025-02-04-we-will-see"):
    statement = StatementFactory(
        slug=slug,
        speaker=PersonFactory(slug="dmitry-peskov", name="Dmitry Peskov"),
        speaker_label="he",
        text="We will see,",
        via="told reporters",
        occasion=EventFactory(slug=f"briefing-{slug}", title="Briefing"),
        about=[EventFactory(slug=f"talks-{slug}", title="Talks")],
        topics=[TopicFactory(slug="territory"), TopicFactory(slug="nato-membership")],
        places=[PlaceFactory(slug="moscow", name="Moscow")],
    )
    CitationFactory(
        source=SourceFactory(slug=f"tass-{slug}", title="Peskov on talks"),
        statement=statement,
        excerpt="“We will see,” he told reporters",
    )
    return statement


def test_csv_list_has_the_documented_columns_and_flat_cells(api_client):
    make_cited_statement()

    response = api_client.get("/api/v1/statements/?format=csv")

    rows = list(csv.reader(io.StringIO(body_of(response))))
    record = api_client.get("/api/v1/statements/").json()["results"][0]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert rows == [
        STATEMENT_COLUMNS,
        [
            "peskov-2025-02-04-we-will-see",
            "http://testserver/api/v1/statements/peskov-2025-02-04-we-will-see/",
            "dmitry-peskov",
            "he",
            "quote",
            "We will see,",
            "2025-02-04",
            "day",
            "2025-02-04",
            "2025-02-04",
            "resolved",
            "",
            "",
            "told reporters",
            "briefing-peskov-2025-02-04-we-will-see",
            "talks-peskov-2025-02-04-we-will-see",
            "territory;nato-membership",
            "moscow",
            "tass-peskov-2025-02-04-we-will-see[86:118]",
            "“We will see,” he told reporters",
            "",  # no wordings
            "",  # no positions
            record["created_at"],
            record["updated_at"],
        ],
    ]


def test_csv_cells_of_wordings_and_positions(api_client):
    statement = make_cited_statement()
    WordingFactory(statement=statement, source=SourceFactory(slug="tass-wording"))
    PositionFactory(statement=statement, issue="territory", stance="rejects")
    PositionFactory(
        statement=statement, issue="talks", stance="accepts", holder=PersonFactory(slug="kremlin")
    )

    list_rows = list(
        csv.reader(io.StringIO(body_of(api_client.get("/api/v1/statements/?format=csv"))))
    )
    detail = api_client.get(f"/api/v1/statements/{statement.slug}/?format=csv")
    detail_rows = list(csv.reader(io.StringIO(body_of(detail))))

    for rows in (list_rows, detail_rows):
        record = dict(zip(rows[0], rows[1], strict=True))
        assert record["wordings"] == "tass-wording"
        assert sorted(record["positions"].split(";")) == [
            "talks:accepts@kremlin",
            "territory:rejects",
        ]


def test_csv_is_also_chosen_by_the_accept_header(api_client):
    make_cited_statement()

    by_header = api_client.get("/api/v1/statements/", HTTP_ACCEPT="text/csv")
    by_parameter = api_client.get("/api/v1/statements/?format=csv")

    assert (by_header["Content-Type"], body_of(by_header)) == (
        "text/csv; charset=utf-8",
        body_of(by_parameter),
    )


def test_csv_list_streams_every_record_not_one_page(api_client):
    for n in range(25):
        StatementFactory(slug=f"s-{n:02}")

    response = api_client.get("/api/v1/statements/?format=csv&kind=quote")

    rows = list(csv.reader(io.StringIO(body_of(response))))
    assert response.streaming
    assert [row[0] for row in rows[1:]] == [f"s-{n:02}" for n in range(25)]


def test_csv_list_with_a_page_parameter_is_that_page(api_client):
    for n in range(25):
        StatementFactory(slug=f"s-{n:02}")

    response = api_client.get("/api/v1/statements/?format=csv&page=2&page_size=10")

    rows = list(csv.reader(io.StringIO(body_of(response))))
    assert [row[0] for row in rows] == ["slug"] + [f"s-{n:02}" for n in range(10, 20)]


def test_csv_of_an_empty_list_is_its_header(api_client):
    paged = api_client.get("/api/v1/statements/?format=csv&page_size=5")
    streamed = api_client.get("/api/v1/statements/?format=csv")

    assert body_of(paged) == body_of(streamed) == ",".join(STATEMENT_COLUMNS) + "\r\n"


# each bulk format's records, read back from the whole streamed body
BULK_SLUGS = {
    "csv": lambda body: [row[0] for row in csv.reader(io.StringIO(body))][1:],
    "ndjson": lambda body: [json.loads(line)["slug"] for line in body.splitlines()],
    "jsonld": lambda body: [
        node["@id"].split("/")[-2]
        for node in json.loads(body)["itemListElement"]
        if node["@type"] == "Quotation"
    ],
}


@pytest.mark.parametrize(
    ("format_", "end"), [("csv", []), ("ndjson", []), ("jsonld", [b'],"numberOfItems":25}'])]
)
def test_bulk_list_is_sent_a_block_per_chunk_with_constant_queries_per_chunk(
    api_client, django_assert_num_queries, monkeypatch, format_, end
):
    monkeypatch.setattr(export, "CHUNK", 10)
    for n in range(25):
        make_cited_statement(f"s-{n:02}")

    # dataset version; then for each of the three chunks, its keys (a query that starts after
    # the chunk before: no cursor stays open) and its statements with every nested list
    # (config.api.rows)
    with django_assert_num_queries(1 + 3 * 2):
        response = api_client.get(f"/api/v1/statements/?format={format_}")
        blocks = list(response.streaming_content)

    slugs = [f"s-{n:02}" for n in range(25)]
    # a block per chunk of 10, 10 and 5 records (each names its statement's address once), then
    # the list's end where the format has one
    assert [re.findall(r"/api/v1/statements/(s-\d\d)/", block.decode()) for block in blocks] == [
        slugs[:10],
        slugs[10:20],
        slugs[20:],
    ] + [[]] * len(end)
    assert blocks[3:] == end
    assert BULK_SLUGS[format_](b"".join(blocks).removeprefix(BOM).decode()) == slugs


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cell_that_would_start_a_formula_is_neutralised(api_client, start):
    text = f'{start}HYPERLINK("http://example.com","click")'
    StatementFactory(slug="s-1", text=text, speaker_label="@someone")
    TopicFactory(slug="nato", name="=1+1", description="+cmd")

    streamed = api_client.get("/api/v1/statements/?format=csv")
    paged = api_client.get("/api/v1/statements/?format=csv&page=1")
    detail = api_client.get("/api/v1/statements/s-1/?format=csv")
    topic = api_client.get("/api/v1/topics/nato/?format=csv")
    as_json = api_client.get("/api/v1/statements/s-1/")
    as_ndjson = api_client.get("/api/v1/statements/?format=ndjson")

    for response in (streamed, paged, detail):
        row = dict(zip(*list(csv.reader(io.StringIO(body_of(response), newline=""))), strict=True))
        assert (row["text"], row["speaker_label"]) == ("'" + text, "'@someone")
    topic_row = dict(zip(*list(csv.reader(io.StringIO(body_of(topic)))), strict=True))
    assert (topic_row["name"], topic_row["description"]) == ("'=1+1", "'+cmd")
    assert as_json.json()["text"] == json.loads(body_of(as_ndjson))["text"] == text


def test_csv_keeps_numbers_and_safe_text_as_they_are(api_client):
    StatementFactory(slug="s-1", text="A ceasefire - now", speaker_label="he")

    response = api_client.get("/api/v1/statements/?format=csv")

    row = dict(zip(*list(csv.reader(io.StringIO(body_of(response)))), strict=True))
    assert (row["text"], row["speaker_label"]) == ("A ceasefire - now", "he")


def test_ndjson_list_is_one_detail_per_line(api_client):
    make_cited_statement("s-1")
    make_cited_statement("s-2")

    response = api_client.get("/api/v1/statements/?format=ndjson")

    lines = [json.loads(line) for line in body_of(response).splitlines()]
    assert response["Content-Type"] == "application/x-ndjson"
    assert lines == [api_client.get(f"/api/v1/statements/{s}/").json() for s in ("s-1", "s-2")]


def test_figure_value_is_a_json_number_in_every_format(api_client):
    from tests.factories import FigureFactory

    FigureFactory(slug="share", value="19.5", value_max=None)

    as_json = api_client.get("/api/v1/figures/share/").json()
    as_ndjson = json.loads(body_of(api_client.get("/api/v1/figures/share/?format=ndjson")))

    assert (as_json["value"], as_ndjson["value"], as_json["value_max"]) == (19.5, 19.5, None)


def local_loader(api_client):
    """A pyld document loader that asks the API itself, in-process: nothing is fetched from
    another host (an address outside the API fails the test)."""

    def load(url, options=None):
        assert url.startswith("http://testserver/api/v1/"), url
        response = api_client.get(url.removeprefix("http://testserver"))
        assert response.status_code == 200
        return {"contextUrl": None, "documentUrl": url, "document": response.json()}

    return load


def test_jsonld_statement_expands_to_a_schema_org_quotation(api_client):
    make_cited_statement()

    response = api_client.get(
        "/api/v1/statements/peskov-2025-02-04-we-will-see/",
        HTTP_ACCEPT="application/ld+json",
    )
    expanded = jsonld.expand(response.json(), {"documentLoader": local_loader(api_client)})

    schema = "https://schema.org/"
    node = expanded[0]
    assert response["Content-Type"] == "application/ld+json"
    assert node["@id"] == "http://testserver/api/v1/statements/peskov-2025-02-04-we-will-see/"
    assert node["@type"] == [f"{schema}Quotation"]
    assert node[f"{schema}text"] == [{"@value": "We will see,"}]
    assert node[f"{schema}dateCreated"] == [{"@value": "2025-02-04"}]
    assert node[f"{schema}spokenByCharacter"] == [
        {
            "@id": "http://testserver/api/v1/people/dmitry-peskov/",
            "@type": [f"{schema}Person"],
            f"{schema}name": [{"@value": "Dmitry Peskov"}],
        }
    ]
    assert node[f"{schema}isBasedOn"] == [
        {
            "@id": "http://testserver/api/v1/sources/tass-peskov-2025-02-04-we-will-see/",
            "@type": [f"{schema}NewsArticle"],
            f"{schema}headline": [{"@value": "Peskov on talks"}],
        }
    ]
    assert node[f"{schema}recordedAt"][0]["@type"] == [f"{schema}Event"]


@pytest.mark.parametrize(
    ("endpoint", "make", "schema_type"),
    [
        ("events", lambda: EventFactory(slug="x"), "Event"),
        ("people", lambda: PersonFactory(slug="x", aliases=["X"]), "Person"),
        ("sources", lambda: SourceFactory(slug="x", url="https://example.org/a"), "NewsArticle"),
        ("topics", lambda: TopicFactory(slug="x"), "DefinedTerm"),
        ("places", lambda: PlaceFactory(slug="x"), "Place"),
    ],
)
def test_jsonld_detail_of_every_record_expands_to_its_schema_org_type(
    api_client, endpoint, make, schema_type
):
    make()

    response = api_client.get(f"/api/v1/{endpoint}/x/?format=jsonld")
    expanded = jsonld.expand(response.json(), {"documentLoader": local_loader(api_client)})

    assert (expanded[0]["@id"], expanded[0]["@type"]) == (
        f"http://testserver/api/v1/{endpoint}/x/",
        [f"https://schema.org/{schema_type}"],
    )


def test_jsonld_list_is_an_item_list_of_the_page(api_client):
    make_cited_statement("s-1")
    make_cited_statement("s-2")

    response = api_client.get("/api/v1/statements/?format=jsonld&page_size=1")
    expanded = jsonld.expand(response.json(), {"documentLoader": local_loader(api_client)})

    items = expanded[0]["https://schema.org/itemListElement"]
    assert expanded[0]["@type"] == ["https://schema.org/ItemList"]
    assert [item["@id"] for item in items] == ["http://testserver/api/v1/statements/s-1/"]
    assert response["Link"] == (
        '<http://testserver/api/v1/statements/?format=jsonld&page=2&page_size=1>; rel="next"'
    )


def test_unknown_format_is_a_404_that_lists_the_formats(api_client):
    response = api_client.get("/api/v1/statements/?format=xml")

    message = (
        "Unknown format 'xml'. Available: json (application/json), csv (text/csv), "
        "ndjson (application/x-ndjson), jsonld (application/ld+json)."
    )
    assert (response.status_code, response.json()) == (
        404,
        {"detail": message, "errors": {"format": [message]}},
    )


def test_unacceptable_accept_header_is_a_406_that_lists_the_formats(api_client):
    response = api_client.get("/api/v1/statements/", HTTP_ACCEPT="application/xml")

    assert (response.status_code, response.json()) == (
        406,
        {
            "detail": "No format matches the Accept header. Available: json (application/json), "
            "csv (text/csv), ndjson (application/x-ndjson), jsonld (application/ld+json); or "
            "ask with ?format=<name>."
        },
    )


@pytest.mark.parametrize("format_", ["csv", "ndjson", "jsonld"])
def test_errors_are_json_whatever_the_format(api_client, format_):
    response = api_client.get(f"/api/v1/statements/?format={format_}&page=0")

    assert (response.status_code, response["Content-Type"], response.json()) == (
        400,
        "application/json",
        {
            "detail": "Invalid input: page.",
            "errors": {"page": ["page must be a whole number from 1 to 999999999, not '0'."]},
        },
    )


@pytest.mark.parametrize("format_name", ["csv", "ndjson", "jsonld"])
def test_every_list_and_a_record_of_each_in_every_format_of_the_dataset(
    dataset, api_client, format_name
):
    """Every shape the real data has (wordings, positions, open starts, vague figures) has a form
    in each format: each list whole, and its first record."""
    lists = ["statements", "events", "people", "sources", "topics", "places", "figures"]
    lists += ["citations"]
    if format_name != "jsonld":  # wordings and positions have no schema.org type
        lists += ["wordings", "positions"]
    failures = []
    for name in lists:
        first = api_client.get(f"/api/v1/{name}/").json()["results"][0]["url"]
        for url in (f"/api/v1/{name}/?format={format_name}", f"{first}?format={format_name}"):
            response = api_client.get(url)
            body = body_of(response)
            if response.status_code != 200 or not body:
                failures.append((url, response.status_code))

    assert failures == []


@pytest.mark.parametrize(
    "address",
    [
        "/api/v1/",
        "/api/v1/statements/",
        "/api/v1/statements/{slug}/",
        "/api/v1/statements/{slug}/history/",
        "/api/v1/timeline/",
        "/api/v1/changes/",
        "/api/v1/search/?q=ceasefire",
        "/api/v1/statements/facets/",
        "/api/v1/topics.csv",
    ],
)
def test_any_format_asked_for_is_what_ranking_the_formats_gives(api_client, address):
    slug = StatementFactory(text="A ceasefire now.").slug
    address = address.format(slug=slug)

    answers = [
        api_client.get(address, **({"HTTP_ACCEPT": accept} if accept else {}))
        for accept in [None, "*/*", "application/xml;q=0.1, */*;q=0.9"]
    ]

    # no Accept, or */*, is answered without ranking media types: as the ranking answers it
    seen = [(a.status_code, a["Content-Type"], body(a)) for a in answers]
    assert seen == [seen[-1]] * 3
    assert answers[-1].status_code == 200


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content
