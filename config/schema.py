"""The OpenAPI schema: every read operation also documents its error answers."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in a sentence.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For bad input: the messages for each parameter at fault.",
    )


class ParleyAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        if self.method != "GET" or direction != "response":
            return bodies
        errors = {"404": "No record with that identifier, or no such page."}
        if self._is_list_view() or self.get_filter_backends():  # it takes query parameters
            errors["400"] = "Bad query parameters; `errors` names each one and what was wrong."
        for code, description in errors.items():
            response = OpenApiResponse(response=ErrorSerializer, description=description)
            bodies[code] = self._get_response_for_code(response, code, direction=direction)
        return bodies
