"""The edit form of a candidate: what an editor may change before accepting.

Each form holds the fields of the record its candidate becomes, filled with what was proposed;
the review page (`review`) sends only the fields an editor changed to `accept()`.
"""

from django import forms

from events.models import DateBasis, Event, Person
from statements.ingest.models import Candidate
from statements.ingest.service import STATEMENT_KINDS, IngestError, number, target_of
from statements.models import Statement

NEW_RECORD = ""  # the match choice that creates a record instead of citing one


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
