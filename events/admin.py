"""Admin of the base records. The statements app adds citation inlines to Source and Event.

Every admin keeps history (`ParleyAdmin`): the History page lists each version with what
changed, and opening a version offers to revert to it, which saves a new version.
"""

from django.contrib import admin
from django.db import models, transaction
from simple_history.admin import SimpleHistoryAdmin
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME

from config.db.history import m2m_relations, one_version_each
from events.models import Event, Person, Place, Source, Topic

# the interval is editable: derived from the date unless `date_interval_explicit` is ticked
DATE_READONLY = ["date_precision"]
TIMESTAMPS = ["created_at", "updated_at"]


def titled(title: str) -> type[admin.FieldListFilter]:
    """A list filter on a field under a title of our choosing ("By speaker kind", not "By kind")."""

    class TitledFilter(admin.FieldListFilter):
        # the changelist calls the class: hand it the filter Django picks for the field
        def __new__(cls, field, request, params, model, model_admin, field_path):
            chosen = admin.FieldListFilter.create(
                field, request, params, model, model_admin, field_path
            )
            chosen.title = title
            return chosen

    return TitledFilter


class ParleyAdmin(SimpleHistoryAdmin):
    """An admin whose every save is one version in the record's history, with revert."""

    history_list_display = ["version"]

    def changeform_view(self, request, *args, **kwargs):
        with transaction.atomic(), one_version_each():
            return super().changeform_view(request, *args, **kwargs)

    def history_form_view(self, request, *args, **kwargs):
        with transaction.atomic(), one_version_each(reason="reverted in the admin"):
            return super().history_form_view(request, *args, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        historic = getattr(obj, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None) if obj else None
        if historic is None:
            return form
        # reverting: show the relations the version had, not the record's current ones
        was = {
            name: [getattr(row, f"{target}_id") for row in getattr(historic, accessor).all()]
            for name, accessor, target in m2m_relations(type(obj))
        }

        class RevertForm(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.initial.update({name: ids for name, ids in was.items() if name in self.fields})

        return RevertForm


@admin.register(Topic)
class TopicAdmin(ParleyAdmin):
    list_display = ["name", "slug", "updated_at"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = TIMESTAMPS


@admin.register(Place)
class PlaceAdmin(ParleyAdmin):
    list_display = ["name", "slug", "kind", "country_code"]
    list_filter = [("kind", titled("place kind")), ("country_code", titled("country"))]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = TIMESTAMPS


@admin.register(Person)
class PersonAdmin(ParleyAdmin):
    list_display = ["name", "slug", "kind", "affiliation", "description"]
    list_filter = [("kind", titled("speaker kind")), ("country_code", titled("country"))]
    search_fields = ["name", "slug", "aliases", "description", "affiliation"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = TIMESTAMPS


@admin.register(Source)
class SourceAdmin(ParleyAdmin):
    list_display = ["title", "slug", "publisher", "date", "seed_file"]
    list_filter = [("publisher", titled("publisher")), ("language", titled("language"))]
    search_fields = ["title", "slug", "publisher", "author"]
    # the text is derived from the seed file by `manage.py build_sources`, never typed in
    readonly_fields = [*DATE_READONLY, "text", "text_sha256", *TIMESTAMPS]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Event)
class EventAdmin(ParleyAdmin):
    list_display = ["title", "slug", "kind", "status", "date", "end_date"]
    list_filter = [
        ("kind", titled("event kind")),
        ("status", titled("status")),
        ("date_precision", titled("date precision")),
        ("topics", titled("topic")),
    ]
    search_fields = ["title", "slug", "summary"]
    autocomplete_fields = ["places", "participants", "topics"]
    readonly_fields = [*DATE_READONLY, *TIMESTAMPS]
    date_hierarchy = "date_earliest"
