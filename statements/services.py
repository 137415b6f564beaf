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


def is_to_come(record) -> bool:
    """Whether a record may lie after the articles that report it: only an event still to come
    when reported, planned, or proposed and not itself a proposal (talks or a meeting someone
    proposed). A proposal (kind `proposal`) has been made by the time it is reported, whatever
    its status; what occurred or was cancelled is past. Statements and figures are never to
    come: they are what was said, and the numbers as they stood."""
    if record._meta.model_name != "event":
        return False
    return record.status == "planned" or (record.status == "proposed" and record.kind != "proposal")


def report_problems(record, sources: list) -> dict[str, str]:
    """What is wrong with the date of a statement, event or figure given the sources that report
    it, keyed by the field at fault (`date`): nothing ends after its report.

    A statement or figure ends by the publication of every article that cites it (the last day
    of the month where only the month is known). An event that is past when reported (it
    occurred, was cancelled, or is a proposal already made) ends by the last article that
    reports it, since an earlier one may announce it (000 expects Trump back "this January").
    What is still to come (`is_to_come`) may lie after the report.
    """
    latest = record.date_latest
    if latest is None or not sources or is_to_come(record):
        return {}
    if record._meta.model_name != "event":
        for source in sorted(set(sources), key=lambda source: source.slug):
            if latest > source.date_latest:
                return {
                    "date": f"ends {latest}, after {source.slug} that reports it (published by "
                    f"{source.date_latest})"
                }
        return {}
    last = max(source.date_latest for source in sources)
    if latest <= last:
        return {}
    what = "a proposal already made" if record.kind == "proposal" else record.status
    return {
        "date": f"{what} but ends {latest}, after the last article that reports it (published "
        f"by {last}): only what is still to come (planned, or proposed and not yet made) may "
        "end later"
    }


def check_report(record, sources: list) -> None:
    """Raise ValidationError with the messages of report_problems, if any."""
    problems = report_problems(record, sources)
    if problems:
        raise ValidationError(list(problems.values()))


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
        others = target.citations.exclude(pk=citation.pk).select_related("source")
        excerpts = [*(other.excerpt for other in others), citation.excerpt]
        for message in evidence_errors(target, excerpts):
            problems["excerpt"] = message
        if citation.source_id is not None:
            sources = [*(other.source for other in others), citation.source]
            for message in report_problems(target, sources).values():
                problems["source"] = f"The {target._meta.verbose_name} {target.slug!r} {message}."
    if previous_target is not None and previous_target != target:
        name = previous_target._meta.model_name
        message = removal_problem(citation, previous_target)
        if message:
            problems[name] = message
    return problems


def removal_problem(citation, target=None) -> str:
    """Why a citation may not leave the record it cites (`target`, by default its own), or ""
    when it may: the last one of a record is its only evidence (the record is deleted
    instead), and an event past when reported must still end by the last article left."""
    target = citation.target if target is None else target
    if target is None:
        return ""
    name = target._meta.model_name
    left = [
        other.source for other in target.citations.exclude(pk=citation.pk).select_related("source")
    ]
    if not left:
        return (
            f"This is the only citation of {name} {target.slug!r}, its only evidence: delete "
            f"the {name} instead, or cite it elsewhere first."
        )
    for message in report_problems(target, left).values():
        return f"Without this citation, the {name} {target.slug!r} {message}."
    return ""
