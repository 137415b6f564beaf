"""Read-only endpoints of statements, figures and citations."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets

from config.export import BulkExportMixin
from events.api.views import SlugViewSet
from statements.api import jsonld
from statements.api.filtersets import CitationFilterSet, FigureFilterSet, StatementFilterSet
from statements.api.serializers import CitationSerializer, FigureSerializer, StatementSerializer
from statements.models import Citation, Figure, Statement


class StatementViewSet(SlugViewSet):
    """Who said what, when, where and to whom: quotes, fragments and paraphrases, each cited."""

    jsonld_node = staticmethod(jsonld.statement_node)

    queryset = (
        Statement.objects.select_related(
            "speaker",  # speaker
            "occasion",  # occasion
        )
        .prefetch_related(
            "about",  # about
            "topics",  # topics
            "places",  # places
            "citations__source",  # citations, and the source of each
        )
        .order_by("date_earliest", "slug", "id")
    )
    serializer_class = StatementSerializer
    filterset_class = StatementFilterSet


class FigureViewSet(SlugViewSet):
    """Numbers the articles assert (territory held, shares, deadlines), each cited.

    Figures sharing a `measure` can be compared across articles and dates.
    """

    jsonld_node = staticmethod(jsonld.figure_node)

    queryset = (
        Figure.objects.select_related("place")  # place
        .prefetch_related(
            "topics",  # topics
            "citations__source",  # citations, and the source of each
        )
        .order_by("measure", "date_earliest", "slug", "id")
    )
    serializer_class = FigureSerializer
    filterset_class = FigureFilterSet


@extend_schema_view(
    retrieve=extend_schema(
        parameters=[
            OpenApiParameter(
                "id", int, OpenApiParameter.PATH, description="Identifier of the citation."
            )
        ]
    )
)
class CitationViewSet(BulkExportMixin, viewsets.ReadOnlyModelViewSet):
    """Every excerpt with its offsets: `source.text[start:end] == excerpt` for each of them."""

    jsonld_node = staticmethod(jsonld.citation_node)

    queryset = Citation.objects.select_related(
        "source",  # source
        "statement",  # statement
        "event",  # event
        "figure",  # figure
    ).order_by("source_id", "start", "id")  # served by an index, unlike a sort on a join
    serializer_class = CitationSerializer
    filterset_class = CitationFilterSet
    lookup_value_regex = r"[0-9]{1,18}"  # ids fit a 64-bit integer; longer ones are a 404
