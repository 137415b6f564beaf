"""Admin of the base records. The statements app adds citation inlines to Source and Event.

Every admin keeps history (`ParleyAdmin`): the History page lists each version with what
changed, and opening a version offers to revert to it, which saves a new version.
"""

from django import forms
from django.contrib import admin
from django.db import models, transaction
from django.db.models import Case, IntegerField, Value, When
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME

from config.db.history import changed_fields, m2m_relations, one_version_each, versions_pending
from config.db.references import referrers, unlink, unlink_reason
from events.models import EditorProfile, Event, Person, Place, Source, Topic

# the interval is editable: derived from the date unless `date_interval_explicit` is ticked
DATE_READONLY = ["date_precision"]
TIMESTAMPS = ["created_at", "updated_at"]
# an editor stylesheet shared by the record forms and lists (columns that fit, narrow inlines)
EDITOR_CSS = {"all": ["parley/admin.css"]}


def dated_fieldsets(record: list, date: tuple[str, ...] = ("date",)) -> list:
    """A dated record's form: its own fields first, then its date, then the interval the date
    stands for and how it was found, collapsed (it opens by itself when it holds an error)."""
    return [
        (None, {"fields": record}),
        ("Date", {"fields": [date]}),
        (
            "Date interval and basis",
            {
                "classes": ["collapse"],
                # one field a line: a fieldset opens on an error only in a field of its own
                # list, not in a row of several
                "fields": [
                    "date_earliest",
                    "date_latest",
                    "date_interval_explicit",
                    "date_basis",
                    "date_note",
                    "date_precision",
                ],
            },
        ),
        ("Record", {"classes": ["collapse"], "fields": [tuple(TIMESTAMPS)]}),
    ]


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
    """An admin whose every save that changes something is one version in the record's
    history, with revert."""

    history_list_display = ["version"]

    class Media:
        css = EDITOR_CSS

    def changeform_view(self, request, *args, **kwargs):
        with transaction.atomic(), one_version_each():
            return super().changeform_view(request, *args, **kwargs)

    def history_form_view(self, request, *args, **kwargs):
        with transaction.atomic(), one_version_each(reason="reverted in the admin"):
            return super().history_form_view(request, *args, **kwargs)

    def save_model(self, request, obj, form, change) -> None:
        """Save the record, unless the form changes none of its fields (`changed_fields`, against
        the record as stored): simple-history records a version on every save, and "Save" on an
        unchanged form is no change. Its relations and inlines are saved after this, each only
        if changed (Django's own rule), and a relation changed records the record's version."""
        if change:
            stored = type(obj)._base_manager.filter(pk=obj.pk).first()
            if stored is not None and not changed_fields(obj, stored):
                obj._history_user = request.user  # for a version a relation's change records
                return
        super().save_model(request, obj, form, change)

    def log_change(self, request, obj, message):
        """Note the change in the admin's "Recent actions", unless the save changed nothing:
        "Save" on an untouched form records no version (`save_model`) and leaves no "No fields
        changed." entry either. A revert is noted: Django finds no field changed in its form,
        which shows the version's values, but the record changes."""
        if not message and not versions_pending():
            return None
        return super().log_change(request, obj, message)

    def get_deleted_objects(self, objs, request):
        """Records that link to one being deleted hold the deletion back, as protected ones do,
        unless the page was opened with `?unlink=1`: then each loses the link as a new version
        of its own (`config.db.references`)."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if request.GET.get("unlink") == "1":
            return deleted, counts, perms_needed, protected
        linked = [
            f"{other._meta.verbose_name} {other} links to {obj._meta.verbose_name} {obj} "
            f"({field.name})"
            for obj in objs
            for field, other in referrers(obj)
        ]
        if linked and request.path.endswith("/delete/"):
            linked.append(
                format_html(
                    '<a href="?unlink=1">Remove these links, each as a new version of its '
                    "record, and delete {}</a>",
                    objs[0],
                )
            )
        return deleted, counts, perms_needed, [*protected, *linked]

    def delete_model(self, request, obj) -> None:
        unlinking = request.GET.get("unlink") == "1"
        with transaction.atomic(), one_version_each(reason=unlink_reason(obj) if unlinking else ""):
            if unlinking:
                unlink(obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        with transaction.atomic(), one_version_each():
            super().delete_queryset(request, queryset)

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


class LinesField(forms.CharField):
    """A list of names typed one a line, stored as the model's JSON list: blank lines and
    repeats dropped, each line stripped. The limits are the write API's (PersonWriteSerializer)."""

    widget = forms.Textarea(attrs={"rows": 4, "cols": 40})
    MAX_LINES = 100
    MAX_LINE_LENGTH = 200

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(line) for line in value)
        return value

    def to_python(self, value) -> list[str]:
        text = super().to_python(value)
        lines = list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))
        if any("\x00" in line for line in lines):
            raise forms.ValidationError("A name cannot hold a NUL character.")
        too_long = [line for line in lines if len(line) > self.MAX_LINE_LENGTH]
        if too_long:
            raise forms.ValidationError(
                f"Each name is at most {self.MAX_LINE_LENGTH} characters; "
                f"this one has {len(too_long[0])}: {too_long[0][:40]}…"
            )
        if len(lines) > self.MAX_LINES:
            raise forms.ValidationError(
                f"At most {self.MAX_LINES} names, one a line; there are {len(lines)}."
            )
        return lines


class PersonForm(forms.ModelForm):
    aliases = LinesField(
        required=False,
        label="Aliases",
        help_text="Every other spelling of the name seen in the sources, one a line "
        "(e.g. Zelensky).",
    )

    class Meta:
        model = Person
        fields = ["slug", "name", "kind", "aliases", "description", "affiliation",
                  "country_code", "wikidata_id"]  # fmt: skip


def match_rank(term: str) -> Case:
    """How well a person matches what was typed, best first: the name itself (0), an alias
    (1), a name (2) or an alias (3) that starts with it, a word of the name that starts with it
    (4), anything else the search found (5). Aliases are compared within their JSON list's
    text, where each one stands between double quotes on both databases."""
    quoted = term.replace("\\", "\\\\").replace('"', '\\"')
    return Case(
        When(name__iexact=term, then=Value(0)),
        When(aliases__icontains=f'"{quoted}"', then=Value(1)),
        When(name__istartswith=term, then=Value(2)),
        When(aliases__icontains=f'"{quoted}', then=Value(3)),
        When(name__icontains=f" {term}", then=Value(4)),
        default=Value(5),
        output_field=IntegerField(),
    )


@admin.register(Person)
class PersonAdmin(ParleyAdmin):
    form = PersonForm
    list_display = ["name", "slug", "kind", "affiliation", "description"]
    list_filter = [("kind", titled("speaker kind")), ("country_code", titled("country"))]
    search_fields = ["name", "slug", "aliases", "description", "affiliation"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = TIMESTAMPS

    def get_search_results(self, request, queryset, search_term):
        """Ranks what the speaker autocomplete offers: whoever is called what was typed comes
        before people whose description merely mentions it ("Reuters" first, then those who
        told Reuters). The list page orders its results itself, after this."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if term:
            queryset = queryset.annotate(match_rank=match_rank(term)).order_by(
                "match_rank", "name", "id"
            )
        return queryset, may_have_duplicates


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
    EVENT_FIELDS = [
        "title",
        "summary",
        ("kind", "status"),
        "participants",
        "places",
        "topics",
        "slug",
    ]
    fieldsets = dated_fieldsets(EVENT_FIELDS, date=("date", "end_date"))


@admin.register(EditorProfile)
class EditorProfileAdmin(admin.ModelAdmin):
    """Each editor chooses the name the public history shows for them; only their own, unless
    they are a superuser."""

    list_display = ["user", "display_name"]
    fields = ["display_name"]

    def get_queryset(self, request):
        profiles = super().get_queryset(request)
        return profiles if request.user.is_superuser else profiles.filter(user=request.user)

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        own = obj is None or obj.user_id == request.user.pk
        return (
            request.user.is_active and request.user.is_staff and (own or request.user.is_superuser)
        )

    def has_add_permission(self, request) -> bool:
        mine = EditorProfile.objects.filter(user_id=request.user.pk).exists()
        return request.user.is_active and request.user.is_staff and not mine

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a blank name says "editor <number>"

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.user = request.user
        super().save_model(request, obj, form, change)
