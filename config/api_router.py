"""The one router of the API: every viewset is registered here under the `api:` namespace."""

from django.urls import NoReverseMatch
from rest_framework import routers
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.response import Response
from rest_framework.reverse import preserve_builtin_query_params

from config.api.addresses import absolute_route
from config.api.history import ChangeFeedViewSet
from config.api.renderers import JSONRenderer
from events.api.views import PersonViewSet, PlaceViewSet, SourceViewSet, TopicViewSet
from statements.api.ingest import CandidateViewSet, IngestViewSet
from statements.api.search import SearchViewSet
from statements.api.timeline import TimelineViewSet
from statements.api.views import (
    CitationViewSet,
    EventWithCitationsViewSet,
    FigureViewSet,
    PositionViewSet,
    StatementViewSet,
    WordingViewSet,
)

app_name = "api"


class APIRootView(routers.APIRootView):
    """Parley's resources, and where its documentation and schema are."""

    renderer_classes = [JSONRenderer, BrowsableAPIRenderer]

    def get(self, request, *args, **kwargs):
        # REST framework's root, its links from the kept paths: each made absolute, with the
        # request's `?format=` carried over
        namespace = request.resolver_match.namespace
        links = {}
        for key, url_name in self.api_root_dict.items():
            view_name = f"{namespace}:{url_name}" if namespace else url_name
            try:
                links[key] = self.link(request, view_name, kwargs.get("format"))
            except NoReverseMatch:  # a route with no list
                continue
        for name, view_name in (("docs", "swagger-ui"), ("redoc", "redoc"), ("schema", "schema")):
            links[name] = self.link(request, view_name, None)
        return Response(links)

    @staticmethod
    def link(request, view_name: str, format: str | None) -> str:
        # the addresses reversed and made absolute once per process (and host): the root names
        # 18, and building them on every request was most of its time
        address = absolute_route(request, view_name, **({"format": format} if format else {}))
        return preserve_builtin_query_params(address, request)


router = routers.DefaultRouter()
router.APIRootView = APIRootView
router.register("statements", StatementViewSet)
router.register("events", EventWithCitationsViewSet)
router.register("people", PersonViewSet)
router.register("sources", SourceViewSet)
router.register("figures", FigureViewSet)
router.register("topics", TopicViewSet)
router.register("places", PlaceViewSet)
router.register("citations", CitationViewSet)
router.register("wordings", WordingViewSet)
router.register("positions", PositionViewSet)
router.register("changes", ChangeFeedViewSet, basename="change")
router.register("search", SearchViewSet, basename="search")
router.register("timeline", TimelineViewSet, basename="timeline")
router.register("candidates", CandidateViewSet)
router.register("ingest", IngestViewSet, basename="ingest")

# The root's two routes first (stable otherwise): they match only the empty path and its
# format suffix (`.json`), which no other route does, so the order answers every address as
# before; last, Django tried all 80 other routes before the root on each of its requests.
urlpatterns = sorted(router.urls, key=lambda pattern: pattern.name != router.root_view_name)
