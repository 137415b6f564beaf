"""The admin's review of an ingested article: one page per source, its text with every candidate
highlighted at its offsets, and beside it the candidates to accept (as proposed, or edited
first), reject with a reason, or accept together.

Accepting and rejecting go through statements.ingest.service (`accept`, `reject`), the one
place the rules of a record live; this module only turns the page's forms into its arguments
and its errors back into the page. Registered by statements.admin.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from events.models import DateBasis, Event, Person, Source
from statements.ingest.models import Candidate
from statements.ingest.service import (
    STATEMENT_KINDS,
    Conflict,
    IngestError,
    accept,
    accept_many,
    number,
    reject,
    target_of,
)
from statements.models import Statement

REVIEW_ASSETS = forms.Media(
    css={"all": ["parley/admin.css", "parley/review.css"]}, js=["parley/review.js"]
)
NEW_RECORD = ""  # the match choice that creates a record instead of citing one


# --------------------------------------------------------------------------------------------
# The edit form of a candidate: what an editor may change before accepting
# --------------------------------------------------------------------------------------------


class CandidateEditForm(forms.Form):
    """The fields of the record a candidate becomes, filled with what was proposed. Only the
    fields an editor changed are sent to `accept()` as corrections."""

    def __init__(self, candidate: Candidate, *args, **kwargs):
        kwargs.setdefault("prefix", f"c{candidate.pk}")
        kwargs.setdefault("initial", self.proposed(candidate))
        super().__init__(*args, **kwargs)
        self.candidate = candidate
        targets = [match for match in candidate.matches if match.get("type") == self.target]
        if targets:
            self.fields["match"] = forms.ChoiceField(
                label="Record",
                required=False,
                choices=[
                    *((m["slug"], f"cite {m['slug']} ({m.get('reason', '')})") for m in targets),
                    (NEW_RECORD, f"a new {self.target}"),
                ],
                help_text="A record the dataset holds is cited rather than made again.",
            )
            self.initial.setdefault("match", targets[0]["slug"])

    target = ""

    @staticmethod
    def proposed(candidate: Candidate) -> dict:
        return {}

    def corrections(self) -> dict:
        """The changed fields, as `accept()` takes them."""
        given = {}
        for name in self.changed_data:
            value = self.cleaned_data[name]
            if name in ("speaker", "match") and value == "":
                value = None  # no person: a new one; no record: a new one
            elif name in ("value", "value_max") and value is not None:
                value = number(value)
            given[name] = value
        return given

    def show_error(self, error: IngestError) -> None:
        name = error.field if error.field in self.fields else None
        prefix = "" if name else f"{error.field}: "
        self.add_error(name, f"{prefix}{error.message}")


def choices(model_choices, blank: str = "") -> list:
    return [("", blank), *model_choices] if blank else list(model_choices)


class StatementEditForm(CandidateEditForm):
    target = "statement"

    text = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="A quote's words exactly as printed; a claim's reported-speech sentence.",
    )
    kind = forms.ChoiceField(choices=Statement.Kind.choices)
    speaker = forms.SlugField(
        required=False,
        widget=forms.TextInput(attrs={"list": "parley-people", "autocomplete": "off"}),
        help_text="An existing person's slug; blank for a new person named below.",
    )
    speaker_name = forms.CharField(required=False, label="New speaker's name", max_length=200)
    speaker_kind = forms.ChoiceField(
        required=False, label="New speaker's kind", choices=choices(Person.Kind.choices, "—")
    )
    speaker_label = forms.CharField(
        required=False, max_length=200, help_text="The article's own words for the speaker."
    )
    date = forms.CharField(required=False, max_length=10, help_text="YYYY, YYYY-MM or YYYY-MM-DD")
    date_basis = forms.ChoiceField(required=False, choices=choices(DateBasis.choices, "—"))

    @staticmethod
    def proposed(candidate: Candidate) -> dict:
        return {
            "text": candidate.quote or candidate.excerpt,
            "kind": STATEMENT_KINDS[candidate.kind],
            "speaker": candidate.speaker.slug if candidate.speaker else "",
            "speaker_name": candidate.speaker_name,
            "speaker_kind": candidate.speaker_kind,
            "speaker_label": candidate.speaker_label,
            "date": candidate.date,
            "date_basis": candidate.date_basis,
        }


class EventEditForm(CandidateEditForm):
    target = "event"

    title = forms.CharField(required=False, max_length=200)
    event_kind = forms.ChoiceField(label="Kind", choices=Event.Kind.choices)
    status = forms.ChoiceField(choices=Event.Status.choices)
    date = forms.CharField(required=False, max_length=10, help_text="YYYY, YYYY-MM or YYYY-MM-DD")
    date_basis = forms.ChoiceField(required=False, choices=choices(DateBasis.choices, "—"))

    @staticmethod
    def proposed(candidate: Candidate) -> dict:
        return {
            "title": candidate.title or candidate.excerpt[:200],
            "event_kind": candidate.event_kind or "other",
            "status": candidate.status or "occurred",
            "date": candidate.date,
            "date_basis": candidate.date_basis,
        }


class FigureEditForm(CandidateEditForm):
    target = "figure"

    label = forms.CharField(required=False, max_length=200)
    value = forms.DecimalField(required=False, max_digits=14, decimal_places=2)
    value_max = forms.DecimalField(required=False, max_digits=14, decimal_places=2)
    unit = forms.CharField(required=False, max_length=8)
    qualifier = forms.CharField(required=False, max_length=9)
    words = forms.CharField(required=False, max_length=120)
    date = forms.CharField(required=False, max_length=10, help_text="YYYY, YYYY-MM or YYYY-MM-DD")

    @staticmethod
    def proposed(candidate: Candidate) -> dict:
        return {
            "label": candidate.title or candidate.words or candidate.excerpt[:200],
            "value": candidate.value,
            "value_max": candidate.value_max,
            "unit": candidate.unit,
            "qualifier": candidate.qualifier or "exact",
            "words": candidate.words,
            "date": candidate.date,
        }


# each form's fields are corrections the service takes for its target (CORRECTIONS; a test
# holds them to it)
EDIT_FORMS = {"statement": StatementEditForm, "event": EventEditForm, "figure": FigureEditForm}


def edit_form(candidate: Candidate, data=None) -> CandidateEditForm:
    """The candidate's edit form; bound to `data`, a field it does not hold is left as
    proposed (a bare `accept` accepts the candidate as it stands)."""
    form_class = EDIT_FORMS[target_of(candidate)]
    if data is None:
        return form_class(candidate)
    form = form_class(candidate)
    given = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if key in data:
            given[key] = data[key]
        else:
            value = form.initial.get(name)
            given[key] = field.prepare_value(value) if value is not None else ""
    return form_class(candidate, data=given)


# --------------------------------------------------------------------------------------------
# The article's text, marked at the candidates' offsets
# --------------------------------------------------------------------------------------------


@dataclass
class Segment:
    """A run of the text and the candidates whose excerpt covers it (none for plain text)."""

    text: str
    candidates: list[Candidate]

    @property
    def ids(self) -> str:
        return " ".join(str(candidate.pk) for candidate in self.candidates)

    @property
    def classes(self) -> str:
        classes = sorted({f"kind-{candidate.kind}" for candidate in self.candidates})
        pending = Candidate.ReviewStatus.PENDING
        if self.candidates and all(c.review_status != pending for c in self.candidates):
            classes.append("reviewed")
        return " ".join(classes)


def segments(text: str, candidates: list[Candidate]) -> list[Segment]:
    """The text cut at every candidate's start and end, so that overlapping excerpts (a claim
    and the event in the same sentence) each keep their whole span."""
    cuts = sorted({0, len(text), *(c.start for c in candidates), *(c.end for c in candidates)})
    runs = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        covering = [c for c in candidates if c.start <= start and end <= c.end]
        runs.append(Segment(text[start:end], covering))
    return runs


@dataclass
class Sent:
    """A candidate as its card shows it: its edit form, and the reason typed to reject it with
    what refused that, when the page comes back from a refusal."""

    candidate: Candidate
    form: CandidateEditForm
    reason: str = ""
    reason_error: str = ""


# --------------------------------------------------------------------------------------------
# The admin
# --------------------------------------------------------------------------------------------


class CandidateAdmin(admin.ModelAdmin):
    """Candidates are listed here and reviewed on their source's review page."""

    list_display = ["short_excerpt", "kind", "speaker_name", "review_status", "confidence",
                    "source_review"]  # fmt: skip
    list_filter = ["review_status", "kind", ("source", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["source"]
    search_fields = ["excerpt", "speaker_name", "source__slug"]

    def has_add_permission(self, request) -> bool:
        return False  # candidates come from `ingest_article` and POST /api/v1/ingest/

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a rejected candidate is kept with its reason

    def has_change_permission(self, request, obj=None) -> bool:
        # one candidate's page is for reading: it is changed by reviewing it, on the review page
        if obj is not None:
            return False
        return super().has_change_permission(request)

    @admin.display(description="Excerpt", ordering="start")
    def short_excerpt(self, candidate: Candidate) -> str:
        excerpt = candidate.excerpt
        return excerpt if len(excerpt) <= 100 else excerpt[:99] + "…"

    @admin.display(description="Review")
    def source_review(self, candidate: Candidate) -> str:
        return review_link(candidate.source, candidate.source.slug)

    def get_urls(self):
        review = self.admin_site.admin_view(self.review_view)
        return [
            path("review/<slug:source>/", review, name="statements_candidate_review"),
            *super().get_urls(),
        ]

    # the review page ------------------------------------------------------------------------

    def review_view(self, request: HttpRequest, source: str) -> HttpResponse:
        """GET: the page. POST: accept one (with its edits), reject one, or accept the
        selected; then back to the page, at the next candidate to review."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        source = get_object_or_404(Source, slug=source)
        if request.method == "POST":
            return self.review_action(request, source)
        return self.review_page(request, source)

    def review_page(self, request, source: Source, sent: Sent | None = None):
        """The page; `sent` is a candidate's form sent back with what refused it."""
        candidates = list(
            source.candidates.select_related("speaker", "reviewed_by").order_by("start", "id")
        )
        cards = [
            sent if sent is not None and sent.candidate.pk == candidate.pk
            else Sent(candidate, edit_form(candidate))
            for candidate in candidates
        ]  # fmt: skip
        counts = dict.fromkeys(Candidate.ReviewStatus.values, 0)
        for candidate in candidates:
            counts[candidate.review_status] += 1
        context = {
            **self.admin_site.each_context(request),
            # the page needs the screen's width for the text beside the candidates
            "is_nav_sidebar_enabled": False,
            "opts": self.model._meta,
            "title": f"Review: {source.title}",
            "subtitle": source.slug,
            "source": source,
            "segments": segments(source.text, candidates),
            "cards": cards,
            "counts": counts,
            "people": Person.objects.order_by("name").values_list("slug", "name"),
            "media": REVIEW_ASSETS,
            "focus": sent.candidate.pk if sent is not None else None,
        }
        return TemplateResponse(request, "admin/statements/candidate/review.html", context)

    def review_action(self, request, source: Source) -> HttpResponse:
        pending = source.candidates.filter(review_status=Candidate.ReviewStatus.PENDING)
        if "accept_selected" in request.POST:
            return self.accept_selected(request, source, request.POST.getlist("selected"))
        if "accept" in request.POST:
            action, key = "accept", request.POST["accept"]
        elif "reject" in request.POST:
            action, key = "reject", request.POST["reject"]
        else:
            messages.error(request, "Nothing to do: accept, reject or accept selected.")
            return HttpResponseRedirect(request.path)
        candidate = source.candidates.filter(pk=key).first() if key.isdigit() else None
        if candidate is None:
            messages.error(request, f"No candidate {key[:20]!r} in this article.")
            return HttpResponseRedirect(request.path)
        if action == "accept":
            form = edit_form(candidate, data=request.POST)
            if form.is_valid():
                try:
                    accepted = accept(candidate, request.user, form.corrections())
                except Conflict as error:  # reviewed meanwhile: nothing left to edit
                    messages.error(request, error.message)
                    return HttpResponseRedirect(request.path)
                except IngestError as error:
                    form.show_error(error)
                else:
                    messages.success(request, f"Accepted #{candidate.pk}: {written(accepted)}.")
                    return self.next_pending(request, pending, candidate)
            messages.error(request, f"Candidate #{candidate.pk} was not accepted: see below.")
            return self.review_page(request, source, Sent(candidate, form))
        reason = request.POST.get(f"reason-{candidate.pk}", "")
        try:
            reject(candidate, request.user, reason)
        except Conflict as error:
            messages.error(request, error.message)
            return HttpResponseRedirect(request.path)
        except IngestError as error:
            messages.error(request, f"Candidate #{candidate.pk} was not rejected: see below.")
            sent = Sent(candidate, edit_form(candidate), reason, error.message)
            return self.review_page(request, source, sent)
        messages.success(request, f"Rejected #{candidate.pk}: {reason.strip()}")
        return self.next_pending(request, pending, candidate)

    def accept_selected(self, request, source: Source, keys: list[str]) -> HttpResponse:
        """Each selected candidate accepted as proposed, each in a transaction of its own: one
        that cannot be accepted is named with the reason and leaves the others accepted."""
        ids = [int(key) for key in keys if key.isdigit()]
        chosen = list(source.candidates.filter(pk__in=ids).order_by("start", "id"))
        if not chosen:
            messages.warning(request, "Select the candidates to accept first.")
            return HttpResponseRedirect(request.path)
        accepted, refused = accept_many(chosen, request.user)
        if accepted:
            done = ", ".join(f"#{candidate.pk}" for candidate in accepted)
            messages.success(request, f"Accepted {len(accepted)}: {done}.")
        if refused:
            why = "; ".join(
                f"#{pk} ({error.field}: {error.message})" for pk, error in refused.items()
            )
            messages.error(request, f"Not accepted ({len(refused)}): {why}")
        return HttpResponseRedirect(request.path)

    def next_pending(self, request, pending, after: Candidate) -> HttpResponse:
        """Back to the page, at the next candidate still to review."""
        later = pending.filter(Q(start__gt=after.start) | Q(start=after.start, id__gt=after.pk))
        following = later.order_by("start", "id").first() or pending.order_by("start", "id").first()
        anchor = f"#candidate-{following.pk}" if following else ""
        return HttpResponseRedirect(request.path + anchor)


def written(candidate: Candidate) -> str:
    records = candidate.records or []
    return ", ".join(f"{record['type']} {record['slug']}" for record in records) or "cited"


def review_link(source: Source, label: str) -> str:
    url = reverse("admin:statements_candidate_review", kwargs={"source": source.slug})
    return format_html('<a href="{}">{}</a>', url, label)


def pending_counts(queryset):
    """Sources annotated with how many of their candidates await review, and how many in all."""
    return queryset.annotate(
        candidates_pending=Count(
            "candidates", filter=Q(candidates__review_status=Candidate.ReviewStatus.PENDING)
        ),
        candidates_total=Count("candidates"),
    )
