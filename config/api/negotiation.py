"""Content negotiation whose refusals say which formats exist, after a method the endpoint
does not have is refused."""

from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation


def _formats(renderers) -> str:
    return ", ".join(f"{r.format} ({r.media_type})" for r in renderers if r.format != "api")


class ParleyContentNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        # the first thing REST framework reads of a request is its format: a method the endpoint
        # does not have is a 405 before that, and before any token is checked (`DELETE` on a
        # list is not a question of format or credentials)
        view = request.parser_context.get("view")
        method = request.method.lower()
        if view is not None and (method not in view.http_method_names or not hasattr(view, method)):
            raise exceptions.MethodNotAllowed(request.method)
        # a format's own address (`topics.csv`) takes fewer methods than the record's
        # (`RecordViewSet.allowed_methods`); an address whose suffix is no format (`topics/0.5`)
        # is a 404 below, as an unknown format is
        if (
            view is not None
            and format_suffix in {renderer.format for renderer in view.renderer_classes}
            and request.method not in view.allowed_methods
        ):
            raise exceptions.MethodNotAllowed(request.method)
        if request.method == "OPTIONS":
            # what an endpoint accepts is told in JSON, whatever format its records are asked
            # in (a CSV or JSON-LD renderer has no shape for it)
            json = [renderer for renderer in renderers if renderer.format == "json"]
            if json:
                return json[0], json[0].media_type
        if (
            format_suffix is None
            and request.headers.get("Accept", "*/*") == "*/*"
            and self.settings.URL_FORMAT_OVERRIDE not in request.query_params
        ):
            # any format will do (most applications ask so): the first, as REST framework
            # would choose it, without parsing and ranking media types for every request
            return renderers[0], renderers[0].media_type
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except exceptions.NotAcceptable as error:
            raise exceptions.NotAcceptable(
                f"No format matches the Accept header. Available: {_formats(renderers)}; "
                "or ask with ?format=<name>."
            ) from error

    def filter_renderers(self, renderers, format):
        matching = [renderer for renderer in renderers if renderer.format == format]
        if not matching:
            message = f"Unknown format {format[:40]!r}. Available: {_formats(renderers)}."
            error = exceptions.NotFound(message)
            error.errors = {"format": [message]}
            raise error
        return matching
