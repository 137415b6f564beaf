"""Review: a candidate accepted, as corrected, or rejected by an editor."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from rest_framework.exceptions import ValidationError as APIValidationError

from config.db.history import one_version_each
from statements.ingest.models import Candidate
from statements.ingest.service.acceptance import Acceptance, target_of
from statements.ingest.service.errors import Conflict, IngestError, first_api_error, first_error
from statements.ingest.service.writes import recorded_as

# what an editor may correct on accepting, by kind; anything else is refused by name
COMMON_CORRECTIONS = {"date", "date_basis", "date_note", "date_earliest", "date_latest",
                      "topics", "places", "match"}  # fmt: skip
CORRECTIONS = {
    "statement": COMMON_CORRECTIONS
    | {"text", "kind", "speaker", "speaker_name", "speaker_kind", "speaker_label", "venue",
       "via", "slug"},  # fmt: skip
    "event": COMMON_CORRECTIONS | {"title", "summary", "event_kind", "status", "end_date",
                                   "participants", "slug"},  # fmt: skip
    "figure": COMMON_CORRECTIONS | {"label", "measure", "value", "value_max", "unit",
                                    "qualifier", "words", "according_to", "place", "slug"},
}  # fmt: skip


def accept(candidate: Candidate, editor, corrections: dict | None = None) -> Candidate:
    """Write the candidate's record, as corrected, and mark it accepted by `editor`.

    A quote, fragment or claim becomes a statement cited by the candidate's excerpt (a quote
    split by its attribution one statement per quoted run, as the codebook has it, each with
    its wording); one the dataset already holds (`matches`) gets a wording and a citation
    instead. An event or figure the dataset holds gets a citation; otherwise it is created
    with it. `corrections` may change what the record will hold (`text`, `speaker`, `date`,
    …, by kind: CORRECTIONS) and `match` (a slug to cite, or null to create a new record).
    Raises IngestError (400), or Conflict (409) when the candidate is no longer pending.
    """
    corrections = dict(corrections or {})
    target = target_of(candidate)
    unknown = sorted(set(corrections) - CORRECTIONS[target])
    if unknown:
        raise IngestError(
            unknown[0],
            f"Not a correction for a {candidate.kind}. Allowed: "
            f"{', '.join(sorted(CORRECTIONS[target]))}.",
        )
    with transaction.atomic(), recorded_as(editor), one_version_each(reason="ingest accepted"):
        candidate = locked_pending(candidate)
        writer = Acceptance(candidate, corrections)
        try:
            writer.write()
        except APIValidationError as error:
            raise IngestError(*first_api_error(error.detail)) from error
        except DjangoValidationError as error:
            raise IngestError(*first_error(error)) from error
        candidate.review_status = Candidate.ReviewStatus.ACCEPTED
        candidate.reviewed_by = editor
        candidate.reviewed_at = timezone.now()
        candidate.records = writer.records
        candidate.save()
    return candidate


def accept_many(candidates, editor) -> tuple[list[Candidate], dict[int, IngestError]]:
    """Accept each candidate as proposed, each in its own transaction (what the admin's "accept
    the selected" does): the accepted ones, and why each other one was refused, by id."""
    accepted, refused = [], {}
    for candidate in candidates:
        try:
            accepted.append(accept(candidate, editor))
        except IngestError as error:
            refused[candidate.pk] = error
    return accepted, refused


def reject(candidate: Candidate, editor, reason: str) -> Candidate:
    """Mark the candidate rejected by `editor`, keeping it with `reason`."""
    if not isinstance(reason, str) or not reason.strip():
        raise IngestError("reason", "Say why the candidate is rejected.")
    if len(reason) > 300:
        raise IngestError("reason", "At most 300 characters.")
    with transaction.atomic():
        candidate = locked_pending(candidate)
        candidate.review_status = Candidate.ReviewStatus.REJECTED
        candidate.reject_reason = reason.strip()
        candidate.reviewed_by = editor
        candidate.reviewed_at = timezone.now()
        candidate.save()
    return candidate


def locked_pending(candidate: Candidate) -> Candidate:
    """The candidate read again under a row lock; Conflict unless it is still pending."""
    fresh = Candidate.objects.select_for_update().select_related("source").get(pk=candidate.pk)
    if fresh.review_status != Candidate.ReviewStatus.PENDING:
        raise Conflict(
            "review_status",
            f"Candidate {fresh.pk} was already {fresh.review_status}"
            f"{' by ' + fresh.reviewed_by.get_username() if fresh.reviewed_by else ''}; "
            "nothing was changed.",
        )
    return fresh
