"""What ingest refuses, as the field at fault and the HTTP status the API answers with."""

from django.core.exceptions import ValidationError as DjangoValidationError


class IngestError(ValueError):
    """Input that cannot be ingested, or a review that cannot be done: `field` names what is
    wrong ("text", "published", …), `status` is the HTTP status the API answers with."""

    status = 400

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message

    def as_dict(self) -> dict[str, list[str]]:
        return {self.field: [self.message]}


class TooLarge(IngestError):
    status = 413


class Conflict(IngestError):
    status = 409


def first_error(error: DjangoValidationError) -> tuple[str, str]:
    """A model's first error as (field, message), for IngestError."""
    if hasattr(error, "error_dict"):
        name, messages = next(iter(error.message_dict.items()))
        return ("url" if name == "url" else name, " ".join(messages))
    return "non_field_errors", " ".join(error.messages)


def first_api_error(detail, prefix: str = "") -> tuple[str, str]:
    """A serializer's first error as (field, message)."""
    if isinstance(detail, dict):
        name, value = next(iter(detail.items()))
        return first_api_error(value, prefix or str(name))
    if isinstance(detail, list) and detail:
        return first_api_error(detail[0], prefix)
    return prefix or "non_field_errors", str(detail)
