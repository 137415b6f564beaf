"""One error shape for the whole API.

Every error is JSON: {"detail": "what went wrong"} and, for bad input, the messages per
parameter or field beside it: {"detail": "...", "errors": {"page": ["..."]}}.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError) and isinstance(response.data, dict):
        names = ", ".join(response.data)
        response.data = {"detail": f"Invalid input: {names}.", "errors": response.data}
    elif isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": "Invalid input.", "errors": {"non_field_errors": response.data}}
    return response
