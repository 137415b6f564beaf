"""The viewset mixin that runs the writes: POST, PUT, PATCH and DELETE, each one transaction."""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from django.db import IntegrityError, models, transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from config.api.permissions import WriteAccessMixin
from config.api.preconditions import check_current, locked
from config.api.renderers import JSONRenderer
from config.api.writes.serializers import WriteSerializer
from config.api.writes.taken_back import as_shown_taken_back
from config.db.history import one_version_each
from config.db.references import describe, referrers, unlink, unlink_reason


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The write conflicts with other records; nothing was changed."
    default_code = "conflict"


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
