"""schema.org JSON-LD of the base records, mapped from their serialized JSON.

Terms are schema.org's (the context at /api/v1/context.jsonld sets `@vocab`); `@id` is the
record's address in the API.
"""


def _ref(record: dict | None, kind: str, name_field: str = "name") -> dict | None:
    """A nested record as a node reference with its type and name."""
    if record is None:
        return None
    return {"@type": kind, "@id": record["url"], "name": record[name_field]}


def _compact(node: dict) -> dict:
    """Drop empty values: JSON-LD has no use for null or ""."""
    return {key: value for key, value in node.items() if value not in (None, "", [])}


def person_type(kind: str) -> str:
    return "Organization" if kind == "organisation" else "Person"


def person_ref(record: dict) -> dict:
    return _ref(record, person_type(record["kind"]))


def place_ref(record: dict | None) -> dict | None:
    return _ref(record, "Place")


def event_ref(record: dict | None) -> dict | None:
    return _ref(record, "Event", "title")


def article_ref(record: dict) -> dict:
    return {"@type": "NewsArticle", "@id": record["url"], "headline": record["name"]}


def articles_citing(record: dict) -> list[dict]:
    """The articles whose excerpts cite the record, each once."""
    seen = {citation["source"]["url"]: citation["source"] for citation in record["citations"]}
    return [article_ref(source) for source in seen.values()]


def topic_node(record: dict) -> dict:
    return _compact(
        {
            "@type": "DefinedTerm",
            "@id": record["url"],
            "identifier": record["slug"],
            "name": record["name"],
            "description": record.get("description"),
        }
    )


def place_node(record: dict) -> dict:
    geo = None
    if record["latitude"] is not None and record["longitude"] is not None:
        geo = {
            "@type": "GeoCoordinates",
            "latitude": record["latitude"],
            "longitude": record["longitude"],
        }
    return _compact(
        {
            "@type": "Place",
            "@id": record["url"],
            "identifier": record["slug"],
            "name": record["name"],
            "additionalType": record["kind"],
            "geo": geo,
            "address": {"@type": "PostalAddress", "addressCountry": record["country_code"]}
            if record["country_code"]
            else None,
        }
    )


def person_node(record: dict) -> dict:
    return _compact(
        {
            "@type": person_type(record["kind"]),
            "@id": record["url"],
            "identifier": record["slug"],
            "name": record["name"],
            "alternateName": record["aliases"],
            "description": record["description"],
            "affiliation": {"@type": "Organization", "name": record["affiliation"]}
            if record["affiliation"]
            else None,
            "sameAs": f"https://www.wikidata.org/wiki/{record['wikidata_id']}"
            if record["wikidata_id"]
            else None,
        }
    )


def source_node(record: dict) -> dict:
    return _compact(
        {
            "@type": "NewsArticle",
            "@id": record["url"],
            "identifier": record["slug"],
            "headline": record["title"],
            "publisher": {"@type": "Organization", "name": record["publisher"]}
            if record["publisher"]
            else None,
            "author": {"@type": "Person", "name": record["author"]} if record["author"] else None,
            "url": record["article_url"],
            "inLanguage": record["language"],
            "datePublished": record["date"],
            "text": record.get("text"),
        }
    )


def event_node(record: dict) -> dict:
    return _compact(
        {
            "@type": "Event",
            "@id": record["url"],
            "identifier": record["slug"],
            "name": record["title"],
            "description": record["summary"],
            "startDate": record["date"],
            "endDate": record["end_date"],
            "eventStatus": "EventCancelled"
            if record["status"] == "cancelled"
            else "EventScheduled",
            "location": [place_ref(place) for place in record["places"]],
            "attendee": [person_ref(person) for person in record["participants"]],
            "keywords": [topic["name"] for topic in record["topics"]],
            "subjectOf": articles_citing(record),
        }
    )
