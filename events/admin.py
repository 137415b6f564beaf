"""Admin of the base records. The statements app adds citation inlines to Source and Event."""

from django.contrib import admin
from django.db import models

from events.models import Event, Person, Place, Source, Topic

# the interval is editable: derived from the date unless `date_interval_explicit` is ticked
DATE_READONLY = ["date_precision"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "country_code"]
    list_filter = ["kind", "country_code"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "affiliation", "description"]
    list_filter = ["kind", "country_code"]
    search_fields = ["name", "slug", "aliases", "description", "affiliation"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "publisher", "date", "date_precision", "seed_file"]
    list_filter = ["publisher", "language", "date_precision"]
    search_fields = ["title", "slug", "publisher", "author"]
    # the text is derived from the seed file by `manage.py build_sources`, never typed in
    readonly_fields = [*DATE_READONLY, "text", "text_sha256"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "kind", "status", "date", "end_date", "date_precision"]
    list_filter = ["kind", "status", "date_precision", "topics"]
    search_fields = ["title", "slug", "summary"]
    autocomplete_fields = ["places", "participants", "topics"]
    readonly_fields = DATE_READONLY
    date_hierarchy = "date_earliest"
