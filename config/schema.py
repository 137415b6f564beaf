"""The OpenAPI schema: every operation documents its error answers, reads are declared public,
and writes document their token, their If-Match precondition and the record they answer with."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS

SLUG_PARAMETER = OpenApiParameter(
    "slug",
    str,
    OpenApiParameter.PATH,
    description="Stable public identifier of the record (lowercase, hyphens).",
)

IF_MATCH_PARAMETER = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description='The ETag of the record as last read (e.g. `"12.3"`): the change is made '
    "only if the record is still at that version (412 otherwise; 428 without the header).",
)

WRITE_ERRORS = {
    "400": "The body is refused: `errors` names each field at fault and why. Nothing changed.",
    "401": "No valid token: send `Authorization: Token <key>` (`manage.py create_api_token`).",
    "403": "The token's user lacks the permission to add, change or delete this type of record "
    "(the `editors` group has them).",
    "409": "Other records still refer to this one, or another write took its slug first. "
    "Nothing changed.",
    "429": "Too many writes with this token (the limit is PARLEY_WRITE_RATE); `Retry-After` "
    "says in how many seconds to try again.",
}
DETAIL_WRITE_ERRORS = {
    "404": "No record with that slug.",
    "412": "If-Match names a version the record no longer has: it changed since it was read. "
    "Nothing changed: GET it again, apply the change to what it holds now, and retry with its "
    "new ETag.",
    "428": "If-Match is missing: send the record's ETag (from a GET) in it.",
}


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in a sentence.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For bad input: the messages for each parameter or field at fault.",
    )


class TokenScheme(OpenApiAuthenticationExtension):
    """The write API's token (config.permissions), so that Swagger UI offers to authorise."""

    target_class = "config.permissions.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "An editor's token from `manage.py create_api_token USERNAME`, sent "
            "as `Authorization: Token <key>` (in Swagger UI, type `Token ` and the key).",
        }


class ParleyAutoSchema(AutoSchema):
    def _is_list_view(self, serializer=None) -> bool:
        # a view that answers with one page object of its own (the change feed) is no list
        if getattr(self.view, "response_is_one_page", False):
            return False
        return super()._is_list_view(serializer)

    def _is_write(self) -> bool:
        return self.method not in SAFE_METHODS and hasattr(self.view, "write_serializer_class")

    def _is_detail(self) -> bool:
        return "{slug}" in self.path

    def get_auth(self) -> list:
        if self.method in SAFE_METHODS:
            return []  # reads are public: no security requirement
        return super().get_auth()

    def get_override_parameters(self) -> list:
        parameters = super().get_override_parameters()
        if self._is_write() and self._is_detail():
            parameters = [*parameters, SLUG_PARAMETER, IF_MATCH_PARAMETER]
        return parameters

    def get_response_serializers(self):
        if self._is_write() and self.method != "DELETE":
            return self.view.get_detail_serializer_class()  # a write answers with the record
        return super().get_response_serializers()

    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        if direction != "response":
            return bodies
        if self._is_write():
            errors = dict(WRITE_ERRORS)
            if self._is_detail():
                errors.update(DETAIL_WRITE_ERRORS)
            if self.method == "POST":
                errors["409"] = "Another write took the slug first. Nothing changed."
        elif self.method == "GET":
            errors = self._read_errors()
        else:
            return bodies
        for code, description in sorted(errors.items()):
            response = OpenApiResponse(response=ErrorSerializer, description=description)
            bodies[code] = self._get_response_for_code(response, code, direction=direction)
        return bodies

    def _read_errors(self) -> dict:
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
        return errors

    def _get_response_headers_for_code(self, status_code, direction="response"):
        headers = super()._get_response_headers_for_code(status_code, direction)
        if status_code == "429":
            headers["Retry-After"] = {
                "schema": {"type": "integer"},
                "description": "Seconds to wait before the next request will be answered.",
            }
        one_record = self._is_detail() and not self._is_list_view()
        if status_code in ("200", "201") and (self._is_write() or one_record):
            headers["ETag"] = {
                "schema": {"type": "string"},
                "description": "The record's current version, a strong entity tag: send it in "
                "If-Match to change or delete the record.",
            }
        if status_code == "201":
            headers["Location"] = {
                "schema": {"type": "string", "format": "uri"},
                "description": "The new record's address.",
            }
        return headers
