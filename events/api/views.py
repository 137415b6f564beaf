"""Endpoints of the base records, each looked up by slug: public reads, and writes for editors
(config.api.writes). Events take their citations on creation: statements.api.views adds their
writes, as the statements admin adds the citation inlines to the event's form."""

from django.db.models.functions import Length
from drf_spectacular.utils import extend_schema, extend_schema_view

from config.api.facets import Facet, FacetsMixin, facets_serializer
from config.api.rows import RowsMixin
from config.api.viewsets import RecordViewSet
from config.api.writes import WriteViewSetMixin
from config.db.ordering import DATE_ORDER
from events.api import jsonld
from events.api.filtersets import (
    EventFilterSet,
    PersonFilterSet,
    PlaceFilterSet,
    SourceFilterSet,
    TopicFilterSet,
)
from events.api.rows import EVENTS
from events.api.serializers import (
    EventSerializer,
    PersonSerializer,
    PlaceSerializer,
    SourceDetailSerializer,
    SourceSerializer,
    TopicSerializer,
)
from events.api.write_serializers import (
    PersonWriteSerializer,
    PlaceWriteSerializer,
    SourceWriteSerializer,
    TopicWriteSerializer,
)
from events.models import Event, Person, Place, Source, Topic


class TopicViewSet(WriteViewSetMixin, RecordViewSet):
    """Topics of the negotiations (NATO membership, territory, security guarantees, ...)."""

    jsonld_node = staticmethod(jsonld.topic_node)

    queryset = Topic.objects.order_by("name", "id")
    serializer_class = TopicSerializer
    write_serializer_class = TopicWriteSerializer
    filterset_class = TopicFilterSet


class PlaceViewSet(WriteViewSetMixin, RecordViewSet):
    """Countries, regions, cities, sites and seas the articles name."""

    jsonld_node = staticmethod(jsonld.place_node)

    queryset = Place.objects.order_by("name", "id")
    serializer_class = PlaceSerializer
    write_serializer_class = PlaceWriteSerializer
    filterset_class = PlaceFilterSet


class PersonViewSet(WriteViewSetMixin, RecordViewSet):
    """Speakers and participants: named people, organisations and anonymous sources.

    Anonymous sources (`kind=anonymous`) are speakers of their own, never a named person.
    """

    jsonld_node = staticmethod(jsonld.person_node)

    queryset = Person.objects.order_by("name", "id")
    serializer_class = PersonSerializer
    write_serializer_class = PersonWriteSerializer
    filterset_class = PersonFilterSet


class SourceViewSet(WriteViewSetMixin, RecordViewSet):
    """The news articles the dataset is built from; the detail includes the reference text."""

    jsonld_node = staticmethod(jsonld.source_node)
    write_serializer_class = SourceWriteSerializer
    detail_serializer_class = SourceDetailSerializer

    queryset = Source.objects.annotate(text_length=Length("text")).order_by(
        "date_earliest", "slug", "id"
    )
    serializer_class = SourceSerializer
    filterset_class = SourceFilterSet

    def get_queryset(self):
        queryset = super().get_queryset()
        # the list leaves the texts out; the detail, and a write's answer, shows one
        return queryset.defer("text") if self.action == "list" else queryset

    def get_serializer_class(self):
        if self.action == "retrieve":
            return SourceDetailSerializer
        return super().get_serializer_class()


EVENT_FACETS = [
    Facet("participant", "participants", related=True),
    Facet("kind", "kind"),
    Facet("status", "status"),
    Facet("topic", "topics", related=True),
    Facet("place", "places", related=True),
]


@extend_schema_view(
    facets=extend_schema(
        summary="Counts of the filtered events",
        description="How many events the list would hold with each participant, kind, "
        "status, topic, place and month added to its filters: each count is the `count` the "
        "list answers with that value added to its query.",
        responses=facets_serializer("EventFacets", EVENT_FACETS),
    )
)
class EventViewSet(RowsMixin, FacetsMixin, RecordViewSet):
    """Calls, meetings, talks, strikes, proposals and agreements, each cited."""

    facet_fields = EVENT_FACETS
    jsonld_node = staticmethod(jsonld.event_node)
    row_reader = EVENTS  # lists, details and writes' answers: no prefetches needed
    queryset = Event.objects.order_by(*DATE_ORDER, "slug", "id")
    serializer_class = EventSerializer
    filterset_class = EventFilterSet
