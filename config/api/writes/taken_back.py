"""A PUT or PATCH body that holds fields as a GET of the record shows them."""

import re
from collections.abc import Mapping
from typing import Any

import orjson
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from config.api.renderers import dumps
from config.api.writes.fields import RecordSlugField, RecordSlugListField
from config.api.writes.serializers import unknown_fields

READ_ONLY_CHANGED = (
    "Read-only, and the record holds another value: leave it out, or send it as a GET shows it."
)


# the scheme and host of an absolute address, which the ETag leaves out too (body_digest)
ORIGIN = re.compile(r"^https?://[^/?#]+(?=/)")


def _comparable(value: Any, nested: bool = False) -> Any:
    """A JSON value with the addresses of the records it holds (the strings of its objects, or
    all its strings when `nested`) without their scheme and host, as the ETag takes them: a
    body read under one host name and sent to another still holds the same records. A text or
    a list of texts the write takes (`article_url`, `aliases`) stays exactly as it is."""
    if isinstance(value, str):
        return ORIGIN.sub("", value, count=1) if nested else value
    if isinstance(value, list):
        return [_comparable(item, nested) for item in value]
    if isinstance(value, Mapping):
        return {key: _comparable(item, nested=True) for key, item in value.items()}
    return value


def _as_slugs(field: serializers.Field, value: Any, shown: Any) -> Any:
    """Related records given as a GET shows them (an object holding the slug) as their slugs,
    which the write takes; only objects the record shows, a new link is given by its slug."""

    def is_shown(item: Any, shown: list) -> bool:
        return isinstance(item, Mapping) and _comparable(item) in _comparable(shown)

    if isinstance(field, RecordSlugField) and is_shown(value, [shown]):
        return value.get("slug", value)
    if isinstance(field, RecordSlugListField) and isinstance(value, list):
        shown = shown if isinstance(shown, list) else []
        return [item.get("slug", item) if is_shown(item, shown) else item for item in value]
    return value


def as_shown_taken_back(body: Any, shown: dict, fields: Mapping, partial: bool) -> Any:
    """The body of a PUT or PATCH as the write serializer (`fields`) reads it, when it holds
    fields as a GET of the record shows them (`shown`, the JSON answer): a client may send back
    what it read, changed or not.

    A field the write does not take (read-only: `url`, `created_at`, a statement's `wordings`)
    is left out when its value is the record's, and refused by name when it is not; a writable
    field whose value is the record's is left out too, a write of what is already there (unless
    a PUT requires it), and a related record sent as the GET shows it (`{"slug": ..., "name":
    ...}`) is taken as its slug. Records' addresses compare without their host (`_comparable`).
    Fields a GET does not show are the serializer's to judge.
    """
    if not isinstance(body, Mapping):
        return body
    shown = orjson.loads(dumps(shown))  # as JSON, as the body is: numbers, not Decimals
    taken, errors = {}, {}
    for name, value in body.items():
        if name not in shown:
            taken[name] = value  # the serializer's to judge (a name it does not know: refused)
            continue
        field = fields.get(name)
        writable = field is not None and not field.read_only
        same = _comparable(value, not writable) == _comparable(shown[name], not writable)
        if not writable:
            if not same:
                errors[name] = [READ_ONLY_CHANGED]
        elif not same or (field.required and not partial):
            taken[name] = _as_slugs(field, value, shown[name])
    if errors:
        raise ValidationError({**errors, **unknown_fields(taken, fields)})
    return taken
