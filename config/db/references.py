"""Records that others link to: who links to one, and unlinking them with a trace.

A topic, place, event or person is linked from other records' many-to-many fields (a
statement's `topics`, an event's `participants`, ...). Deleting it would empty those links
silently, so a deletion is refused while links remain (`referrers`), unless the editor asks
for the unlinking (`unlink`): each linking record then loses the link as a change of its own,
a new version in its history (by the editor, with the reason), a new ETag, an entry in the
change feed. Links the database protects (a statement's speaker, an occasion) are refused by
it whatever is asked: those must be changed first.
"""

from django.db import models

from config.db.history import is_tracked

MAX_NAMED = 5  # referrers a refusal names; the rest are counted


def linking_fields(model: type[models.Model]) -> list[models.ManyToManyField]:
    """The many-to-many fields of dataset records that point at `model`."""
    return [
        relation.remote_field
        for relation in model._meta.related_objects
        if relation.many_to_many and is_tracked(relation.related_model)
    ]


def referrers(record: models.Model) -> list[tuple[models.ManyToManyField, models.Model]]:
    """Each (field, record) that links to `record` through a many-to-many field, in a stable
    order: one query per linking field."""
    found = []
    for field in linking_fields(type(record)):
        linking = field.model.objects.filter(**{field.name: record}).order_by("pk")
        found.extend((field, other) for other in linking)
    return found


def describe(found: list[tuple[models.ManyToManyField, models.Model]]) -> str:
    """`statement a (topics), event b (topics) and 3 more`, for a refusal."""
    named = [
        f"{other._meta.verbose_name} {getattr(other, 'slug', other.pk)} ({field.name})"
        for field, other in found[:MAX_NAMED]
    ]
    more = len(found) - MAX_NAMED
    return ", ".join(named) + (f" and {more} more" if more > 0 else "")


def unlink_reason(record: models.Model) -> str:
    """The reason each unlinked record's new version gives."""
    return f"unlinked from {record._meta.verbose_name} {record.slug}, deleted"


def unlink(record: models.Model) -> int:
    """Remove every many-to-many link to `record`, each from the linking record's side so that
    it is that record's change (run it inside `one_version_each` to make it one version each,
    by the request's editor). Returns how many links were removed."""
    found = referrers(record)
    for field, other in found:
        getattr(other, field.name).remove(record)
    return len(found)
