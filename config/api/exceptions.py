"""One error shape for the whole API.

Every error is JSON: {"detail": "what went wrong"} and, for bad input, the messages per
parameter or field beside it: {"detail": "...", "errors": {"page": ["..."]}}. A nested field's
messages are keyed by its path: {"citations[1].excerpt": ["..."]}. An error is JSON even when the
request asked for CSV, NDJSON or JSON-LD: those formats have no error shape.
"""

import logging

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.views import exception_handler as drf_exception_handler

from config.api.renderers import JSONRenderer

logger = logging.getLogger("parley.api")

# what Django refuses to read, in words a client can act on
BAD_REQUEST_REASONS = {
    "DisallowedHost": "This server does not answer for the host named in the request.",
    "TooManyFieldsSent": "Too many query parameters.",
}


def bad_request_reason(exc: Exception) -> str:
    return BAD_REQUEST_REASONS.get(type(exc).__name__, f"Bad request: {exc}")


def flatten(errors, path: str = "") -> dict[str, list[str]]:
    """DRF's nested error structure as one list of messages per field path."""
    if isinstance(errors, dict):
        flat = {}
        for name, value in errors.items():
            if isinstance(name, int):  # a list's errors, keyed by index
                key = f"{path}[{name}]"
            else:
                key = f"{path}.{name}" if path else str(name)
            flat.update(flatten(value, key))
        return flat
    if isinstance(errors, list) and any(isinstance(item, dict | list) for item in errors):
        flat = {}
        for index, value in enumerate(errors):
            if value:
                flat.update(flatten(value, f"{path}[{index}]"))
        return flat
    messages = errors if isinstance(errors, list) else [errors]
    return {path or "non_field_errors": [str(message) for message in messages]}


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    if isinstance(exc, SuspiciousOperation | BadRequest):
        # a request Django itself refuses to read (too many parameters, say): still a 400 in
        # the API's shape rather than an unhandled error
        exc = exceptions.ParseError(bad_request_reason(exc))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = flatten(response.data)
        response.data = {"detail": f"Invalid input: {', '.join(errors)}.", "errors": errors}
    elif getattr(exc, "errors", None):
        response.data = {**response.data, "errors": exc.errors}
    request = context.get("request")
    renderer = getattr(request, "accepted_renderer", None)
    if renderer is not None and not isinstance(renderer, JSONRenderer | BrowsableAPIRenderer):
        request.accepted_renderer, request.accepted_media_type = JSONRenderer(), "application/json"
    logger.info(
        "%s %s answered %s: %s",
        getattr(request, "method", "?"),
        getattr(request, "path", "?"),
        response.status_code,
        response.data.get("detail") if isinstance(response.data, dict) else response.data,
    )
    return response
