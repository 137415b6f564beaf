"""Endpoints of the base records, each looked up by slug: public reads, and writes for editors
(config.api.writes). Events take their citations on creation: statements.api.views adds their
writes, as the statements admin adds the citation inlines to the event's form."""

from django.db.models import Prefetch
from django.db.models.functions import Length
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from config.api.export import BulkExportMixin
from config.api.facets import Facet, FacetsMixin, facets_serializer
from config.api.filters import SLUG_RE
from config.api.history import HistoryMixin
from config.api.preconditions import etag
from config.api.renderers import JSONLDRenderer
from config.api.rows import RowsMixin
from config.api.schema import SLUG_PARAMETER
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

SLUG_PATTERN = SLUG_RE.pattern.strip("^$")


class SlugViewSet(HistoryMixin, BulkExportMixin, viewsets.ReadOnlyModelViewSet):
    """Base of the viewsets whose records are identified by slug in their URL, with their
    history at `<slug>/history/`."""

    def get_renderers(self):
        # JSON-LD where the type has a schema.org mapping (`jsonld_node`)
        renderers = super().get_renderers()
        if getattr(self, "jsonld_node", None) is None:
            renderers = [r for r in renderers if not isinstance(r, JSONLDRenderer)]
        return renderers

    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN

    @extend_schema(parameters=[SLUG_PARAMETER])
    def retrieve(self, request, *args, **kwargs):
        """The record, with its version as a strong ETag (config.api.preconditions)."""
        data, tag = self.detail_answer(request)
        return Response(data, headers={"ETag": tag})

    def detail_answer(self, request) -> tuple[dict, str]:
        """The record as the detail shows it, and its ETag."""
        record = self.get_object()
        return self.get_serializer(record).data, etag(record, request.accepted_renderer.format)

    def get_object(self):
        try:
            return super().get_object()
        except Http404 as error:
            name = self.queryset.model._meta.verbose_name
            raise NotFound(f"No {name} with slug {self.kwargs['slug']!r}.") from error


class TopicViewSet(WriteViewSetMixin, SlugViewSet):
    """Topics of the negotiations (NATO membership, territory, security guarantees, ...)."""

    jsonld_node = staticmethod(jsonld.topic_node)

    queryset = Topic.objects.order_by("name", "id")
    serializer_class = TopicSerializer
    write_serializer_class = TopicWriteSerializer
    filterset_class = TopicFilterSet


class PlaceViewSet(WriteViewSetMixin, SlugViewSet):
    """Countries, regions, cities, sites and seas the articles name."""

    jsonld_node = staticmethod(jsonld.place_node)

    queryset = Place.objects.order_by("name", "id")
    serializer_class = PlaceSerializer
    write_serializer_class = PlaceWriteSerializer
    filterset_class = PlaceFilterSet


class PersonViewSet(WriteViewSetMixin, SlugViewSet):
    """Speakers and participants: named people, organisations and anonymous sources.

    Anonymous sources (`kind=anonymous`) are speakers of their own, never a named person.
    """

    jsonld_node = staticmethod(jsonld.person_node)

    queryset = Person.objects.order_by("name", "id")
    serializer_class = PersonSerializer
    write_serializer_class = PersonWriteSerializer
    filterset_class = PersonFilterSet


class SourceViewSet(WriteViewSetMixin, SlugViewSet):
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
        # the list leaves the texts out; only the detail shows one
        return queryset if self.action == "retrieve" else queryset.defer("text")

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
class EventViewSet(RowsMixin, FacetsMixin, SlugViewSet):
    """Calls, meetings, talks, strikes, proposals and agreements, each cited."""

    facet_fields = EVENT_FACETS
    jsonld_node = staticmethod(jsonld.event_node)
    row_reader = EVENTS  # lists and details; the prefetches serve the writes' answers

    queryset = Event.objects.prefetch_related(
        "places",  # places
        "participants",  # participants
        "topics",  # topics
        # citations with their sources, in one query (Citation lives in the statements app)
        Prefetch("citations", Event.citations.rel.related_model.objects.select_related("source")),
    ).order_by(*DATE_ORDER, "slug", "id")
    serializer_class = EventSerializer
    filterset_class = EventFilterSet
