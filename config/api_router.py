"""The one router of the API: every viewset is registered here under the `api:` namespace."""

from rest_framework import routers
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.reverse import reverse

from config.api.history import ChangeFeedViewSet
from config.api.renderers import JSONRenderer
from events.api.views import PersonViewSet, PlaceViewSet, SourceViewSet, TopicViewSet
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
        response = super().get(request, *args, **kwargs)
        for name, view_name in (("docs", "swagger-ui"), ("redoc", "redoc"), ("schema", "schema")):
            response.data[name] = reverse(view_name, request=request)
        return response


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

urlpatterns = router.urls
