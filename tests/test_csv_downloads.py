"""The CSV downloads as a researcher opens them: in pandas, as a spreadsheet does (UTF-8 by its
byte order mark), under a file name that says which version of the dataset they hold."""

import io
import re

import pandas as pd
import pytest

from config.api.renderers import BOM, EXCERPT_SEPARATOR, neutralised
from tests.factories import (
    CitationFactory,
    PersonFactory,
    SourceFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db

STATEMENT_QUERIES = [
    "",
    "speaker=vladimir-putin&topic=territory",
    "kind=quote&date_from=2025",
    "q=ceasefire",
]


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def read_csv(body) -> pd.DataFrame:
    """A body (or a response's) as pandas reads a file: every cell as text, an empty one as ""."""
    if not isinstance(body, bytes):
        body = body_of(body)
    return pd.read_csv(io.BytesIO(body), dtype=str, keep_default_na=False)


def every_record(api_client, path: str, query: str) -> list[dict]:
    records, url = [], f"{path}?{query}&page_size=100"
    while url:
        page = api_client.get(url).json()
        records += page["results"]
        url = page["next"]
    assert len(records) == page["count"]
    return records


@pytest.mark.usefixtures("dataset")
def test_statements_csv_reads_in_pandas_as_the_json_list(api_client):
    for query in STATEMENT_QUERIES:
        records = every_record(api_client, "/api/v1/statements/", query)

        frame = read_csv(api_client.get(f"/api/v1/statements/?{query}&format=csv"))

        assert len(records) > 0, query
        assert len(frame) == len(records), query
        assert frame["slug"].tolist() == [record["slug"] for record in records], query
        assert frame["text"].tolist() == [neutralised(record["text"]) for record in records]
        assert frame["speaker"].tolist() == [record["speaker"]["slug"] for record in records]
        assert frame["excerpts"].tolist() == [
            neutralised(EXCERPT_SEPARATOR.join(c["excerpt"] for c in record["citations"]))
            for record in records
        ], query
        if not query:  # no column of the whole dataset is empty in every row
            assert [name for name in frame.columns if (frame[name] == "").all()] == []
        assert ("highlight" in frame.columns) == query.startswith("q="), query
        if "highlight" in frame.columns:
            assert frame["highlight"].tolist() == [record["highlight"] for record in records]
            assert all("<mark>" in cell for cell in frame["highlight"])


@pytest.mark.usefixtures("dataset")
def test_citations_csv_reads_in_pandas_one_row_per_excerpt(api_client):
    records = every_record(api_client, "/api/v1/citations/", "")

    frame = read_csv(api_client.get("/api/v1/citations/?format=csv"))

    assert frame.columns.tolist() == [
        "slug",
        "url",
        "source",
        "statement",
        "event",
        "figure",
        "excerpt",
        "start",
        "end",
        "created_at",
        "updated_at",
    ]
    assert len(frame) == len(records) == 234
    assert frame["excerpt"].tolist() == [neutralised(record["excerpt"]) for record in records]
    texts = {
        slug: api_client.get(f"/api/v1/sources/{slug}/").json()["text"]
        for slug in set(frame["source"])
    }
    for row in frame.itertuples():
        assert texts[row.source][int(row.start) : int(row.end)] == row.excerpt
    # each row cites exactly one record
    cited = (frame[["statement", "event", "figure"]] != "").sum(axis=1)
    assert set(cited) == {1}


def test_csv_keeps_non_ascii_names_quotes_commas_and_line_breaks(api_client):
    speaker = PersonFactory(slug="volodymyr-zelenskyy", name="Володимир Зеленський")
    text = 'He said: "No," and then «ні»; “never”, — again,\nand again'
    statement = StatementFactory(
        slug="zelenskyy-no", speaker=speaker, speaker_label="Зеленський", text=text
    )
    first = CitationFactory(
        statement=statement,
        source=SourceFactory(slug="a", text='He said: "No," and “never”, — again.'),
        excerpt="“never”, — again",
    )
    second = CitationFactory(
        statement=statement, source=SourceFactory(slug="b", text="Він сказав «ні»."), excerpt="«ні»"
    )

    listed = api_client.get("/api/v1/statements/?format=csv")
    detail = api_client.get("/api/v1/statements/zelenskyy-no/?format=csv")

    for body in (body_of(listed), body_of(detail)):
        assert body.startswith(BOM)
        frame = read_csv(body)
        assert frame.columns[0] == "slug"  # pandas drops the byte order mark
        assert len(frame) == 1
        row = frame.iloc[0]
        assert (row["speaker_label"], row["text"]) == ("Зеленський", text)
        assert row["excerpts"] == f"{first.excerpt}\n{second.excerpt}"
        assert row["citations"] == f"a[{first.start}:{first.end}];b[{second.start}:{second.end}]"
        # as a spreadsheet reads it: UTF-8 because of the mark
        assert body.decode("utf-8-sig").count("Зеленський") == 1


def dataset_version(api_client) -> str:
    """The dataset version, the first part of a list's ETag ("412-5f1c...")."""
    return re.fullmatch(r'"(\d+)-\w+"', api_client.get("/api/v1/statements/")["ETag"])[1]


def test_downloads_are_named_by_the_dataset_version(api_client):
    StatementFactory(slug="s-1")
    version = dataset_version(api_client)

    names = {
        target: api_client.get(target).get("Content-Disposition")
        for target in (
            "/api/v1/statements/?format=csv",
            "/api/v1/statements/?format=csv&page=1",
            "/api/v1/statements/?format=ndjson",
            "/api/v1/statements/s-1/?format=csv",
            "/api/v1/statements/s-1/?format=ndjson",
            "/api/v1/citations/?format=csv",
            "/api/v1/people/?format=csv",
            "/api/v1/statements/",
            "/api/v1/statements/?format=jsonld",
            "/api/v1/statements/?format=jsonld&page=1",
            "/api/v1/statements/s-1/?format=jsonld",
            "/api/v1/statements/no-such/?format=csv",
        )
    }

    assert int(version) > 0
    assert names == {
        "/api/v1/statements/?format=csv": f'attachment; filename="parley-statements-{version}.csv"',
        "/api/v1/statements/?format=csv&page=1": (
            f'attachment; filename="parley-statements-{version}.csv"'
        ),
        "/api/v1/statements/?format=ndjson": (
            f'attachment; filename="parley-statements-{version}.ndjson"'
        ),
        "/api/v1/statements/s-1/?format=csv": (
            f'attachment; filename="parley-statements-s-1-{version}.csv"'
        ),
        "/api/v1/statements/s-1/?format=ndjson": (
            f'attachment; filename="parley-statements-s-1-{version}.ndjson"'
        ),
        "/api/v1/citations/?format=csv": f'attachment; filename="parley-citations-{version}.csv"',
        "/api/v1/people/?format=csv": f'attachment; filename="parley-people-{version}.csv"',
        "/api/v1/statements/?format=jsonld": (
            f'attachment; filename="parley-statements-{version}.jsonld"'
        ),
        # answers read in place (a JSON-LD page or record), and errors, are no downloads
        "/api/v1/statements/": None,
        "/api/v1/statements/?format=jsonld&page=1": None,
        "/api/v1/statements/s-1/?format=jsonld": None,
        "/api/v1/statements/no-such/?format=csv": None,
    }


def test_download_name_follows_a_write(api_client):
    StatementFactory(slug="s-1")
    before = api_client.get("/api/v1/statements/?format=csv")["Content-Disposition"]

    StatementFactory(slug="s-2")
    after = api_client.get("/api/v1/statements/?format=csv")["Content-Disposition"]

    assert before != after
    assert after == f'attachment; filename="parley-statements-{dataset_version(api_client)}.csv"'
