"""Rules that span a record and its citations, checked wherever such a write happens.

The admin (statement, event and figure forms with their citation inlines, and the citation
form), the write API, the release merge and `check_dataset` all call these functions, so a rule
is written once and refused the same way everywhere.
"""

from django.core.exceptions import ValidationError

from events.reference_text import find_excerpt

VERBATIM_KINDS = {"quote", "fragment"}


def evidence_problems(record, excerpts: list[str]) -> dict[str, str]:
    """What is wrong with the evidence for a statement, event or figure, given its excerpts,
    keyed by the field at fault: `citations` when there is none, `text` for a quote.

    Every record is cited at least once, and a quote or fragment stands character for character
    in one of its excerpts.
    """
    name = record._meta.verbose_name
    if not excerpts:
        return {
            "citations": f"A {name} needs at least one citation: the excerpt of a source that "
            "reports it."
        }
    kind = getattr(record, "kind", None)
    text = getattr(record, "text", "")
    verbatim = record._meta.model_name == "statement" and kind in VERBATIM_KINDS
    if verbatim and not any(text in excerpt for excerpt in excerpts):
        return {
            "text": f"A {kind} must stand character for character in one of its excerpts; "
            f"{text[:80]!r} is in none of them."
        }
    return {}


def evidence_errors(record, excerpts: list[str]) -> list[str]:
    """The messages of evidence_problems."""
    return list(evidence_problems(record, excerpts).values())


def check_evidence(record, excerpts: list[str]) -> None:
    """Raise ValidationError with evidence_errors, if any."""
    errors = evidence_errors(record, excerpts)
    if errors:
        raise ValidationError(errors)


def place_excerpt(source, excerpt: str, start: int | None, end: int | None) -> tuple[str, int, int]:
    """The excerpt and its offsets as a citation stores them.

    Without an end, the excerpt is located in the source's text (typographic and plain quotes
    match each other; `start`, if given, picks one of several occurrences) and the source's own
    characters are taken. With both offsets it is returned as given, for the citation's own
    check (`Citation.verify_excerpt`) to hold against the text.
    """
    if end is not None:
        return excerpt, start, end
    try:
        start, end = find_excerpt(source.text, excerpt, start)
    except ValueError as error:
        raise ValidationError(
            {"excerpt": f"In source {source.slug!r} ({source.title}): {error}"}
        ) from error
    return source.text[start:end], start, end


def citation_problems(citation, previous_target=None) -> dict[str, str]:
    """What saving a citation on its own would break, keyed by the citation's field at fault.

    The record it cites must keep its evidence with this excerpt among its others; a record it
    is moved away from (`previous_target`) must keep a citation.
    """
    problems = {}
    target = citation.target
    if target is not None and target.pk is not None and citation.excerpt:
        others = target.citations.exclude(pk=citation.pk)
        excerpts = [*others.values_list("excerpt", flat=True), citation.excerpt]
        for message in evidence_errors(target, excerpts):
            problems["excerpt"] = message
    if previous_target is not None and previous_target != target:
        left = previous_target.citations.exclude(pk=citation.pk)
        name = previous_target._meta.model_name
        if not left.exists():
            problems[name] = (
                f"This is the only citation of {name} {previous_target.slug!r}: a record keeps "
                "at least one. Cite it elsewhere first."
            )
    return problems


def removal_problem(citation) -> str:
    """Why a citation may not be deleted (the last one of its record is its only evidence: the
    record is deleted instead), or "" when it may."""
    target = citation.target
    if target is not None and not target.citations.exclude(pk=citation.pk).exists():
        name = target._meta.model_name
        return (
            f"This is the only citation of {name} {target.slug!r}, its only evidence: delete "
            f"the {name} instead, or cite it elsewhere first."
        )
    return ""
