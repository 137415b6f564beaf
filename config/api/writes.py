"""Writes: the base of every write serializer, and the viewset mixin that runs them.

A write is one transaction and one version in each changed record's history
(`one_version_each`), with the editor recorded as its author as the admin records one (DRF sets
the token's user on the request that simple-history's middleware holds). It fails whole: a
refused write changes nothing. Who may write is `config.api.permissions`; the If-Match check
is `config.api.preconditions`; the rules are the models' own (`full_clean()`) and those of
`statements.services`, the same code the admin runs.

A PUT or PATCH that changes nothing (the record as it stands, or an empty PATCH) saves nothing
(`WriteSerializer.write`): after the same If-Match check and validation as any other write, it
answers the record with the ETag it had, and records no version.
"""

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from copy import copy as shallow_copy
from functools import cache
from typing import Any

import orjson
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, models, transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.permissions import SAFE_METHODS
from rest_framework.relations import MANY_RELATION_KWARGS
from rest_framework.response import Response

from config.api.permissions import WriteAccessMixin
from config.api.preconditions import check_current, locked
from config.api.renderers import JSONRenderer, dumps
from config.db.history import changed_fields, one_version_each
from config.db.references import describe, referrers, unlink, unlink_reason
from config.db.slugs import SLUG_MESSAGE, SLUG_RE


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The write conflicts with other records; nothing was changed."
    default_code = "conflict"


def _json_typed(field_class: type, types: tuple, name: str) -> type:
    """`field_class` refusing a value of another JSON type (0 for a string, "1" for a number,
    "yes" for a boolean) rather than coercing it: the body must be what the schema says."""

    class JsonTyped(field_class):
        default_error_messages = {"json_type": f"Must be a {name}."}

        def to_internal_value(self, data):
            if not isinstance(data, types) or (isinstance(data, bool) and bool not in types):
                self.fail("json_type")
            return super().to_internal_value(data)

    JsonTyped.__name__ = JsonTyped.__qualname__ = field_class.__name__
    return JsonTyped


CharField = _json_typed(serializers.CharField, (str,), "string")
SlugField = _json_typed(serializers.SlugField, (str,), "string")
URLField = _json_typed(serializers.URLField, (str,), "string")
BooleanField = _json_typed(serializers.BooleanField, (bool,), "boolean (true or false)")
IntegerField = _json_typed(serializers.IntegerField, (int,), "whole number")
DecimalField = _json_typed(serializers.DecimalField, (int, float), "number")  # as read
DateField = _json_typed(serializers.DateField, (str,), "string (YYYY-MM-DD)")


class RecordSlugField(serializers.SlugRelatedField):
    """A related record given by its slug, as the API shows it. Anything that is not a slug
    is refused before the database is asked."""

    default_error_messages = {
        "does_not_exist": "No record with slug {value}.",
        "invalid": "Give the record's slug (lowercase letters, digits and hyphens).",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "slug")
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or not SLUG_RE.match(data):
            self.fail("invalid")
        return super().to_internal_value(data)

    @classmethod
    def many_init(cls, *args, **kwargs):
        help_text = kwargs.get("help_text", "")
        kwargs["help_text"] = (
            f"{help_text} At most {MAX_LINKS}; a slug given twice counts once."
        ).strip()
        list_kwargs = {key: value for key, value in kwargs.items() if key in MANY_RELATION_KWARGS}
        return RecordSlugListField(child_relation=cls(*args, **kwargs), **list_kwargs)


MAX_LINKS = 50  # slugs in one list of related records (topics, places, about, participants)


class RecordSlugListField(serializers.ManyRelatedField):
    """Related records given as a list of slugs: at most `MAX_LINKS`, each checked as a slug,
    repeats dropped, and all found with one query, whatever the list's length."""

    def to_internal_value(self, data):
        if isinstance(data, str | Mapping) or not isinstance(data, list):
            self.fail("not_a_list", input_type=type(data).__name__)
        if not self.allow_empty and not data:
            self.fail("empty")
        if len(data) > MAX_LINKS:
            raise ValidationError(f"At most {MAX_LINKS} slugs; {len(data)} were given.")
        for item in data:
            if not isinstance(item, str) or not SLUG_RE.match(item):
                self.child_relation.fail("invalid")
        slugs = list(dict.fromkeys(data))
        found = {
            record.slug: record
            for record in self.child_relation.get_queryset().filter(slug__in=slugs)
        }
        missing = [slug for slug in slugs if slug not in found]
        if missing:
            shown = ", ".join(missing[:5]) + (" and more" if len(missing) > 5 else "")
            raise ValidationError(f"No record with slug {shown}.")
        return [found[slug] for slug in slugs]


class ClosedBodyMixin:
    """A body whose fields are all known: any other is refused, by name, rather than ignored."""

    refuses_unknown_fields = True  # the schema says so too (config.api.schema)

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = unknown_fields(data, self.fields)
            if unknown:
                raise ValidationError(unknown)
        return super().to_internal_value(data)


def unknown_fields(data: Mapping, fields: Mapping) -> dict[str, list[str]]:
    """The errors of the names in `data` that are no writable field of `fields`."""
    writable = sorted(name for name, field in fields.items() if not field.read_only)
    message = f"Unknown or read-only field. Writable: {', '.join(writable)}."
    return {str(name)[:60]: [message] for name in sorted(set(data) - set(writable))}


class WriteSerializer(ClosedBodyMixin, serializers.ModelSerializer):
    """The body of a write to one record: its writable fields, related records by slug.

    After each field's own checks, the record as it would be saved is built and the model's
    `full_clean()` runs on it (validators, `clean()`, constraints), so the API refuses what the
    admin refuses; `check()` adds the rules that span several records. A field the serializer
    does not know is refused, as is a change of slug: a slug is how others refer to a record.
    Values are taken only in the JSON type the schema gives them.
    """

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: CharField,
        models.TextField: CharField,
        models.SlugField: SlugField,
        models.URLField: URLField,
        models.BooleanField: BooleanField,
        models.IntegerField: IntegerField,
        models.PositiveIntegerField: IntegerField,
        models.DecimalField: DecimalField,
        models.DateField: DateField,
    }

    def validate_slug(self, value: str) -> str:
        if not SLUG_RE.match(value):
            raise ValidationError(SLUG_MESSAGE)
        if self.instance is not None and value != self.instance.slug:
            raise ValidationError(
                "A record's slug never changes: it is how others refer to it. Create a new "
                "record under the new slug instead."
            )
        return value

    def validate(self, attrs: dict) -> dict:
        record = self.build(attrs, copy=True)
        derived = [field.name for field in record._meta.fields if not field.editable]
        if self.instance is not None:
            derived.append("slug")  # unchanged (validate_slug), so still unique
        try:
            record.full_clean(exclude=derived)
        except DjangoValidationError as error:
            raise ValidationError(self.field_errors(error)) from error
        self.check(record, attrs)
        return attrs

    def check(self, record: models.Model, attrs: dict) -> None:
        """Rules beyond the record itself; raise ValidationError keyed by field."""

    def build(self, attrs: dict, copy: bool = False) -> models.Model:
        """The record with the given fields set (a copy of the existing one when `copy`, made
        in memory: the write has read and locked the record already, and a model instance's
        copy has field values and a cache of related records of its own)."""
        model = self.Meta.model
        if self.instance is None:
            record = model()
        elif copy:
            record = shallow_copy(self.instance)
        else:
            record = self.instance
        concrete = {field.name for field in model._meta.concrete_fields}
        for name, value in attrs.items():
            if name in concrete:
                setattr(record, name, value)
        return record

    def field_errors(self, error: DjangoValidationError) -> dict:
        """A model's errors keyed by the names the API uses for its fields."""
        if not hasattr(error, "error_dict"):
            return {"non_field_errors": error.messages}
        names = {field.source: name for name, field in self.fields.items()}
        return {
            "non_field_errors" if key == "__all__" else names.get(key, key): messages
            for key, messages in error.message_dict.items()
        }

    def create(self, validated_data: dict) -> models.Model:
        return self.write(validated_data)

    def update(self, instance: models.Model, validated_data: dict) -> models.Model:
        return self.write(validated_data)

    def write(self, validated_data: dict) -> models.Model:
        """Save the record (new, or `self.instance`) and set the relations given.

        A write to a record that changes none of its fields (`changed_fields`) and none of its
        relations (the same records in another order are the same relation) saves nothing:
        `self.saved` is then False, and the record keeps its version and its ETag.
        """
        model = self.Meta.model
        relations = {
            field.name: validated_data[field.name]
            for field in model._meta.many_to_many
            if field.name in validated_data
        }
        if self.instance is None:
            record = self.build(validated_data)
            record.save()
            for name, related in relations.items():
                getattr(record, name).set(related)
            self.saved = True
            return record
        # each relation's links as they stand: what `set()` would read, read here to compare
        linked = {
            name: set(getattr(self.instance, name).values_list("pk", flat=True))
            for name in relations
        }
        before = shallow_copy(self.instance)
        record = self.build(validated_data)
        relinked = {name for name, related in relations.items()
                    if {item.pk for item in related} != linked[name]}  # fmt: skip
        self.saved = bool(relinked or changed_fields(record, before))
        if not self.saved:
            return record
        record.save()
        for name in relinked:
            # as `set()` does, from the links read above
            given = relations[name]
            manager = getattr(record, name)
            manager.remove(*(linked[name] - {item.pk for item in given}))
            manager.add(*(item for item in given if item.pk not in linked[name]))
        return record


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


UNLINK_PARAMETER = OpenApiParameter(
    "unlink",
    bool,
    description="true to delete a record that other records link to (a topic, place, event "
    "or person in their topics, places, about or participants): each loses the link as a new "
    "version of its own, by you, with the reason in its history. Without it such a deletion "
    "is a 409 naming them. Links the database protects (a speaker, an occasion, a cited "
    "source) are refused either way.",
)


def unlink_asked(request) -> bool:
    """`?unlink=true`; false when absent, empty or false; a 400 for anything else."""
    raw = [value for value in request.query_params.getlist("unlink") if value != ""]
    if not raw:
        return False
    if len(raw) > 1 or raw[0] not in {"true", "false"}:
        raise ValidationError({"unlink": ["Give unlink=true or unlink=false, once."]})
    return raw[0] == "true"


class WriteViewSetMixin(
    WriteAccessMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin
):
    """POST on the list, PUT, PATCH and DELETE on the detail of a slug viewset.

    A change reads its record once, in its transaction, with the records it refers to and its
    row locked (`locked_object()`); If-Match is checked against its current tag under that lock,
    and `write_serializer_class` validates the body and saves through that same instance. The
    answer is the record as a GET of it answers (`answer()`), with its new ETag; a write that
    changed nothing answers the record as it was read, with the ETag it had.
    """

    write_serializer_class: type[WriteSerializer]

    def get_serializer_class(self):
        if self.request is not None and self.request.method not in SAFE_METHODS:
            return self.write_serializer_class
        return super().get_serializer_class()

    def get_renderers(self) -> list:
        if self.request is not None and self.request.method not in SAFE_METHODS:
            return [JSONRenderer()]  # a write answers JSON, the shape its body was sent in
        return super().get_renderers()

    def filter_queryset(self, queryset):
        """A write names its record by slug: the list's filters do not apply to it, and a
        parameter it does not take is refused by name (a DELETE takes `unlink`)."""
        if self.request is None or self.request.method in SAFE_METHODS:
            return super().filter_queryset(queryset)
        allowed = {"format", *(["unlink"] if self.request.method == "DELETE" else [])}
        unknown = sorted(set(self.request.query_params) - allowed)
        if unknown:
            raise ValidationError(
                {
                    name[:60]: [f"Unknown parameter. Allowed: {', '.join(sorted(allowed))}."]
                    for name in unknown
                }
            )
        return queryset

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.request is not None and self.request.method not in SAFE_METHODS:
            # what the validation and the save read of the records this one refers to
            forward = [field.name for field in queryset.model._meta.concrete_fields
                       if field.many_to_one]  # fmt: skip
            queryset = queryset.select_related(*forward)
        return queryset

    def locked_object(self) -> models.Model:
        """The record the write names, read once with its row locked until the write commits
        (`config.api.preconditions`), and If-Match checked against its current tag."""
        queryset = locked(self.filter_queryset(self.get_queryset()))
        slug = self.kwargs[self.lookup_field]
        record = self.record_in(queryset, slug)
        self.check_object_permissions(self.request, record)
        # the record as a GET shows it, and its tag: read once, for If-Match and for the body
        self.shown = cache(lambda: self.answer(slug, record=record))
        check_current(self.request, lambda: self.shown()[1])
        return record

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        with _conflicts_refused(), transaction.atomic(), one_version_each():
            serializer.is_valid(raise_exception=True)
            record = serializer.save()
        response = self.record_response(record, status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(record.get_absolute_url())
        return response

    def update(self, request, *args, partial: bool = False, **kwargs):
        with _conflicts_refused(), transaction.atomic(), one_version_each():
            record = self.locked_object()
            fields = self.get_serializer(record, partial=partial).fields
            data = as_shown_taken_back(request.data, self.shown()[0], fields, partial)
            serializer = self.get_serializer(record, data=data, partial=partial)
            serializer.is_valid(raise_exception=True)
            record = serializer.save()
        if not serializer.saved:
            # nothing changed, nothing saved: the record as it was read, with the same ETag
            data, tag = self.shown()
            return Response(data, status=status.HTTP_200_OK, headers={"ETag": tag})
        return self.record_response(record, status.HTTP_200_OK)

    @extend_schema(parameters=[UNLINK_PARAMETER])
    def destroy(self, request, *args, **kwargs):
        unlinking = unlink_asked(request)
        with _conflicts_refused(), transaction.atomic():
            record = self.locked_object()
            reason = unlink_reason(record) if unlinking else ""
            with one_version_each(reason=reason):
                self.check_destroy(record)
                if unlinking:
                    unlink(record)
                else:
                    linked = referrers(record)
                    if linked:
                        raise Conflict(
                            f"Other records link to this one: {describe(linked)}. Deleting it "
                            "would remove those links: send the DELETE again with ?unlink=true "
                            "to remove them, each as a new version of its record; nothing was "
                            "changed."
                        )
                record.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)

    def check_destroy(self, record: models.Model) -> None:
        """Refuse a deletion a rule forbids (ValidationError); none by default."""

    def record_response(self, record: models.Model, code: int) -> Response:
        data, tag = self.answer(record.slug)
        return Response(data, status=code, headers={"ETag": tag})


@contextmanager
def _conflicts_refused() -> Iterator[None]:
    """Turn the database's refusals into a 409: a record others still refer to (PROTECT), or
    a uniqueness another write took first, between our check and our insert."""
    try:
        yield
    except models.ProtectedError as error:
        blocking = sorted(
            f"{record._meta.verbose_name} {getattr(record, 'slug', record.pk)}"
            for record in error.protected_objects
        )
        raise Conflict(
            f"Other records refer to this one: {', '.join(blocking[:5])}"
            f"{' and more' if len(blocking) > 5 else ''}. Change or delete them first; "
            "nothing was changed."
        ) from error
    except IntegrityError as error:
        raise Conflict(f"The database refused the write: {error}") from error
