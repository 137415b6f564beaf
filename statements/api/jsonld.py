"""schema.org JSON-LD of statements (Quotation), figures and citations."""

from events.api.jsonld import (
    _compact,
    article_ref,
    articles_citing,
    event_ref,
    person_ref,
    place_ref,
)


def statement_node(record: dict) -> dict:
    return _compact(
        {
            "@type": "Quotation",
            "@id": record["url"],
            "identifier": record["slug"],
            "text": record["text"],
            "spokenByCharacter": person_ref(record["speaker"]),
            "dateCreated": record["date"],
            "genre": record["kind"],
            "locationCreated": {"@type": "Place", "name": record["venue"]}
            if record["venue"]
            else None,
            "about": [event_ref(event) for event in record["about"]],
            "recordedAt": event_ref(record["occasion"]),
            "keywords": [topic["name"] for topic in record["topics"]],
            "contentLocation": [place_ref(place) for place in record["places"]],
            "isBasedOn": articles_citing(record),
        }
    )


def figure_node(record: dict) -> dict:
    according_to = f"; according to {record['according_to']}" if record["according_to"] else ""
    return _compact(
        {
            "@type": "PropertyValue",
            "@id": record["url"],
            "identifier": record["slug"],
            "propertyID": record["measure"],
            "name": record["label"],
            "value": record["value"],
            "maxValue": record["value_max"],
            "unitText": record["unit"],
            "description": f"{record['qualifier']}, as of {record['date']}{according_to}",
            "subjectOf": articles_citing(record),
        }
    )


def citation_node(record: dict) -> dict:
    target = record["statement"] or record["event"] or record["figure"]
    return {
        "@type": "Quotation",
        "@id": record["url"],
        "text": record["excerpt"],
        "isPartOf": article_ref(record["source"]),
        "about": {"@id": target["url"]},
    }
