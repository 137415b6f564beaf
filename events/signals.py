"""Derived columns, filled before every save.

These run as pre_save receivers rather than in Model.save() because `loaddata` saves raw (it
skips Model.save()) and fixtures must not have to carry values the code can derive.
"""

from django.db.models.signals import m2m_changed, pre_save
from django.dispatch import receiver
from django.utils import timezone

from events.models import Dated, Source, Timestamped


@receiver(pre_save)
def fill_derived_columns(sender, instance, **kwargs) -> None:
    if isinstance(instance, Dated):
        instance.fill_date_bounds()
    if isinstance(instance, Source):
        instance.text_sha256 = instance.compute_sha256()
    if isinstance(instance, Timestamped):
        instance.updated_at = timezone.now()


@receiver(m2m_changed)
def touch_on_relation_change(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    """A change of a record's topics, places or people is a change of the record."""
    if not action.startswith("post_"):
        return
    now = timezone.now()
    if reverse:
        # `topic.statements.add(s)`: the records on the other side changed
        if issubclass(model, Timestamped) and pk_set:
            model.objects.filter(pk__in=pk_set).update(updated_at=now)
    elif isinstance(instance, Timestamped):
        type(instance).objects.filter(pk=instance.pk).update(updated_at=now)
        instance.updated_at = now
