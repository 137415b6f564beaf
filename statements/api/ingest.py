"""The editors' ingest endpoints: POST /api/v1/ingest/ stores an article and its candidates;
/api/v1/candidates/ lists them, and accept/ and reject/ review one (statements.ingest.service).

Candidates are proposals, not published records: every request needs an editor's token, and
no answer is kept by the dataset-version cache (config.middleware)."""

import django_filters
from django.conf import settings
from django.db import IntegrityError
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.reverse import reverse

from config.api.filters import RecordFilterSet, SlugFilter
from config.api.permissions import TokenAuthentication
from config.api.renderers import JSONRenderer
from config.api.writes import BooleanField, CharField, ClosedBodyMixin, Conflict, URLField
from events.api.serializers import SourceBriefSerializer
from events.models import Person, Source
from statements.ingest.models import Candidate
from statements.ingest.service import IngestError, accept, ingest, max_bytes, reject


def refused(error: IngestError) -> APIException:
    if error.status == 400:
        return ValidationError(error.as_dict())
    if error.status == 409:
        return Conflict(f"{error.field}: {error.message}")
    return PayloadTooLarge(f"{error.field}: {error.message}")


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The article is too large."
    default_code = "too_large"


class CandidatePermissions(permissions.DjangoModelPermissions):
    """An editor's token: reading needs the candidate view permission, reviewing its change
    permission, ingesting the add permissions of sources and candidates."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "POST": ["%(app_label)s.change_%(model_name)s"],
    }


class EditorOnlyMixin:
    """Token authentication on every method, reads included; answers JSON only. The errors
    each method may answer are documented in the schema (config.api.schema)."""

    authentication_classes = [TokenAuthentication]
    permission_classes = [CandidatePermissions]
    renderer_classes = [JSONRenderer]
    read_errors = {
        "401": "No valid token: candidates are proposals, not published records; send "
        "`Authorization: Token <key>` (`manage.py create_api_token`).",
        "403": "The token's user may not review candidates (the `editors` group may).",
    }
    write_errors = {
        "400": "The body is refused: `errors` names each field at fault and why. Nothing changed.",
        "401": read_errors["401"],
        "403": read_errors["403"],
        "404": "No candidate with that id.",
        "409": "The candidate was already accepted or rejected, or the record it would write "
        "conflicts with another. Nothing changed.",
        "429": "Too many writes with this token (the limit is PARLEY_WRITE_RATE); "
        "`Retry-After` says in how many seconds to try again.",
    }

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"  # one editor's work in progress
        return response


# --------------------------------------------------------------------------------------------
# Candidates
# --------------------------------------------------------------------------------------------


class CandidateSpeakerSerializer(serializers.Serializer):
    slug = serializers.CharField(
        allow_null=True, help_text="Slug of the existing person, or null for a new one."
    )
    name = serializers.CharField(help_text="Their name, or the article's words for them.")
    kind = serializers.ChoiceField(
        choices=Person.Kind.choices,
        help_text="person, organisation or anonymous, as people's kinds.",
    )
    label = serializers.CharField(help_text="The article's own words for the speaker.")


class CandidateSerializer(serializers.ModelSerializer):
    """A candidate as an editor reviews it."""

    id = serializers.IntegerField(read_only=True, help_text="The candidate's number.")
    source = SourceBriefSerializer(help_text="The ingested article.")
    speaker = serializers.SerializerMethodField(
        help_text="Who said it (quotes, fragments, claims); null for events and figures."
    )
    date_precision = serializers.CharField(help_text="day, month or year; blank without date.")
    accept_url = serializers.SerializerMethodField(help_text="POST here to accept it.")
    reject_url = serializers.SerializerMethodField(help_text="POST here to reject it.")
    reviewed_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, help_text="The editor who reviewed it."
    )

    class Meta:
        model = Candidate
        fields = ["id", "source", "kind", "excerpt", "start", "end", "quote", "quote_spans",
                  "speaker", "date", "date_precision", "date_earliest", "date_latest",
                  "date_basis", "date_note", "title", "event_kind", "status", "value",
                  "value_max", "unit", "qualifier", "words", "measure", "topics", "places",
                  "confidence", "reason", "matches", "review_status", "reject_reason",
                  "records", "reviewed_by", "reviewed_at", "accept_url",
                  "reject_url"]  # fmt: skip

    @extend_schema_field(CandidateSpeakerSerializer(allow_null=True))
    def get_speaker(self, candidate: Candidate) -> dict | None:
        if not candidate.speaker_kind:
            return None
        return {
            "slug": candidate.speaker.slug if candidate.speaker else None,
            "name": candidate.speaker.name if candidate.speaker else candidate.speaker_name,
            "kind": candidate.speaker.kind if candidate.speaker else candidate.speaker_kind,
            "label": candidate.speaker_label,
        }

    def get_accept_url(self, candidate: Candidate) -> str:
        return self.link("api:candidate-accept", candidate)

    def get_reject_url(self, candidate: Candidate) -> str:
        return self.link("api:candidate-reject", candidate)

    def link(self, name: str, candidate: Candidate) -> str:
        return reverse(name, kwargs={"pk": candidate.pk}, request=self.context.get("request"))


class CandidateFilterSet(RecordFilterSet):
    source = SlugFilter(
        queryset=Source.objects.all(),
        help_text="Slug of the ingested source (repeatable: either matches).",
    )
    kind = django_filters.MultipleChoiceFilter(
        choices=Candidate.Kind.choices,
        help_text="quote, fragment, claim, event or figure (repeatable: either matches).",
    )
    review_status = django_filters.MultipleChoiceFilter(
        choices=Candidate.ReviewStatus.choices,
        help_text="pending, accepted or rejected (repeatable: either matches).",
    )

    class Meta:
        model = Candidate
        fields = ["source", "kind", "review_status"]


class AcceptSerializer(serializers.Serializer):
    """What an editor may correct on accepting; every field optional (statements.ingest.service
    says which apply to which kind, and refuses any other by name)."""

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise ValidationError({"non_field_errors": ["Give the corrections as a JSON object."]})
        return dict(data)


class RejectSerializer(ClosedBodyMixin, serializers.Serializer):
    reason = CharField(max_length=300, help_text="Why the candidate is rejected.")


ACCEPT_BODY = inline_serializer(
    "CandidateCorrections",
    {
        "text": serializers.CharField(
            required=False, help_text="A statement's text (a quote's words, verbatim)."
        ),
        "speaker": serializers.CharField(
            required=False, allow_null=True, help_text="Slug of the speaker; null for a new one."
        ),
        "speaker_name": serializers.CharField(required=False, help_text="A new speaker's name."),
        "speaker_kind": serializers.ChoiceField(
            choices=Person.Kind.choices,
            required=False,
            help_text="A new speaker's kind.",
        ),
        "date": serializers.CharField(required=False, help_text="Partial ISO date."),
        "match": serializers.CharField(
            required=False,
            allow_null=True,
            help_text="Slug of a record to cite instead of creating one; null to create one.",
        ),
        "topics": serializers.ListField(
            child=serializers.CharField(), required=False, help_text="Topic slugs."
        ),
        "places": serializers.ListField(
            child=serializers.CharField(), required=False, help_text="Place slugs."
        ),
    },
)


class CandidateViewSet(EditorOnlyMixin, viewsets.ReadOnlyModelViewSet):
    """Candidates: what extraction proposed from an ingested article, for editors to review.
    Needs an editor's token (anonymous requests are answered 401)."""

    queryset = Candidate.objects.select_related(
        "source",  # source
        "speaker",  # speaker
        "reviewed_by",  # reviewed_by
    ).order_by("source_id", "start", "end", "id")
    serializer_class = CandidateSerializer
    filterset_class = CandidateFilterSet

    @extend_schema(
        summary="Accept a candidate", request=ACCEPT_BODY, responses={200: CandidateSerializer}
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept the candidate: its statement, event or figure is written with its citation
        (or a citation and wording of the record it matches), through the same rules as the
        admin and the write API. Accepting twice is a 409."""
        candidate = self.get_object()
        corrections = AcceptSerializer(data=request.data)
        corrections.is_valid(raise_exception=True)
        try:
            candidate = accept(candidate, request.user, corrections.validated_data)
        except IngestError as error:
            raise refused(error) from error
        except IntegrityError as error:
            raise Conflict(f"The database refused the write: {error}") from error
        return Response(self.get_serializer(candidate).data)

    @extend_schema(
        summary="Reject a candidate", request=RejectSerializer, responses={200: CandidateSerializer}
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject the candidate with a reason; it is kept. Rejecting a reviewed one is a 409."""
        candidate = self.get_object()
        body = RejectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            candidate = reject(candidate, request.user, body.validated_data["reason"])
        except IngestError as error:
            raise refused(error) from error
        return Response(self.get_serializer(candidate).data)


# --------------------------------------------------------------------------------------------
# Ingest
# --------------------------------------------------------------------------------------------


class IngestSerializer(ClosedBodyMixin, serializers.Serializer):
    url = URLField(max_length=500, help_text="The article's address.")
    published = CharField(
        required=False,
        help_text="Publication date, YYYY-MM-DD (or YYYY-MM); read from the page when html is "
        "given and this is left out.",
    )
    outlet = CharField(max_length=120, help_text="Who published the article.")
    title = CharField(required=False, max_length=300, help_text="Headline (default: the "
                      "page's, or the text's first line).")  # fmt: skip
    author = CharField(required=False, max_length=200, help_text="Byline.")
    text = CharField(
        required=False,
        trim_whitespace=False,
        help_text="The article's plain text, stored exactly as given (offsets point into it).",
    )
    html = CharField(
        required=False,
        trim_whitespace=False,
        help_text="The article's saved HTML page instead of text: its article text is kept.",
    )
    as_new_source = BooleanField(
        required=False,
        help_text="True to add the article as a new source when a source already has its url.",
    )

    allow_no_quotes = BooleanField(
        required=False,
        help_text="True to ingest an article that quotes nobody (reported speech only); "
        "without it such a text is refused.",
    )

    def validate(self, attrs: dict) -> dict:
        if ("text" in attrs) == ("html" in attrs):
            raise ValidationError({"text": ["Give the article as text or as html, one of them."]})
        return attrs


class IngestAnswerSerializer(serializers.Serializer):
    source = SourceBriefSerializer(help_text="The source holding the article.")
    created = serializers.BooleanField(help_text="False when the same text was already held.")
    candidates = serializers.URLField(help_text="The address of the source's candidates.")
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="Candidates proposed, by kind."
    )
    notes = serializers.ListField(
        child=serializers.CharField(), help_text="Which source already holds the text."
    )


class IngestViewSet(EditorOnlyMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Ingest an article: it becomes a source (its text kept exactly as given) and what
    extraction proposes from it becomes candidates for review. The same text again creates
    nothing (200, naming the source that holds it); a different text at a url a source already
    has is a 409 unless `as_new_source`; an article over the size limit is a 413."""

    queryset = Candidate.objects.none()
    serializer_class = IngestSerializer
    write_errors = {
        **{code: text for code, text in EditorOnlyMixin.write_errors.items() if code != "404"},
        "403": "The token's user may not add sources and candidates (the `editors` group may).",
        "409": "Another source already has this url with a different text (send "
        "`as_new_source`). Nothing changed.",
        "413": "The article (or the request's body) is larger than PARLEY_INGEST_MAX_BYTES. "
        "Nothing changed.",
    }
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = None

    def check_permissions(self, request):
        super().check_permissions(request)
        if not request.user.has_perms(["events.add_source", "statements.add_candidate"]):
            self.permission_denied(request, message="Ingesting needs an editor's permissions.")

    @extend_schema(
        summary="Ingest an article",
        request=IngestSerializer,
        responses={201: IngestAnswerSerializer, 200: IngestAnswerSerializer},
    )
    def create(self, request, *args, **kwargs):
        # refused before the body is read: Django would refuse a body past its own limit with
        # a 400, and an article's text or page is held to PARLEY_INGEST_MAX_BYTES anyway
        length = request.META.get("CONTENT_LENGTH") or "0"
        limit = min(2 * max_bytes() + 10_000, settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2**62)
        if length.isdigit() and int(length) > limit:
            raise PayloadTooLarge(
                f"The request body has {int(length):,} bytes, more than the {limit:,} an "
                f"ingest takes; an article may have at most {max_bytes():,} bytes."
            )
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            result = ingest(editor=request.user, **body.validated_data)
        except IngestError as error:
            raise refused(error) from error
        source = result.source
        counts = dict.fromkeys(Candidate.Kind.values, 0)
        for candidate in result.candidates if result.created else source.candidates.only("kind"):
            counts[candidate.kind] += 1
        answer = {
            "source": SourceBriefSerializer(source, context={"request": request}).data,
            "created": result.created,
            "candidates": reverse("api:candidate-list", request=request) + f"?source={source.slug}",
            "counts": counts,
            "notes": result.notes,
        }
        code = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        headers = {"Location": answer["candidates"]} if result.created else {}
        return Response(answer, status=code, headers=headers)
