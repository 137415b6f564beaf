"""The review page: the article's text cut at the candidates' offsets, a card for each
candidate, and `CandidateAdmin`, whose views accept (as proposed or edited), reject or accept
together. Registered by statements.admin.
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

from events.models import Person, Source
from statements.ingest.admin.forms import CandidateEditForm, edit_form
from statements.ingest.models import Candidate
from statements.ingest.service import Conflict, IngestError, accept, accept_many, reject

REVIEW_ASSETS = forms.Media(
    css={"all": ["parley/admin.css", "parley/review.css"]}, js=["parley/review.js"]
)


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
