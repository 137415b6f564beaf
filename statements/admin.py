"""Admin of statements, figures and citations, and the citation inlines of sources and events.

A citation is added by pasting its excerpt: blank offsets are found in the source (typographic
and plain quotes match each other), the nearest passage is suggested when the excerpt is not
there, and the saved excerpt is shown highlighted in its surrounding text. A statement, event or
figure is saved only with its evidence: at least one citation, and a quote or fragment standing
verbatim in one of its excerpts (statements.services, the same rule the dataset check applies).
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import format_html, format_html_join

from events.admin import (
    DATE_READONLY,
    TIMESTAMPS,
    EventAdmin,
    ParleyAdmin,
    SourceAdmin,
    dated_fieldsets,
    titled,
)
from events.models import Event, Source
from statements.ingest.admin import CandidateAdmin, pending_counts, review_link
from statements.models import Candidate, Citation, Figure, Position, Statement, Wording
from statements.services import (
    check_evidence,
    check_report,
    citation_problems,
    place_excerpt,
    removal_problem,
)

CONTEXT_CHARS = 160  # characters of the source shown either side of an excerpt


def excerpt_in_context(citation: Citation) -> str:
    """The excerpt highlighted in the text around it."""
    if not citation.pk or citation.source_id is None:
        return "Shown once the citation is saved."
    text = citation.source.text
    before = text[max(0, citation.start - CONTEXT_CHARS) : citation.start]
    after = text[citation.end : citation.end + CONTEXT_CHARS]
    return format_html(
        '<span class="parley-context">…{}<mark>{}</mark>{}…</span>',
        before,
        text[citation.start : citation.end],
        after,
    )


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
        widgets = {"excerpt": forms.Textarea(attrs={"rows": 3, "cols": 60})}

    def clean(self):
        cleaned = super().clean()
        source, excerpt = cleaned.get("source"), cleaned.get("excerpt")
        if source and excerpt and cleaned.get("end") is None:
            excerpt, start, end = place_excerpt(source, excerpt, cleaned.get("start"), None)
            # the source's own characters, whichever quotes were pasted
            cleaned["start"], cleaned["end"], cleaned["excerpt"] = start, end, excerpt
            self.instance.start, self.instance.end = start, end
            self.instance.excerpt = excerpt
        return cleaned


class StandaloneCitationForm(CitationForm):
    """A citation edited on its own page: the record it cites must keep its evidence."""

    def clean(self):
        previous = None
        if self.instance.pk is not None:
            previous = Citation.objects.get(pk=self.instance.pk).target
        cleaned = super().clean()
        if not self.errors:
            citation = Citation(
                pk=self.instance.pk,
                **{name: cleaned.get(name) for name in ("source", "statement", "event", "figure")},
                excerpt=cleaned.get("excerpt") or "",
            )
            problems = citation_problems(citation, previous)
            if problems:
                raise ValidationError(problems)
        return cleaned


class EvidenceFormSet(forms.BaseInlineFormSet):
    """Refuses to save a record without a citation, a quote its excerpts do not hold, or a
    date that ends after the articles that report it (statements.services)."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data.get("excerpt") and not form.cleaned_data.get("DELETE")
        ]
        check_evidence(self.instance, [cleaned["excerpt"] for cleaned in kept])
        check_report(self.instance, [cleaned["source"] for cleaned in kept])


class CitationInline(admin.StackedInline):
    model = Citation
    form = CitationForm
    formset = EvidenceFormSet
    extra = 0
    fields = [("source", "start", "end"), "excerpt", "in_context", "slug"]
    readonly_fields = ["in_context", "slug"]

    @admin.display(description="In its source")
    def in_context(self, citation: Citation) -> str:
        return excerpt_in_context(citation)


class SourceCitationInline(admin.TabularInline):
    """A source's citations, read from the source's page (each is edited on its own page)."""

    model = Citation
    extra = 0
    fields = ["slug", "statement", "event", "figure", "excerpt", "start", "end"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class SourceTextsMixin:
    """Shows, on a record's form, the texts of the sources an excerpt can be pasted from."""

    @admin.display(description="Source texts")
    def source_texts(self, record) -> str:
        cited = Source.objects.filter(citations__in=record.citations.all()) if record.pk else None
        sources = cited.distinct() if cited is not None and cited.exists() else Source.objects
        return format_html_join(
            "",
            '<details class="parley-source"><summary>{} — {}</summary>'
            '<pre style="white-space: pre-wrap; max-height: 24em; overflow: auto">{}</pre>'
            "</details>",
            ((source.slug, source.title, source.text) for source in sources.order_by("slug")),
        )


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
class StatementAdmin(SourceTextsMixin, ParleyAdmin):
    list_display = ["short_text", "speaker", "kind_code", "date", "sources", "slug"]
    list_filter = [
        ("kind", titled("statement kind")),
        ("speaker__kind", titled("speaker kind")),
        ("speaker", titled("speaker")),
        ("citations__source", titled("source")),
        ("date_precision", titled("date precision")),
        ("topics", titled("topic")),
    ]
    list_select_related = ["speaker"]
    search_fields = ["slug", "text", "speaker_label", "speaker__name", "venue", "via"]
    autocomplete_fields = ["speaker", "occasion", "about", "topics", "places"]
    readonly_fields = [*DATE_READONLY, *TIMESTAMPS, "source_texts"]
    inlines = [CitationInline, WordingInline, PositionInline]
    date_hierarchy = "date_earliest"
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 4})}}
    # what was said and by whom first; the six date fields below it, the interval collapsed
    fieldsets = dated_fieldsets(
        [
            "text",
            ("kind", "speaker"),
            "speaker_label",
            ("venue", "via"),
            "occasion",
            "about",
            "topics",
            "places",
            "slug",
            "source_texts",
        ]
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("citations__source")

    @admin.display(description="Text", ordering="text")
    def short_text(self, statement: Statement) -> str:
        return statement.text if len(statement.text) <= 120 else statement.text[:119] + "…"

    @admin.display(description="Kind", ordering="kind")
    def kind_code(self, statement: Statement) -> str:
        # the value, not the label: "Fragment (a short quoted phrase ...)" took a column's width
        return statement.kind

    @admin.display(description="Sources")
    def sources(self, record) -> str:
        slugs = sorted({citation.source.slug for citation in record.citations.all()})
        return format_html_join("", "<div>{}</div>", ((slug,) for slug in slugs))


@admin.register(Figure)
class FigureAdmin(SourceTextsMixin, ParleyAdmin):
    list_display = ["label", "qualifier", "value", "value_max", "words", "unit", "date", "slug"]
    list_filter = [
        ("unit", titled("unit")),
        ("measure", titled("measure")),
        ("citations__source", titled("source")),
    ]
    search_fields = ["slug", "label", "measure", "according_to"]
    autocomplete_fields = ["place", "topics"]
    readonly_fields = [*DATE_READONLY, *TIMESTAMPS, "source_texts"]
    inlines = [CitationInline]
    fieldsets = dated_fieldsets(
        [
            "label",
            ("value", "value_max", "unit"),
            ("qualifier", "words"),
            "according_to",
            "measure",
            "place",
            "topics",
            "slug",
            "source_texts",
        ]
    )


@admin.register(Citation)
class CitationAdmin(ParleyAdmin):
    form = StandaloneCitationForm
    list_display = ["slug", "source", "statement", "event", "figure", "excerpt"]
    list_filter = [("source", titled("source"))]
    search_fields = ["slug", "excerpt", "source__slug", "statement__slug", "event__slug",
                     "figure__slug"]  # fmt: skip
    autocomplete_fields = ["source", "statement", "event", "figure"]
    list_select_related = ["source", "statement__speaker", "event", "figure"]
    readonly_fields = ["slug", "in_context", *TIMESTAMPS]

    @admin.display(description="In its source")
    def in_context(self, citation: Citation) -> str:
        return excerpt_in_context(citation)

    def has_delete_permission(self, request, obj=None) -> bool:
        # the last citation of a record is its only evidence: delete the record instead
        if obj is not None and removal_problem(obj):
            return False
        return super().has_delete_permission(request, obj)


class SourceWithCitationsAdmin(SourceAdmin):
    inlines = [SourceCitationInline]
    list_display = [*SourceAdmin.list_display, "review"]

    def get_queryset(self, request):
        return pending_counts(super().get_queryset(request))

    @admin.display(description="Candidates")
    def review(self, source: Source) -> str:
        """A link to the review page of an ingested source."""
        if not source.candidates_total:
            return "—"
        return review_link(source, f"review ({source.candidates_pending} to do)")


admin.site.register(Candidate, CandidateAdmin)


class EventWithCitationsAdmin(SourceTextsMixin, EventAdmin):
    inlines = [CitationInline]
    readonly_fields = [*EventAdmin.readonly_fields, "source_texts"]
    fieldsets = dated_fieldsets(
        [*EventAdmin.EVENT_FIELDS, "source_texts"], date=("date", "end_date")
    )


admin.site.unregister(Source)
admin.site.register(Source, SourceWithCitationsAdmin)
admin.site.unregister(Event)
admin.site.register(Event, EventWithCitationsAdmin)
