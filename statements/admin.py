"""Admin of statements, figures and citations, and the citation inlines of sources and events.

A citation whose start and end are left blank is located from its excerpt; one whose excerpt
is not at its offsets in the source text is refused with the reason.
"""

from django import forms
from django.contrib import admin

from events.admin import DATE_READONLY, EventAdmin, SourceAdmin
from events.models import Event, Source
from events.reference_text import locate_excerpt
from statements.models import Citation, Figure, Position, Statement, Wording


class CitationForm(forms.ModelForm):
    start = forms.IntegerField(
        required=False, min_value=0, help_text="Leave blank to locate the excerpt in the source."
    )
    end = forms.IntegerField(
        required=False, min_value=1, help_text="Leave blank to locate the excerpt in the source."
    )

    class Meta:
        model = Citation
        fields = ["source", "statement", "event", "figure", "excerpt", "start", "end"]

    def clean(self):
        cleaned = super().clean()
        source, excerpt = cleaned.get("source"), cleaned.get("excerpt")
        if source and excerpt and cleaned.get("end") is None:
            try:
                start, end = locate_excerpt(source.text, excerpt, cleaned.get("start"))
            except ValueError as error:
                raise forms.ValidationError({"excerpt": str(error)}) from error
            cleaned["start"], cleaned["end"] = start, end
            self.instance.start, self.instance.end = start, end
        return cleaned


class CitationInline(admin.TabularInline):
    model = Citation
    form = CitationForm
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["source", "excerpt", "start", "end"]


class SourceCitationInline(CitationInline):
    autocomplete_fields = ["statement", "event", "figure"]
    fields = ["statement", "event", "figure", "excerpt", "start", "end"]


class WordingInline(admin.TabularInline):
    """Each article's words for a quote or fragment; exactly one canonical."""

    model = Wording
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["source", "text", "canonical"]


class PositionInline(admin.TabularInline):
    """The stances the statement takes, each with the words that support it."""

    model = Position
    extra = 0
    autocomplete_fields = ["holder"]
    fields = ["issue", "stance", "holder", "excerpt"]


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ["slug", "speaker", "speaker_label", "kind", "date", "date_precision"]
    list_filter = ["kind", "speaker__kind", "date_precision", "date_basis", "topics"]
    search_fields = ["slug", "text", "speaker_label", "speaker__name", "venue", "via"]
    autocomplete_fields = ["speaker", "occasion", "about", "topics", "places"]
    readonly_fields = DATE_READONLY
    inlines = [CitationInline, WordingInline, PositionInline]
    date_hierarchy = "date_earliest"


@admin.register(Figure)
class FigureAdmin(admin.ModelAdmin):
    list_display = ["slug", "label", "qualifier", "value", "value_max", "words", "unit", "date"]
    list_filter = ["unit", "measure", "date_precision"]
    search_fields = ["slug", "label", "measure", "according_to"]
    autocomplete_fields = ["place", "topics"]
    readonly_fields = DATE_READONLY
    inlines = [CitationInline]


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    form = CitationForm
    list_display = ["__str__", "source", "statement", "event", "figure", "excerpt"]
    list_filter = ["source"]
    search_fields = ["excerpt", "statement__slug", "event__slug", "figure__slug"]
    autocomplete_fields = ["source", "statement", "event", "figure"]
    list_select_related = ["source", "statement__speaker", "event", "figure"]


class SourceWithCitationsAdmin(SourceAdmin):
    inlines = [SourceCitationInline]


class EventWithCitationsAdmin(EventAdmin):
    inlines = [CitationInline]


admin.site.unregister(Source)
admin.site.register(Source, SourceWithCitationsAdmin)
admin.site.unregister(Event)
admin.site.register(Event, EventWithCitationsAdmin)
