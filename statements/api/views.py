"""Endpoints of statements, figures and citations (public reads, writes for editors), of
wordings and positions (read-only), and the writes of events, which take their citations."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.exceptions import ValidationError

from config.api.facets import Facet, FacetsMixin, facets_serializer
from config.api.rows import RowsMixin
from config.api.viewsets import RecordViewSet
from config.api.writes import WriteViewSetMixin
from config.db.ordering import DATE_ORDER
from events.api.views import EventViewSet
from statements.api import jsonld
from statements.api.filtersets import (
    CitationFilterSet,
    FigureFilterSet,
    PositionFilterSet,
    StatementFilterSet,
    WordingFilterSet,
)
from statements.api.rows import STATEMENTS
from statements.api.serializers import (
    CitationSerializer,
    FigureSerializer,
    PositionDetailSerializer,
    StatementSerializer,
    WordingDetailSerializer,
)
from statements.api.write_serializers import (
    CitationWriteSerializer,
    CitedEventWriteSerializer,
    FigureWriteSerializer,
    StatementWriteSerializer,
)
from statements.models import Citation, Figure, Position, Statement, Wording
from statements.services import removal_problem

STATEMENT_FACETS = [
    Facet("speaker", "speaker", related=True),
    Facet("speaker_kind", "speaker__kind"),
    Facet("kind", "kind"),
    Facet("topic", "topics", related=True),
    Facet("place", "places", related=True),
    # as in the list, an issue and a stance hold of one and the same position
    Facet("issue", "positions__issue", joint="stance"),
    Facet("stance", "positions__stance", joint="issue"),
]


@extend_schema_view(
    facets=extend_schema(
        summary="Counts of the filtered statements",
        description="How many statements the list would hold with each speaker, speaker "
        "kind, kind, topic, place, issue, stance and month added to its filters: each count is "
        "the `count` the list answers with that value added to its query.",
        responses=facets_serializer("StatementFacets", STATEMENT_FACETS),
    )
)
class StatementViewSet(RowsMixin, WriteViewSetMixin, FacetsMixin, RecordViewSet):
    """Who said what, when, where and to whom: quotes, fragments and paraphrases, each cited."""

    facet_fields = STATEMENT_FACETS
    jsonld_node = staticmethod(jsonld.statement_node)
    row_reader = STATEMENTS  # lists, details and writes' answers: no prefetches needed
    queryset = Statement.objects.order_by(*DATE_ORDER, "slug", "id")
    serializer_class = StatementSerializer
    write_serializer_class = StatementWriteSerializer
    filterset_class = StatementFilterSet


class FigureViewSet(WriteViewSetMixin, RecordViewSet):
    """Numbers the articles assert (territory held, shares, deadlines), each cited.

    Figures sharing a `measure` can be compared across articles and dates.
    """

    jsonld_node = staticmethod(jsonld.figure_node)

    queryset = (
        Figure.objects.select_related("place")  # place
        .prefetch_related(
            "topics",  # topics
            Prefetch("citations", Citation.objects.select_related("source")),  # citations
        )
        .order_by("measure", *DATE_ORDER, "slug", "id")
    )
    serializer_class = FigureSerializer
    write_serializer_class = FigureWriteSerializer
    filterset_class = FigureFilterSet


class CitationViewSet(WriteViewSetMixin, RecordViewSet):
    """Every excerpt with its offsets: `source.text[start:end] == excerpt` for each of them."""

    jsonld_node = staticmethod(jsonld.citation_node)

    queryset = Citation.objects.select_related(
        "source",  # source
        "statement",  # statement
        "event",  # event
        "figure",  # figure
    ).order_by("source_id", "start", "id")  # served by an index, unlike a sort on a join
    serializer_class = CitationSerializer
    write_serializer_class = CitationWriteSerializer
    filterset_class = CitationFilterSet

    def check_destroy(self, record: Citation) -> None:
        problem = removal_problem(record)
        if problem:
            raise ValidationError({record.target._meta.model_name: [problem]})


class WordingViewSet(RecordViewSet):
    """Each article's verbatim words for a quote or fragment; one per statement is canonical."""

    queryset = Wording.objects.select_related(
        "statement",  # statement
        "source",  # source
    ).order_by("statement__slug", "-canonical", "source__slug", "id")
    serializer_class = WordingDetailSerializer
    filterset_class = WordingFilterSet


class PositionViewSet(RecordViewSet):
    """Coded stances on the issues of the negotiations: who proposes, accepts, rejects or sets
    conditions on what, each with the words that support it."""

    queryset = Position.objects.select_related(
        "statement",  # statement
        "holder",  # holder
    ).order_by("issue", "statement__slug", "id")
    serializer_class = PositionDetailSerializer
    filterset_class = PositionFilterSet


# no docstring of its own: the operations are described by EventViewSet's
class EventWithCitationsViewSet(WriteViewSetMixin, EventViewSet):
    write_serializer_class = CitedEventWriteSerializer
