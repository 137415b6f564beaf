"""Derived columns, filled before every save.

These run as pre_save receivers rather than in Model.save() because `loaddata` saves raw (it
skips Model.save()) and fixtures must not have to carry values the code can derive.
"""

from django.db.models.signals import pre_save
from django.dispatch import receiver

from events.models import Dated, Source


@receiver(pre_save)
def fill_derived_columns(sender, instance, **kwargs) -> None:
    if isinstance(instance, Dated):
        instance.fill_date_bounds()
    if isinstance(instance, Source):
        instance.text_sha256 = instance.compute_sha256()
