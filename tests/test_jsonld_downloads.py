"""The bulk JSON-LD download: a list in JSON-LD without a page parameter is one `ItemList` of
every record of the filtered list, streamed chunk by chunk as CSV and NDJSON are
(config.api.export); with a page parameter it is that page, as before."""

import json
import re

import pytest
from pyld import jsonld

from config.api import export
from tests.factories import PersonFactory, StatementFactory
from tests.test_formats import local_loader, make_cited_statement

pytestmark = pytest.mark.django_db

# every type with a schema.org mapping (`jsonld_node`); wordings and positions have none
JSONLD_LISTS = ["statements", "events", "people", "sources", "topics", "places", "figures"]
JSONLD_LISTS += ["citations"]
CONTEXT = "http://testserver/api/v1/context.jsonld"


def streamed_document(response) -> dict:
    assert (response.status_code, response.streaming) == (200, True), response
    return json.loads(b"".join(response.streaming_content))


def paged_nodes(api_client, path: str, query: str = "") -> tuple[list[dict], set[str]]:
    """Every node of the JSON-LD list walked page by page (the `Link` header's next), and the
    `@context` of each page."""
    nodes, contexts = [], set()
    url = f"{path}?format=jsonld&page_size=7{query}"
    while url:
        response = api_client.get(url)
        assert response.status_code == 200, response.content
        page = response.json()
        nodes += page["itemListElement"]
        contexts.add(page["@context"])
        found = re.search(r'<http://testserver([^>]+)>; rel="next"', response.get("Link", ""))
        url = found and found[1]
    return nodes, contexts


@pytest.mark.usefixtures("dataset")
@pytest.mark.parametrize("name", JSONLD_LISTS)
def test_bulk_jsonld_is_every_page_of_the_paged_list_in_one_item_list(
    api_client, monkeypatch, name
):
    monkeypatch.setattr(export, "CHUNK", 10)  # several chunks, as a large list has
    pages, contexts = paged_nodes(api_client, f"/api/v1/{name}/")

    response = api_client.get(f"/api/v1/{name}/?format=jsonld")
    document = streamed_document(response)

    assert response["Content-Type"] == "application/ld+json"
    assert contexts == {CONTEXT}
    assert {key: value for key, value in document.items() if key != "itemListElement"} == {
        "@context": CONTEXT,
        "@type": "ItemList",
        "@id": f"http://testserver/api/v1/{name}/?format=jsonld",
        "numberOfItems": len(pages),
    }
    assert document["itemListElement"] == pages
    assert len(pages) == api_client.get(f"/api/v1/{name}/").json()["count"] > 0


@pytest.mark.usefixtures("dataset")
def test_bulk_jsonld_of_a_filtered_list_is_the_filtered_records(api_client):
    query = "&speaker=vladimir-putin&topic=territory&ordering=-date"
    urls = [
        record["url"]
        for record in api_client.get(f"/api/v1/statements/?page_size=100{query}").json()["results"]
    ]
    pages, _ = paged_nodes(api_client, "/api/v1/statements/", query)

    document = streamed_document(api_client.get(f"/api/v1/statements.jsonld?{query[1:]}"))

    assert [node["@id"] for node in document["itemListElement"]] == urls
    assert document["itemListElement"] == pages
    assert document["numberOfItems"] == len(urls) > 1
    assert document["@id"] == f"http://testserver/api/v1/statements.jsonld?{query[1:]}"


@pytest.mark.usefixtures("dataset")
def test_bulk_jsonld_of_a_search_is_its_ranked_records(api_client):
    ranked = api_client.get("/api/v1/statements/?q=ceasefire&page_size=100").json()["results"]

    document = streamed_document(api_client.get("/api/v1/statements/?q=ceasefire&format=jsonld"))

    assert [node["@id"] for node in document["itemListElement"]] == [s["url"] for s in ranked]
    assert len(ranked) > 1


def test_bulk_jsonld_expands_to_a_schema_org_item_list(api_client):
    make_cited_statement("s-1")
    make_cited_statement("s-2")

    document = streamed_document(api_client.get("/api/v1/statements/?format=jsonld"))
    expanded = jsonld.expand(document, {"documentLoader": local_loader(api_client)})

    schema = "https://schema.org/"
    items = expanded[0][f"{schema}itemListElement"]
    assert expanded[0]["@type"] == [f"{schema}ItemList"]
    assert expanded[0][f"{schema}numberOfItems"] == [{"@value": 2}]
    assert [(item["@id"], item["@type"]) for item in items] == [
        (f"http://testserver/api/v1/statements/{slug}/", [f"{schema}Quotation"])
        for slug in ("s-1", "s-2")
    ]


def test_bulk_jsonld_of_an_empty_list_is_an_empty_item_list(api_client):
    response = api_client.get("/api/v1/statements/?format=jsonld&kind=paraphrase")

    assert streamed_document(response) == {
        "@context": CONTEXT,
        "@type": "ItemList",
        "@id": "http://testserver/api/v1/statements/?format=jsonld&kind=paraphrase",
        "itemListElement": [],
        "numberOfItems": 0,
    }


@pytest.mark.parametrize(
    "query",
    ["page=1", "page_size=5", "paging=cursor", "page=1&page_size=100"],
)
def test_jsonld_list_with_a_page_parameter_is_that_page_read_in_place(api_client, query):
    for n in range(6):
        StatementFactory(slug=f"s-{n}")

    response = api_client.get(f"/api/v1/statements/?format=jsonld&{query}")

    page = json.loads(response.content)
    assert (response.streaming, response.get("Content-Disposition")) == (False, None)
    assert page["@type"] == "ItemList"
    assert page["numberOfItems"] == len(page["itemListElement"]) == (5 if "=5" in query else 6)


def test_bulk_jsonld_is_a_download_named_by_the_dataset_version(api_client):
    StatementFactory(slug="s-1")
    version = re.fullmatch(r'"(\d+)-\w+"', api_client.get("/api/v1/statements/")["ETag"])[1]

    response = api_client.get("/api/v1/statements.jsonld")

    assert response["Content-Disposition"] == (
        f'attachment; filename="parley-statements-{version}.jsonld"'
    )


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        (
            "speaker=nobody-at-all",
            {
                "speaker": [
                    "Select a valid choice. nobody-at-all is not one of the available choices. "
                    "The people are listed at /api/v1/people/."
                ]
            },
        ),
        ("date_from=2024-13-01", {"date_from": ["'2024-13-01' has no month 13"]}),
        ("speker=x", None),
        ("ordering=height", None),
        ("page=0", None),
        ("text=a%00b", None),
    ],
)
def test_bulk_jsonld_refuses_bad_parameters_in_json(api_client, query, errors):
    PersonFactory(slug="vladimir-putin")

    response = api_client.get(f"/api/v1/statements/?format=jsonld&{query}")

    body = response.json()
    assert (response.status_code, response["Content-Type"]) == (400, "application/json")
    assert set(body["errors"]) == {query.split("=")[0]}
    if errors is not None:
        assert body["errors"] == errors


def test_bulk_jsonld_is_not_answered_from_a_page_kept_in_the_cache(api_client, settings):
    settings.PARLEY_RESPONSE_CACHE_SECONDS = 60
    for n in range(25):
        StatementFactory(slug=f"s-{n:02}")
    first_page = api_client.get("/api/v1/statements/?format=jsonld&page=1&page_size=20")

    whole = streamed_document(api_client.get("/api/v1/statements/?format=jsonld"))
    again = api_client.get("/api/v1/statements/?format=jsonld&page_size=20&page=1")

    assert len(first_page.json()["itemListElement"]) == 20
    assert whole["numberOfItems"] == len(whole["itemListElement"]) == 25
    assert again.content == first_page.content
