"""The OpenAPI schema, made to tell the truth about what the API accepts and answers.

- Every query parameter declares what is accepted (pattern, length, bounds, enums), that an
  empty value means the parameter is absent (`allowEmptyValue`), and a real example from the
  dataset (the apps' `api/examples.py`; a test requests every one of them and expects records
  back).
- Every operation has a summary and lists its error answers with the error shape (bad input,
  not found, no such format, throttled).
- Reads are public: they declare no security requirement. Writes declare the editor's token
  (`TokenScheme`, which Swagger UI's Authorize button offers), their If-Match precondition, the
  record they answer with and its ETag, and every refusal (400/401/403/404/409/412/428/429).
"""

import re
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS

from config.api.filters import (
    COUNTRY_CODE_PATTERN,
    LANGUAGE_TAG_PATTERN,
    MAX_SEARCH_LENGTH,
)
from config.db.slugs import SLUG_MAX_LENGTH, SLUG_RE

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
    "only if the record is still at that version (412 otherwise; 428 without the header, or "
    "with `*`, which would match a version never read).",
    # entity tags (RFC 9110): quoted, perhaps weak, separated by commas; not `*`
    pattern=r'^(W/)?"[\x21\x23-\x7e]*"([ \t]*,[ \t]*(W/)?"[\x21\x23-\x7e]*")*$',
)

# A partial date, YYYY, YYYY-MM or YYYY-MM-DD, exactly as `config.db.dates` accepts it: no year 0,
# months 01-12, and only the days each month has (29 February in leap years only).
YEAR = r"(?:[0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})"
LEAP_YEAR = r"(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[2468][048]|[13579][26]|0[48])00)"
MONTH_DAY = (
    r"(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    r"|02-(?:0[1-9]|1[0-9]|2[0-8]))"
)
PARTIAL_DATE_PATTERN = rf"^(?:{YEAR}(?:-(?:0[1-9]|1[0-2]))?|{YEAR}-{MONTH_DAY}|{LEAP_YEAR}-02-29)$"
NO_NUL = r"^[^\x00]+$"

# What each kind of parameter accepts, by name (the enums come from the filters themselves).
CONSTRAINTS = {
    "slug": {"pattern": SLUG_RE.pattern, "maxLength": SLUG_MAX_LENGTH},
    "date": {"pattern": PARTIAL_DATE_PATTERN, "minLength": 4, "maxLength": 10},
    "q": {"pattern": NO_NUL, "minLength": 1, "maxLength": MAX_SEARCH_LENGTH},
    "measure": {"pattern": SLUG_RE.pattern, "maxLength": 100},
    "publisher": {"pattern": NO_NUL, "maxLength": 120},
    "language": {"pattern": LANGUAGE_TAG_PATTERN, "maxLength": 8},
    "country": {"pattern": COUNTRY_CODE_PATTERN},
}
SLUG_PARAMETERS = {
    "holder",
    "speaker",
    "participant",
    "event",
    "occasion",
    "about",
    "topic",
    "place",
    "source",
    "statement",
    "figure",
}

# The framework's own examples, for the parameters every list has. The dataset's real values,
# per record type ("*" for every type) are the apps' (`settings.SCHEMA_EXAMPLES`).
EXAMPLES = {
    "page": 1,
    "page_size": 20,
    "paging": "page",
    "format": "json",
    "date_match": "within",
    "ordering": "-date",
    "updated_since": "2024-01-01T00:00:00Z",
    "since": "2024-01-01T00:00:00Z",
    # a record's ETag looks like this; a write with it is refused (412) unless it is current
    "If-Match": '"1.1.5f0c2a9e1b"',
    # a deletion that unlinks must be asked for, never sent by trying the example
    "unlink": False,
}


@cache
def dataset_examples() -> dict[str, dict]:
    """Record type (or "*") -> parameter -> example, from every mapping the settings name."""
    merged: dict[str, dict] = {"*": dict(EXAMPLES)}
    for path in settings.SCHEMA_EXAMPLES:
        for model_name, examples in import_string(path).items():
            merged.setdefault(model_name, {}).update(examples)
    return merged


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in a sentence.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For bad input: the messages for each parameter or field at fault.",
    )


ERRORS = {
    "400": "Bad query parameters: unknown, repeated, malformed, or naming no record (an "
    "unknown slug is refused, not answered with nothing); `errors` names each one.",
    "404": "No record with that identifier, no such page, or no such format.",
    "406": "No format matches the Accept header; the message lists the formats.",
    "429": "Too many requests from this address (the limit is PARLEY_ANON_RATE); "
    "`Retry-After` says in how many seconds to try again.",
}

WRITE_ERRORS = {
    "400": "The body is refused: not JSON (or nested deeper than 20 levels, or holding a lone "
    "surrogate), or `errors` names each field at fault and why. Nothing changed.",
    "401": "No valid token: send `Authorization: Token <key>` (`manage.py create_api_token`).",
    "403": "The token's user lacks the permission to add, change or delete this type of record "
    "(the `editors` group has them).",
    "409": "Other records still refer to this one, or another write took its slug first. "
    "Nothing changed.",
    "413": "The body is larger than 2.5 MB (DATA_UPLOAD_MAX_MEMORY_SIZE). Nothing changed.",
    "429": "Too many writes with this token (the limit is PARLEY_WRITE_RATE); `Retry-After` "
    "says in how many seconds to try again.",
}
DETAIL_WRITE_ERRORS = {
    "404": "No record with that slug.",
    "412": "If-Match names a version the record no longer has: it changed since it was read. "
    "Nothing changed: GET it again, apply the change to what it holds now, and retry with its "
    "new ETag.",
    "428": "If-Match is missing, or `*`: send the record's ETag (from a GET) in it.",
}
WRITE_SUMMARIES = {
    "POST": "Create {}",
    "PUT": "Replace {}",
    "PATCH": "Change fields of {}",
    "DELETE": "Delete {}",
}


def a(noun: str) -> str:
    """The noun with its indefinite article: a statement, an event."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


class TokenScheme(OpenApiAuthenticationExtension):
    """The write API's token (config.api.permissions), so that Swagger UI offers to authorise."""

    target_class = "config.api.permissions.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "An editor's token from `manage.py create_api_token USERNAME`, sent "
            "as `Authorization: Token <key>` (in Swagger UI, type `Token ` and the key).",
        }


# The other formats hold the same records in another shape (see the README). Each has operations
# of its own (`config.api.schema_hooks.format_operations`).
OTHER_FORMATS = {
    "text/csv": {
        "type": "string",
        "description": "One row per record under a header row, columns in the order of the "
        "JSON fields; nested records as their slug, lists joined by `;`.",
    },
    "application/x-ndjson": {
        "type": "string",
        "description": "One JSON record per line.",
    },
    "application/ld+json": {
        "type": "object",
        "description": "The record as schema.org JSON-LD, or a list's records as one "
        "`ItemList` (`itemListElement`, then `numberOfItems`): every record of the list, "
        "streamed, or with a page parameter that page's. Its `@context` is "
        "/api/v1/context.jsonld.",
    },
}


# Swagger UI's "Try it out" fills every parameter that has an example and sends them all at once:
# on a list, only these keep theirs (each changes how the answer is shown, not which records it
# holds, so together they still answer the first page). A filter's example is shown in its
# description instead, to be typed in by hand.
TRY_IT_OUT_TOGETHER = {"page", "page_size", "paging", "format", "date_match", "ordering"}


ORDERING_HELP = (
    "{description} One value, or several separated by commas (`-date,slug`: each next one "
    "orders what the ones before leave tied). Values: {values}."
)
ONE_ORDERING_HELP = "{description} One value: {values}."


def ordering_schema(values: list[str], several: bool) -> dict:
    """`ordering` as one string, as clients send it (not an array: generators send an array as
    repeated parameters, which the API refuses): one of the values, or where the list takes
    several, a comma-separated list of them."""
    one = {"type": "string", "enum": sorted(values, key=lambda value: (value.lstrip("-"), value))}
    if not several:
        return one
    names = "|".join(re.escape(name) for name in sorted({value.lstrip("-") for value in values}))
    return {"anyOf": [one, {"type": "string", "pattern": rf"^-?(?:{names})(?:,-?(?:{names}))*$"}]}


def example_for(model_name: str, parameter: str):
    examples = dataset_examples()
    return examples.get(model_name, {}).get(parameter, examples["*"].get(parameter))


class ParleyAutoSchema(AutoSchema):
    def _is_list_view(self, serializer=None) -> bool:
        # a view that answers with one page object of its own (the change feed) is no list
        if getattr(self.view, "response_is_one_page", False):
            return False
        return super()._is_list_view(serializer)

    def _model(self):
        """The model the view lists, or None for a view of no one model (the change feed)."""
        return getattr(getattr(self.view, "queryset", None), "model", None)

    def _is_write(self) -> bool:
        return self.method not in SAFE_METHODS and hasattr(self.view, "write_serializer_class")

    def _is_detail(self) -> bool:
        return "{slug}" in self.path

    def get_summary(self) -> str | None:
        # a view's own summary (search, the timeline) before the one made from its model
        summary = getattr(self.view, "schema_summary", None)
        model = self._model()
        if summary or model is None:
            return summary
        meta = model._meta
        if self._is_write():
            return WRITE_SUMMARIES[self.method].format(a(meta.verbose_name))
        if getattr(self.view, "action", None) == "history":
            return f"Versions of {a(meta.verbose_name)}"
        if self._is_list_view():
            return f"List {meta.verbose_name_plural}"
        key = "slug" if getattr(self.view, "lookup_field", "pk") == "slug" else "id"
        return f"Get {a(meta.verbose_name)} by {key}"

    def _map_serializer(self, serializer, direction, bypass_extensions=False) -> dict:
        schema = super()._map_serializer(serializer, direction, bypass_extensions)
        if direction == "request" and getattr(serializer, "refuses_unknown_fields", False):
            schema["additionalProperties"] = False  # an unknown field is a 400, not ignored
        return schema

    def get_auth(self) -> list:
        if self.method in SAFE_METHODS and not getattr(self.view, "read_errors", None):
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

    def _get_parameters(self) -> list[dict]:
        parameters = super()._get_parameters()
        model = self._model()
        model_name = model._meta.model_name if model else ""
        for parameter in parameters:
            self._constrain(parameter)
            self._give_example(parameter, model_name)
        return parameters

    def _give_example(self, parameter: dict, model_name: str) -> None:
        example = example_for(model_name, parameter["name"])
        if example is None:
            return
        # a list, its facets or the change feed: a read of no one record
        listed = self.method == "GET" and "{" not in self.path
        if not listed or parameter.get("required") or parameter["name"] in TRY_IT_OUT_TOGETHER:
            parameter["example"] = example
            return
        values = example if isinstance(example, list) else [example]
        shown = ", ".join(f"`{value}`" for value in values)
        description = parameter.get("description", "").rstrip()
        parameter["description"] = f"{description}\n\nExample: {shown}."

    @staticmethod
    def _constrain(parameter: dict) -> None:
        name, schema = parameter["name"], parameter["schema"]
        target = schema["items"] if schema.get("type") == "array" else schema
        if name in SLUG_PARAMETERS or name == "slug":
            target.update(CONSTRAINTS["slug"])
        elif name in {"date_from", "date_to"}:
            target.update(CONSTRAINTS["date"])
        elif name in CONSTRAINTS:
            target.update(CONSTRAINTS[name])
        elif name == "id":
            target.update({"minimum": 1, "maximum": 10**18 - 1})
        if name == "format":
            parameter["description"] = (
                "Format of the answer, instead of the Accept header. CSV, NDJSON and JSON-LD "
                "lists are the whole result, streamed, unless a page parameter is given."
            )
        if name == "ordering":
            several = schema.get("type") == "array"  # a list's ordering; the timeline takes one
            parameter["schema"] = ordering_schema(target["enum"], several)
            parameter.pop("explode", None)
            parameter.pop("style", None)
            values = parameter["schema"]["anyOf"][0] if several else parameter["schema"]
            parameter["description"] = (ORDERING_HELP if several else ONE_ORDERING_HELP).format(
                description=parameter["description"].split("\n\n")[0],
                values=", ".join(f"`{value}`" for value in values["enum"]),
            )
        if parameter["in"] == "query" and not parameter.get("required"):
            # an empty value means the parameter is absent, as HTML forms send unset fields
            parameter["allowEmptyValue"] = True

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
        elif getattr(self.view, "write_errors", None) and self.method not in SAFE_METHODS:
            errors = self.view.write_errors  # an editor's action (ingest, accept, reject)
        elif self.method == "GET":
            errors = {**ERRORS, **getattr(self.view, "read_errors", {})}
            for media_type, content in bodies.get("200", {}).get("content", {}).items():
                if media_type in OTHER_FORMATS:
                    content["schema"] = OTHER_FORMATS[media_type]
        else:
            return bodies
        for code, description in sorted(errors.items()):
            response = OpenApiResponse(response=ErrorSerializer, description=description)
            body = self._get_response_for_code(response, code, direction=direction)
            # errors are JSON whatever format was asked for
            body["content"] = {"application/json": body["content"]["application/json"]}
            bodies[code] = body
        return bodies

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


def link_writes(result: dict, generator, request, public) -> dict:
    """OpenAPI links from each answer that names a record to the writes on it: a created record
    (201) and a read or changed one (200) give their slug and their ETag, which the record's
    PATCH, PUT and DELETE take as `slug` and If-Match. Clients and stateful fuzzing follow them
    (create a record, read it, change it, delete it)."""
    paths = result["paths"]
    for path, methods in paths.items():
        detail = paths.get(f"{path}{{slug}}/", {})
        if "post" not in methods or "delete" not in detail:
            continue
        writes = {method: detail[method]["operationId"] for method in ("patch", "put", "delete")}
        created = {**writes, "get": detail["get"]["operationId"]}
        methods["post"]["responses"]["201"]["links"] = _links(created, "$response.body#/slug")
        for method in ("get", "put", "patch"):
            answer = detail[method]["responses"]["200"]
            answer["links"] = _links(writes, "$request.path.slug")
    return result


def _links(targets: dict[str, str], slug: str) -> dict:
    links = {}
    for method, operation_id in targets.items():
        parameters = {"slug": slug}
        if method != "get":
            parameters["header.If-Match"] = "$response.header.ETag"
        links[operation_id] = {"operationId": operation_id, "parameters": parameters}
    return links
