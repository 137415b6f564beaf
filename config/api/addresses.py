"""Records' absolute addresses, one route template per kind and request: `RecordURLField` for
serializers, `Addresses` for the row readers (config.api.rows), which read the serializers'
`RecordURLField`s to know which addresses a record holds."""

from functools import cache, lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.encoding import iri_to_uri
from rest_framework import serializers

PLACEHOLDER = "lookup-placeholder"


@cache
def _reversed(urlconf: str | None, script_prefix: str, view_name: str, kwargs: tuple) -> str:
    return reverse(view_name, kwargs=dict(kwargs) or None)


def route(view_name: str, **kwargs) -> str:
    """The path of a route, reversed once per process, URL configuration and script prefix."""
    return _reversed(get_urlconf(), get_script_prefix(), view_name, tuple(sorted(kwargs.items())))


def _templates(request) -> dict[str, tuple[str, str]]:
    return request.__dict__.setdefault("record_url_templates", {})


def _context(request) -> tuple[str | None, str, str]:
    """The request's URL configuration, script prefix and origin (scheme and host, the host
    checked once), which its addresses are made from."""
    context = request.__dict__.get("record_url_context")
    if context is None:
        context = request.__dict__["record_url_context"] = (
            get_urlconf(),
            get_script_prefix(),
            f"{request.scheme}://{request.get_host()}",
        )
    return context


@lru_cache(maxsize=512)
def _absolute(
    urlconf: str | None, script_prefix: str, origin: str, view_name: str, kwargs: tuple
) -> str | None:
    """The absolute address of a route for requests to `origin`, as build_absolute_uri() makes
    it of a path from the root; None for a path it joins to the request's."""
    path = _reversed(urlconf, script_prefix, view_name, kwargs)
    if not path.startswith("/") or path.startswith("//") or "/." in path:
        return None
    return iri_to_uri(origin + path)


def absolute_route(request, view_name: str, **kwargs) -> str:
    """`request.build_absolute_uri(route(view_name, **kwargs))`, kept per process, URL
    configuration, script prefix, scheme and host (the last 512)."""
    address = _absolute(*_context(request), view_name, tuple(sorted(kwargs.items())))
    if address is None:
        return request.build_absolute_uri(route(view_name, **kwargs))
    return address


def url_template(request, view_name: str) -> tuple[str, str]:
    """What comes before and after the slug in the absolute address of a record of `view_name`:
    the route reversed and made absolute once per process (absolute_route), read once per
    request."""
    templates = _templates(request)
    template = templates.get(view_name)
    if template is None:
        address = absolute_route(request, view_name, slug=PLACEHOLDER)
        template = templates[view_name] = tuple(address.rpartition(PLACEHOLDER)[::2])
    return template


class Addresses:
    """Absolute record addresses for one request: `addresses("api:event-detail", slug)`."""

    def __init__(self, request):
        self.request = request
        # the request's templates, read here directly: a page of statements holds some 150
        # addresses of three kinds
        self.templates = _templates(request)

    def __call__(self, view_name: str, slug: str) -> str:
        template = self.templates.get(view_name) or url_template(self.request, view_name)
        # a slug holds nothing that a URL must escape
        return f"{template[0]}{slug}{template[1]}"


class RecordURLField(serializers.HyperlinkedIdentityField):
    """A record's address, the same whatever format it was asked in (REST framework would
    carry the request's `?format=` into it, and a JSON-LD `@id` or a CSV cell would change
    with the format).

    Addresses of one kind differ only in the slug, so the route is reversed once per request
    and kind rather than once per record: a page of statements holds some 150 addresses.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.reverse = self._reverse

    @staticmethod
    def _reverse(view_name, kwargs=None, request=None, format=None, **extra) -> str:
        return request.build_absolute_uri(reverse(view_name, kwargs=kwargs))

    def get_url(self, obj, view_name, request, format):
        if request is None or obj.pk is None or self.lookup_field != "slug":
            return super().get_url(obj, view_name, request, format)
        before, after = url_template(request, view_name)
        # a slug (or an id) holds nothing that a URL must escape
        return f"{before}{getattr(obj, self.lookup_field)}{after}"


def api_url(view_name: str, lookup_field: str = "slug") -> RecordURLField:
    return RecordURLField(
        view_name=view_name, lookup_field=lookup_field, help_text="This record in the API."
    )
