"""Derived columns, filled before every save; the dataset version, bumped after every write
(once for all the saves of one write: `config.db.history.once_at_end`).

These run as receivers rather than in Model.save() because `loaddata` saves raw (it skips
Model.save()) and fixtures must not have to carry values the code can derive.
"""

from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from config.db.history import is_tracked, once_at_end, tracked_models
from events.models import DatasetVersion, Dated, Source, Timestamped


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


def bump_dataset_version(using: str) -> None:
    """One UPDATE, in the writer's transaction: the new version commits or rolls back with it."""
    updated = DatasetVersion.objects.using(using).filter(pk=DatasetVersion.ROW)
    if not updated.update(version=F("version") + 1, changed_at=timezone.now()):
        DatasetVersion.objects.using(using).create(
            pk=DatasetVersion.ROW, version=1, changed_at=timezone.now()
        )


@receiver(post_save)
def dataset_record_written(sender, using, **kwargs) -> None:
    if is_tracked(sender):
        once_at_end(("dataset version", using), lambda: bump_dataset_version(using))


@receiver(m2m_changed)
def dataset_relation_written(sender, instance, action, using, **kwargs) -> None:
    if action.startswith("post_") and is_tracked(type(instance)):
        once_at_end(("dataset version", using), lambda: bump_dataset_version(using))


def connect_deletions() -> None:
    """A deletion of a dataset record bumps the version too. Connected model by model: a
    `post_delete` receiver of every model would keep Django from deleting the rows of a
    many-to-many field in one query (it reads them first, for the receiver)."""
    for model in tracked_models():
        post_delete.connect(
            dataset_record_written, sender=model, dispatch_uid=f"dataset-deleted-{model._meta}"
        )
