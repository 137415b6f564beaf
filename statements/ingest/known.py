"""What the database already holds, read once into the plain `Known` extraction matches against.

Extraction itself never touches the database: the ingest service calls this, then hands the
result to `propose()`. Reads only.
"""

from django.db.models import Prefetch

from events.models import Event, Person, Place, Topic
from statements.ingest.proposals import Known, KnownName, KnownPerson, KnownRecord
from statements.ingest.release import topic_words
from statements.models import Figure, Statement, Wording


def known_from_database() -> Known:
    """People (with aliases, descriptions, affiliations), topics, places, and the statements,
    events and figures a new article may report again."""
    people = tuple(
        KnownPerson(
            slug=person.slug,
            name=person.name,
            kind=person.kind,
            aliases=tuple(person.aliases or ()),
            description=person.description,
            affiliation=person.affiliation,
        )
        for person in Person.objects.order_by("slug")
    )
    topics = tuple(
        KnownName(topic.slug, topic.name, tuple(topic_words(topic.description)))
        for topic in Topic.objects.order_by("slug")
    )
    places = tuple(KnownName(place.slug, place.name) for place in Place.objects.order_by("slug"))
    records: list[KnownRecord] = []
    statements = Statement.objects.select_related("speaker").prefetch_related(
        # every article's words for a quote: another outlet's wording is what a new one matches
        Prefetch("wordings", queryset=Wording.objects.order_by("id"))
    )
    for statement in statements.order_by("slug"):
        wordings = [wording.text for wording in statement.wordings.all()]
        text = " ".join(wordings) if wordings else statement.text
        records.append(
            KnownRecord(
                "statement",
                statement.slug,
                text,
                statement.speaker.slug,
                statement.date_earliest,
                statement.date_latest,
            )
        )
    for event in Event.objects.order_by("slug"):
        records.append(
            KnownRecord(
                "event",
                event.slug,
                f"{event.title}. {event.summary}",
                None,
                event.date_earliest,
                event.date_latest,
                kind=event.kind,
                status=event.status,
            )
        )
    for figure in Figure.objects.order_by("slug"):
        value = "" if figure.value is None else f"{figure.value.normalize():f}"
        records.append(
            KnownRecord(
                "figure",
                figure.slug,
                f"{figure.label} {value}".strip(),
                None,
                figure.date_earliest,
                figure.date_latest,
            )
        )
    return Known(people=people, topics=topics, places=places, records=tuple(records))
