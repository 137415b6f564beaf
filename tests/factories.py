"""factory_boy factories for unit tests; the real dataset is only used by test_dataset.py and
the API-over-real-data tests."""

import factory

from events.models import Event, Person, Place, Source, Topic
from statements.models import Citation, Figure, Position, Statement, Wording

ARTICLE = (
    "Kremlin spokesperson Dmitry Peskov said on Tuesday that Moscow was “ready for talks”.\n"
    "“We will see,” he told reporters in Moscow. The talks could begin in March."
)


def many_to_many(field: str) -> factory.PostGeneration:
    """`Factory(field=[...])` sets a many-to-many relation once the record exists."""

    def set_related(obj, create, extracted, **kwargs):
        if create and extracted:
            getattr(obj, field).set(extracted)

    return factory.PostGeneration(set_related)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.Sequence(lambda n: f"Topic {n}")


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"place-{n}")
    name = factory.Sequence(lambda n: f"Place {n}")
    kind = Place.Kind.CITY
    country_code = "UA"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"person-{n}")
    name = factory.Sequence(lambda n: f"Person {n}")
    kind = Person.Kind.PERSON


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    slug = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"Article {n}")
    publisher = "Reuters"
    seed_file = factory.Sequence(lambda n: f"test_{n}.txt")
    date = "2025-02-06"
    text = ARTICLE


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"event-{n}")
    title = factory.Sequence(lambda n: f"Event {n}")
    kind = Event.Kind.TALKS
    status = Event.Status.PLANNED
    date = "2025-03"

    participants = many_to_many("participants")
    topics = many_to_many("topics")
    places = many_to_many("places")


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"statement-{n}")
    speaker = factory.SubFactory(PersonFactory)
    speaker_label = factory.LazyAttribute(lambda statement: statement.speaker.name)
    kind = Statement.Kind.QUOTE
    text = "We will see,"
    date = "2025-02-04"
    date_basis = "resolved"

    topics = many_to_many("topics")
    places = many_to_many("places")
    about = many_to_many("about")


class FigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Figure

    slug = factory.Sequence(lambda n: f"figure-{n}")
    measure = "ukrainian-territory-held-by-russia"
    label = "Ukrainian territory held by Russia"
    value = "20"
    unit = Figure.Unit.PERCENT
    qualifier = Figure.Qualifier.ABOUT
    date = "2025-02-06"


class CitationFactory(factory.django.DjangoModelFactory):
    """A citation of `excerpt` (default: the source's first sentence) at its real offsets."""

    class Meta:
        model = Citation

    source = factory.SubFactory(SourceFactory)
    excerpt = factory.LazyAttribute(lambda citation: citation.source.text.split("\n")[0])
    start = factory.LazyAttribute(lambda citation: citation.source.text.index(citation.excerpt))
    end = factory.LazyAttribute(lambda citation: citation.start + len(citation.excerpt))


class WordingFactory(factory.django.DjangoModelFactory):
    """The statement's own text as printed by a source, canonical."""

    class Meta:
        model = Wording

    statement = factory.SubFactory(StatementFactory)
    source = factory.SubFactory(SourceFactory)
    text = factory.LazyAttribute(lambda wording: wording.statement.text)
    canonical = True


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    statement = factory.SubFactory(StatementFactory)
    issue = Position.Issue.TALKS
    stance = Position.Stance.ACCEPTS
    excerpt = "We will see"
