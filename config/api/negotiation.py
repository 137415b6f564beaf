"""Content negotiation whose refusals say which formats exist."""

from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation


def _formats(renderers) -> str:
    return ", ".join(f"{r.format} ({r.media_type})" for r in renderers if r.format != "api")


class ParleyContentNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
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
