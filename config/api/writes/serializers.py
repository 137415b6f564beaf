"""The base of every write serializer: a closed body, validated as the admin validates it."""

from collections.abc import Mapping
from copy import copy as shallow_copy

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from config.api.writes.fields import (
    BooleanField,
    CharField,
    DateField,
    DecimalField,
    IntegerField,
    SlugField,
    URLField,
)
from config.db.history import changed_fields
from config.db.slugs import SLUG_MESSAGE, SLUG_RE


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
