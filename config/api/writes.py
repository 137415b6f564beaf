"""Writes: the base of every write serializer, and the viewset mixin that runs them.

A write is one transaction and one version in each changed record's history
(`one_version_each`), with the editor recorded as its author as the admin records one (DRF sets
the token's user on the request that simple-history's middleware holds). It fails whole: a
refused write changes nothing. Who may write is `config.api.permissions`; the If-Match check is
`config.api.preconditions`; the rules are the models' own (`full_clean()`) and those of
`statements.services`, the same code the admin runs.
"""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, models, transaction
from rest_framework import mixins, serializers, status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from config.api.permissions import WriteAccessMixin
from config.api.preconditions import etag, lock_current
from config.api.renderers import JSONRenderer
from config.db.history import one_version_each
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


class ClosedBodyMixin:
    """A body whose fields are all known: any other is refused, by name, rather than ignored."""

    refuses_unknown_fields = True  # the schema says so too (config.api.schema)

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            writable = sorted(name for name, field in self.fields.items() if not field.read_only)
            unknown = sorted(set(data) - set(writable))
            if unknown:
                message = f"Unknown or read-only field. Writable: {', '.join(writable)}."
                raise ValidationError({str(name)[:60]: [message] for name in unknown})
        return super().to_internal_value(data)


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
        try:
            record.full_clean(exclude=derived)
        except DjangoValidationError as error:
            raise ValidationError(self.field_errors(error)) from error
        self.check(record, attrs)
        return attrs

    def check(self, record: models.Model, attrs: dict) -> None:
        """Rules beyond the record itself; raise ValidationError keyed by field."""

    def build(self, attrs: dict, copy: bool = False) -> models.Model:
        """The record with the given fields set (a copy of the existing one when `copy`)."""
        model = self.Meta.model
        if self.instance is None:
            record = model()
        elif copy:
            record = model.objects.get(pk=self.instance.pk)
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
        """Save the record (new, or `self.instance`) and set the relations given."""
        record = self.build(validated_data)
        record.save()
        for field in record._meta.many_to_many:
            if field.name in validated_data:
                getattr(record, field.name).set(validated_data[field.name])
        return record


class WriteViewSetMixin(
    WriteAccessMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin
):
    """POST on the list, PUT, PATCH and DELETE on the detail of a slug viewset.

    `write_serializer_class` reads the body; the answer is the record as GET shows it
    (`detail_serializer_class`, by default `serializer_class`) with its new ETag.
    """

    write_serializer_class: type[WriteSerializer]
    detail_serializer_class = None

    def get_serializer_class(self):
        if self.request is not None and self.request.method not in SAFE_METHODS:
            return self.write_serializer_class
        return super().get_serializer_class()

    def get_renderers(self) -> list:
        if self.request is not None and self.request.method not in SAFE_METHODS:
            return [JSONRenderer()]  # a write answers JSON, the shape its body was sent in
        return super().get_renderers()

    def get_detail_serializer_class(self):
        return self.detail_serializer_class or self.serializer_class

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
            lock_current(request, self.get_object())
            record = self.get_object()  # read again, under the lock
            serializer = self.get_serializer(record, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            record = serializer.save()
        return self.record_response(record, status.HTTP_200_OK)

    def destroy(self, request, *args, **kwargs):
        with _conflicts_refused(), transaction.atomic(), one_version_each():
            lock_current(request, self.get_object())
            record = self.get_object()
            self.check_destroy(record)
            record.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)

    def check_destroy(self, record: models.Model) -> None:
        """Refuse a deletion a rule forbids (ValidationError); none by default."""

    def record_response(self, record: models.Model, code: int) -> Response:
        fresh = self.get_queryset().get(pk=record.pk)
        serializer = self.get_detail_serializer_class()(
            fresh, context=self.get_serializer_context()
        )
        return Response(serializer.data, status=code, headers={"ETag": etag(fresh)})


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
