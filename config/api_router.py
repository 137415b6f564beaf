"""The one router of the API: every viewset is registered here under the `api:` namespace."""

from rest_framework.routers import DefaultRouter

app_name = "api"

router = DefaultRouter()
urlpatterns = router.urls
