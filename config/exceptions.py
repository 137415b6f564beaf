"""One error shape for the whole API.

Every error is JSON: {"detail": "what went wrong"} and, for bad input, the messages per
parameter or field beside it: {"detail": "...", "errors": {"page": ["..."]}}. A nested field's
messages are keyed by its path: {"citations[1].excerpt": ["..."]}.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


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
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = flatten(response.data)
        response.data = {"detail": f"Invalid input: {', '.join(errors)}.", "errors": errors}
    return response
