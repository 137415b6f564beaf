"""History of every record: one library (django-simple-history), registered on every model.

Each create, update and delete becomes a historical row holding the record's fields as they
were, when, who (the user, or none) and a version number counted per record. Inside
`one_version_each()` a record's saves and the many-to-many changes that go with them become a
single version, recorded as the block ends, so that an edit in the admin or a release merge is
one entry in the history and the change feed, not one per relation it touched.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connections, models
from django.db.models import Max
from django.dispatch import receiver
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

CHANGE_NAMES = {"+": "created", "~": "updated", "-": "deleted"}

# model class -> its ParleyHistory, to record a version by hand
_registry: dict[type[models.Model], "ParleyHistory"] = {}
# inside one_version_each(): (model, pk) -> [history, instance, created]
_pending: ContextVar[dict | None] = ContextVar("parley_pending_versions", default=None)
# inside one_version_each(): key -> what to do once as it ends (`once_at_end`)
_at_end: ContextVar[dict | None] = ContextVar("parley_at_end", default=None)
# inside one_version_each(): the reason its versions are recorded with
_reason: ContextVar[str] = ContextVar("parley_version_reason", default="")


class VersionedHistory(models.Model):
    """Base of every historical model: the record's version number, from 1."""

    version = models.PositiveIntegerField(
        default=1, help_text="The record's version: 1 when created, one more on every change."
    )

    class Meta:
        abstract = True

    @property
    def change(self) -> str:
        return CHANGE_NAMES[self.history_type]


class ParleyHistory(HistoricalRecords):
    """HistoricalRecords with version numbers, remembering which model it serves."""

    def __init__(self, **kwargs):
        kwargs.setdefault("bases", [VersionedHistory])
        super().__init__(**kwargs)

    def get_meta_options(self, model) -> dict:
        """The historical model's options, with the index of the change feed's order: its
        versions by time, then by history id (config.api.history reads them that way, from
        any position, without sorting)."""
        options = super().get_meta_options(model)
        name = f"history_{model._meta.model_name}_feed"
        options["indexes"] = [models.Index(fields=["history_date", "history_id"], name=name)]
        return options

    def finalize(self, sender, **kwargs) -> None:
        super().finalize(sender, **kwargs)
        if self.cls is sender:
            _registry[sender] = self

    def post_save(self, instance, created, using=None, **kwargs) -> None:
        if not self._defer(instance, created, kwargs.get("raw", False)):
            super().post_save(instance, created, using=using, **kwargs)

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs) -> None:
        if not action.startswith("post_") or not self._defer(instance, False, False):
            super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)

    def create_historical_record_m2ms(self, history_instance, instance) -> None:
        """Each many-to-many field's links as they stand, copied into the new version by one
        `INSERT ... SELECT` a field (the library reads each field's links back as model
        instances and inserts them: three queries a field). Its m2m record signals are not
        sent; nothing here listens to them."""
        connection = connections[history_instance._state.db]
        quote = connection.ops.quote_name
        for field in history_instance._history_m2m_fields:
            through = field.remote_field.through._meta
            history = self.m2m_models[field]._meta
            columns = ", ".join(quote(column.column) for column in through.fields)
            source = quote(through.get_field(field.m2m_field_name()).column)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {quote(history.db_table)} "
                    f"({columns}, {quote(history.get_field('history').column)}) "
                    f"SELECT {columns}, %s FROM {quote(through.db_table)} WHERE {source} = %s "
                    f"ORDER BY {quote(through.pk.column)}",
                    [history_instance.pk, instance.pk],
                )

    def post_delete(self, instance, using=None, **kwargs) -> None:
        pending = _pending.get()
        if pending is not None:
            pending.pop((type(instance), instance.pk), None)
        super().post_delete(instance, using=using, **kwargs)

    def _defer(self, instance, created: bool, raw: bool) -> bool:
        """Note the change for the end of one_version_each(), if inside it."""
        pending = _pending.get()
        if pending is None or raw or hasattr(instance, "skip_history_when_saving"):
            return False
        if type(instance) is not self.cls:  # a reverse m2m change: the other side's record
            return False
        entry = pending.setdefault((type(instance), instance.pk), [self, instance, created])
        entry[1] = instance
        return True


@receiver(pre_create_historical_record)
def number_the_version(sender, instance, history_instance, **kwargs) -> None:
    if isinstance(history_instance, VersionedHistory):
        pk_name = instance._meta.pk.attname
        latest = sender.objects.filter(**{pk_name: instance.pk}).aggregate(n=Max("version"))["n"]
        history_instance.version = (latest or 0) + 1


def changed_fields(record: models.Model, before: models.Model) -> list[str]:
    """The fields whose value in `record` differs from `before`, the same record as stored:
    those an editor sets (editable ones), not what a save derives from them (timestamps, a
    text's digest, the speaker's names copied for search).

    A write that changes none of them and none of the record's relations is no change: the
    API (config.api.writes) and the admin (events.admin) save nothing then, so no version is
    recorded, the change feed and the dataset version stay as they are, and so does the ETag.
    """
    return [
        field.name
        for field in record._meta.concrete_fields
        if field.editable and field.value_from_object(record) != field.value_from_object(before)
    ]


def tracked_models() -> list[type[models.Model]]:
    """Every model whose history is kept, in the order they were declared."""
    return list(_registry)


def m2m_history(model: type[models.Model], field: models.Field) -> type[models.Model]:
    """The historical model that keeps, version by version, the many-to-many `field` of
    `model`."""
    return _registry[model].m2m_models[field]


def is_tracked(model: type[models.Model]) -> bool:
    """A record of the dataset: a model whose history is kept (not a history row itself)."""
    return model in _registry


@contextmanager
def one_version_each(*, reason: str = "") -> Iterator[None]:
    """Record each record changed inside the block as one version, when the block ends (or
    when `record_versions()` is called inside it).

    Nothing is recorded if the block raises, so a failed write leaves no trace in the history.
    Run it inside the transaction of the write, so the versions commit with it (and, if the
    block raises after `record_versions()`, go with it).
    """
    if _pending.get() is not None:  # nested: the outer block records
        yield
        return
    tokens = _pending.set({}), _at_end.set({}), _reason.set(reason)
    try:
        yield
        record_versions()
        at_end = _at_end.get()
    finally:
        for variable, token in zip((_pending, _at_end, _reason), tokens, strict=True):
            variable.reset(token)
    for action in at_end.values():
        action()


def record_versions() -> None:
    """Record now, inside `one_version_each()`, a version of each record changed in it so far,
    and forget them: a block that writes many records a batch at a time (a release merge) holds
    one batch's records, not all of them. A record changed again after it gets a version of
    its own for that change."""
    pending, reason = _pending.get(), _reason.get()
    if not pending:
        return
    for history, instance, created in pending.values():
        if reason:
            instance._change_reason = reason
        history.create_historical_record(instance, "+" if created else "~")
    pending.clear()


def versions_pending() -> bool:
    """Whether the enclosing `one_version_each()` block will record a version: some record
    changed inside it so far."""
    return bool(_pending.get())


def once_at_end(key: object, action: Callable[[], None]) -> None:
    """Do `action` once, as the enclosing `one_version_each()` block ends, however many times
    it is asked for under `key` inside it (a write that saves a record, its relations and its
    citations bumps the dataset version once); at once outside such a block."""
    at_end = _at_end.get()
    if at_end is None:
        action()
    else:
        at_end.setdefault(key, action)


def m2m_relations(model) -> list[tuple[str, str, str]]:
    """(field name, accessor of its rows on a historical record, target field of a row)."""
    history = _registry[model]
    relations = []
    # in the model's declared order: simple-history keeps them as a set, whose order changes
    # from one process to the next (and with it the order of a version's fields)
    for field in model._meta.many_to_many:
        m2m_model = history.m2m_models.get(field)
        if m2m_model is not None and field.model is model:
            accessor = m2m_model._meta.get_field("history").remote_field.get_accessor_name()
            relations.append((field.name, accessor, field.m2m_reverse_field_name()))
    return relations
