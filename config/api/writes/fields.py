"""The fields of a write's body: values only of the JSON type the schema gives, related records by
slug."""

from collections.abc import Mapping

from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.relations import MANY_RELATION_KWARGS

from config.db.slugs import SLUG_RE


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
