"""Rules that span a record and its citations, checked wherever such a write happens.

The admin (statement, event and figure forms with their citation inlines, and the citation
form), the release merge and `check_dataset` all call `evidence_errors`, so a rule is written
once and refused the same way everywhere.
"""

from django.core.exceptions import ValidationError

VERBATIM_KINDS = {"quote", "fragment"}


def evidence_errors(record, excerpts: list[str]) -> list[str]:
    """What is wrong with the evidence for a statement, event or figure, given its excerpts.

    Every record is cited at least once, and a quote or fragment stands character for character
    in one of its excerpts.
    """
    name = record._meta.verbose_name
    if not excerpts:
        return [f"A {name} needs at least one citation: the excerpt of a source that reports it."]
    kind = getattr(record, "kind", None)
    text = getattr(record, "text", "")
    verbatim = record._meta.model_name == "statement" and kind in VERBATIM_KINDS
    if verbatim and not any(text in excerpt for excerpt in excerpts):
        return [
            f"A {kind} must stand character for character in one of its excerpts; "
            f"{text[:80]!r} is in none of them."
        ]
    return []


def check_evidence(record, excerpts: list[str]) -> None:
    """Raise ValidationError with evidence_errors, if any."""
    errors = evidence_errors(record, excerpts)
    if errors:
        raise ValidationError(errors)
