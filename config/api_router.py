"""The one router of the API: every viewset is registered here under the `api:` namespace."""

from rest_framework.routers import DefaultRouter

from config.history import ChangeFeedViewSet
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

router = DefaultRouter()
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
