"""The OpenAPI schema: every read operation also documents its error answers (bad input, not
found, throttled)."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

SLUG_PARAMETER = OpenApiParameter(
    "slug",
    str,
    OpenApiParameter.PATH,
    description="Stable public identifier of the record (lowercase, hyphens).",
)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in a sentence.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For bad input: the messages for each parameter at fault.",
    )


class ParleyAutoSchema(AutoSchema):
    def _is_list_view(self, serializer=None) -> bool:
        # a view that answers with one page object of its own (the change feed) is no list
        if getattr(self.view, "response_is_one_page", False):
            return False
        return super()._is_list_view(serializer)

    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        if self.method != "GET" or direction != "response":
            return bodies
        errors = {"404": "No record with that identifier, or no such page."}
        if (
            self._is_list_view()
            or getattr(self.view, "response_is_one_page", False)
            or self.get_filter_backends()  # it takes query parameters
        ):
            errors["400"] = "Bad query parameters; `errors` names each one and what was wrong."
        errors["429"] = (
            "Too many requests from this address (the limit is PARLEY_ANON_RATE); "
            "`Retry-After` says in how many seconds to try again."
        )
        for code, description in errors.items():
            response = OpenApiResponse(response=ErrorSerializer, description=description)
            bodies[code] = self._get_response_for_code(response, code, direction=direction)
        return bodies

    def _get_response_headers_for_code(self, status_code, direction="response"):
        headers = super()._get_response_headers_for_code(status_code, direction)
        if status_code == "429":
            headers["Retry-After"] = {
                "schema": {"type": "integer"},
                "description": "Seconds to wait before the next request will be answered.",
            }
        return headers
