"""A plan written: `apply_merge()` writes it in one transaction, a model and a batch at a time,
each record as one version in its history, recorded as its batch ends, and undoes everything if
any rule of the dataset breaks: the refusal counts the broken rules and shows the first few of
each kind. Its memory holds a batch, whatever the number of records it writes or deletes.
`merge_release()` reads, plans and writes a release.
"""

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, models, transaction
from django.db.models.signals import pre_save

from config.db.history import m2m_history, m2m_relations, one_version_each, record_versions
from config.db.search import vocabulary
from events.models import LoadedRelease, ReleaseBaseline
from events.signals import bump_dataset_version
from statements.checks import Findings, check_dataset
from statements.dataset import DATASET_MODELS
from statements.release.plan import MergePlan, plan_merge
from statements.release.reading import Release, read_release, release_digest
from statements.release.records import BATCH, ReleaseError, chunks

REFUSED = "records the release gives that cannot be written"


@transaction.atomic
def apply_merge(
    plan: MergePlan, reason: str, digest: str = "", errors: Findings | None = None
) -> None:
    """Write a plan: one version per record, all or nothing, and the release as the baseline
    (with its `digest`, what `load_dataset --if-empty` compares a release with). A database
    that holds records is written a batch at a time, each batch's versions recorded as it
    ends: memory holds one batch, whatever the number of records updated or deleted.

    What breaks a rule goes into `errors` (counted, a few of each kind kept: see Findings),
    and the merge is undone."""
    errors = Findings() if errors is None else errors
    ids = {model: SlugIds(model) for model in DATASET_MODELS}
    if not any(model.objects.exists() for model in DATASET_MODELS):
        # an empty database: the first load, in bulk
        _create_all(plan.release, ids, reason, errors)
        bump_dataset_version(DEFAULT_DB_ALIAS)  # bulk writes send no signal
    else:
        with one_version_each(reason=reason):
            for model in DATASET_MODELS:  # every model after the models it refers to
                label = model._meta.label_lower
                for batch in plan.release.changed(label):
                    for cache in ids.values():  # the keys one batch needs, not every key
                        cache.clear()
                    # read in one query per model, as a first load reads them
                    _look_up_relations(model, batch, ids)
                    ids[model].read(slug for slug, _fields in batch)
                    for slug, fields in batch:
                        try:
                            _write(model, fields, ids)
                        except (ValidationError, IntegrityError, KeyError) as error:
                            errors.extend(
                                REFUSED, (f"{label} {slug}: {msg}" for msg in _messages(error))
                            )
                    record_versions()
            for model in reversed(DATASET_MODELS):  # every model before those it refers to
                for slugs in plan.release.deleted(model._meta.label_lower):
                    model.objects.filter(slug__in=slugs).delete()
    check_dataset(errors)
    if errors:
        raise ReleaseError(
            f"the merge would break {len(errors)} rule(s); nothing changed", errors.lines()
        )
    ReleaseBaseline.objects.all().delete()
    for batch in plan.release.batches():
        ReleaseBaseline.objects.bulk_create(
            [
                ReleaseBaseline(model=label, key=slug, fields=fields)
                for (label, slug), fields in batch
            ],
            batch_size=BATCH,
        )
    LoadedRelease.objects.all().delete()
    LoadedRelease.objects.create(digest=digest)


class SlugIds(dict):
    """The primary keys of one model's records by slug, each read when first asked for: a
    merge touches a few records, and every slug of a million-record table would not fit."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def __missing__(self, slug: str) -> int:
        pk = self.model.objects.filter(slug=slug).values_list("pk", flat=True).first()
        if pk is None:
            raise KeyError(slug)
        self[slug] = pk
        return pk

    def read(self, slugs: Iterable[str]) -> None:
        """Read the primary keys of `slugs`, a query per `BATCH` of them."""
        for chunk in chunks(slugs):
            self.update(self.model.objects.filter(slug__in=chunk).values_list("slug", "pk"))

    def get(self, slug: str, default=None):
        try:
            return self[slug]
        except KeyError:
            return default


def _build(model, fields: dict, ids: dict, instance=None) -> tuple[models.Model, dict]:
    """Set a record's fields from its fixture fields; return it and its many-to-many ids.

    Relations are given by slug; `ids` maps each model's slugs to primary keys. The record is
    validated as the admin validates it, and its derived columns are filled.
    """
    instance = instance or model()
    relations = {}
    for name, value in fields.items():
        field = model._meta.get_field(name)
        if field.many_to_many:
            related = ids[field.related_model]
            relations[name] = [related[_slug_of(item)] for item in value]
        elif field.is_relation:
            related = ids[field.related_model]
            setattr(instance, field.attname, None if value is None else related[_slug_of(value)])
        else:
            setattr(instance, field.attname, field.to_python(value))
    if "date_interval_explicit" in {f.name for f in model._meta.fields}:
        instance.date_interval_explicit = bool(fields.get("date_interval_explicit"))
    # uniqueness and check constraints are the database's to refuse, when it is written
    instance.full_clean(validate_unique=False, validate_constraints=False)
    # what a save derives (date bounds, digests, search copies): bulk inserts send no signals
    pre_save.send(sender=model, instance=instance, raw=False, using=None, update_fields=None)
    return instance, relations


def _write(model, fields: dict, ids: dict) -> None:
    """Create or update one record, learning the primary key of a record it creates."""
    pk = ids[model].get(fields["slug"])
    existing = None if pk is None else model.objects.get(pk=pk)
    instance, relations = _build(model, fields, ids, existing)
    with transaction.atomic():
        instance.save()
        for name, values in relations.items():
            getattr(instance, name).set(values)
    ids[model][instance.slug] = instance.pk


def _create_all(release: Release, ids: dict, reason: str, errors: Findings) -> None:
    """Fill an empty database: each model `BATCH` records at a time, in bulk inserts, its
    history with it; a batch's relations are looked up in one query per related model."""
    for model in DATASET_MODELS:
        label = model._meta.label_lower
        for batch in release.changed(label):
            _look_up_relations(model, batch, ids)
            built = []
            for slug, fields in batch:
                try:
                    built.append(_build(model, fields, ids))
                except (ValidationError, KeyError) as error:
                    errors.extend(REFUSED, (f"{label} {slug}: {msg}" for msg in _messages(error)))
            if errors:
                continue  # every refused record of this model is reported; nothing is written
            try:
                with transaction.atomic():
                    _insert(model, built, reason)
            except IntegrityError as error:
                errors.extend(REFUSED, (f"{label}: {message}" for message in _messages(error)))
                return
        if errors:
            return  # later models would refer to records that are not there


def _look_up_relations(model, batch: list[tuple[str, dict]], ids: dict) -> None:
    """Read the primary keys of the records `batch` refers to into `ids`, each related model's
    in one query (forgetting the last batch's)."""
    wanted = defaultdict(set)
    for _slug, fields in batch:
        for name, value in fields.items():
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue  # refused as the record is built
            if not field.is_relation or value is None:
                continue
            items = value if field.many_to_many else [value]
            wanted[field.related_model].update(
                item[0] for item in items if isinstance(item, list) and len(item) == 1
            )
    for related, slugs in wanted.items():
        ids[related].clear()
        ids[related].read(slugs)


def _insert(model, built: list[tuple], reason: str) -> None:
    instances = [instance for instance, _relations in built]
    model.objects.bulk_create(instances, batch_size=BATCH)
    vocabulary.add_records(model, instances)  # what a save's signal would have added
    versions = model.history.bulk_history_create(
        instances, batch_size=BATCH, default_change_reason=reason
    )
    for name, _accessor, _target in m2m_relations(model):
        field = model._meta.get_field(name)
        through = field.remote_field.through
        source_column, target_column = field.m2m_field_name(), field.m2m_reverse_field_name()
        rows = [
            through(**{f"{source_column}_id": instance.pk, f"{target_column}_id": pk})
            for instance, relations in built
            for pk in relations.get(name, [])
        ]
        through.objects.bulk_create(rows, batch_size=BATCH)
        history_model = m2m_history(model, field)
        version_of = {version.id: version for version in versions}
        history_model.objects.bulk_create(
            (
                history_model(
                    history=version_of[getattr(row, f"{source_column}_id")],
                    id=row.id,
                    **{
                        f"{source_column}_id": getattr(row, f"{source_column}_id"),
                        f"{target_column}_id": getattr(row, f"{target_column}_id"),
                    },
                )
                for row in rows
            ),
            batch_size=BATCH,
        )


def _slug_of(natural_key) -> str:
    if not isinstance(natural_key, list) or len(natural_key) != 1:
        raise ValidationError(f"{natural_key!r} is not a natural key: give it as [slug].")
    return natural_key[0]


def _messages(error: Exception) -> list[str]:
    if isinstance(error, KeyError):
        return [f"refers to {error.args[0]!r}, which is neither in the release nor the database"]
    if isinstance(error, IntegrityError):
        return [f"refused by the database: {error}"]
    if hasattr(error, "error_dict"):
        return [f"{name}: {' '.join(msgs)}" for name, msgs in error.message_dict.items()]
    return error.messages


def merge_release(
    directory: Path | None = None, prefer: str | None = None, errors: Findings | None = None
) -> MergePlan:
    """Merge the release in `directory` (default fixtures/) into the database.

    Raises ReleaseError, changing nothing, when there are conflicts and no `prefer`, or when
    the result would break a rule of the dataset; `errors` says how many of each kind its
    message shows, and where every one is written (see Findings).
    """
    errors = Findings() if errors is None else errors
    with read_release(directory) as release:
        plan = plan_merge(release, prefer, errors.shown, errors.out)
        if plan.conflicts and prefer is None:
            raise ReleaseError(
                f"{len(plan.conflicts)} conflict(s) between the database and the release; "
                "nothing changed. Settle them with --prefer database or --prefer release.",
                plan.conflicts.lines(),
            )
        digest = release_digest(directory)
        apply_merge(plan, reason=f"release {digest[:12]}", digest=digest, errors=errors)
    return plan
