"""Topics, places and the records the dataset already holds, for each proposal.

- A topic or place is suggested when one of its words stands in the excerpt (places also by a
  close spelling: Zaporizhia for Zaporizhzhia).
- A quote or fragment matches a known statement of the same speaker whose words are the same or
  nearly (RapidFuzz's token-set ratio over the quote): another outlet's report of it becomes a
  new wording and citation, not a duplicate.
- A claim matches a known statement of the same speaker that reads alike.
- An event matches a known event of the same kind of words whose dates can overlap.
"""

import re

from rapidfuzz import fuzz

from statements.ingest.lexicon import split_words
from statements.ingest.proposals import Known, KnownName, KnownRecord, Match, Proposal

# Similarity (0..100): the mean of RapidFuzz's token-set and token-sort ratios over content
# words (the set ratio alone forgives a short record inside a long sentence), calibrated on the
# seeds' records that several articles report (evaluate_ingest's match figures): a translation
# of the same remark ("Without neutrality, it is hard to envision …" / "If there is no
# neutrality, it is difficult to imagine …") scores 62; Zelenskiy's Telegram quote against his
# call for nuclear weapons, 51.
QUOTE_MATCH = 58
CLAIM_MATCH = 62
EVENT_MATCH = 55  # both dated, the dates overlapping
UNDATED_EVENT_MATCH = 65
UNNAMED_MARGIN = 8  # an unnamed speaker matched to a known anonymous group
STOP = frozenset(
    split_words(
        "the a an and or of to in on for with by from at as is are was were be been has have "
        "had its it his her their this that these those than then but not no any all both "
        "after before over under into about between during"
    )
)


def annotate(proposals: list[Proposal], text: str, known: Known) -> None:
    topics = [(name, name_words(name, topic=True)) for name in known.topics]
    places = [(name, name_words(name, topic=False)) for name in known.places]
    suggested: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}  # excerpt → slugs
    records = [(record, content(record.text)) for record in known.records]
    for proposal in proposals:
        excerpt = proposal.excerpt.lower()
        if excerpt not in suggested:
            suggested[excerpt] = (
                tuple(sorted(n.slug for n, words in topics if mentions(excerpt, words))),
                tuple(sorted(n.slug for n, words in places if mentions(excerpt, words))),
            )
        proposal.topics, proposal.places = suggested[excerpt]
        proposal.matches = tuple(matches_for(proposal, known, records))
    one_event_per_record(proposals, {record.slug: words for record, words in records})


def one_event_per_record(proposals: list[Proposal], record_words: dict[str, str]) -> None:
    """A sentence that reports several events proposes each; a known event it matches goes to
    the one whose own words (its title) are most like it, not to all of them."""
    by_sentence: dict[tuple[int, int], list[Proposal]] = {}
    for proposal in proposals:
        if proposal.kind == "event" and proposal.matches:
            by_sentence.setdefault((proposal.start, proposal.end), []).append(proposal)
    for events in by_sentence.values():
        if len(events) < 2:
            continue
        best: dict[str, Proposal] = {}
        for event in events:
            for match in event.matches:
                held = best.get(match.slug)
                words = record_words.get(match.slug, "")
                if held is None or fuzz.token_set_ratio(
                    content(event.title), words
                ) > fuzz.token_set_ratio(content(held.title), words):
                    best[match.slug] = event
        for event in events:
            event.matches = tuple(m for m in event.matches if best.get(m.slug) is event)


def name_words(name: KnownName, topic: bool) -> tuple[str, ...]:
    words = {name.name.lower(), *(word.lower() for word in name.words)}
    if not topic:
        words |= {re.sub(r"\s+(?:region|oblast|province|field|air base)$", "", w) for w in words}
    return tuple(sorted(word for word in words if len(word) >= 4))


def mentions(excerpt: str, words: tuple[str, ...]) -> bool:
    for word in words:
        if re.search(rf"\b{re.escape(word)}", excerpt):
            return True
        if " " not in word and len(word) >= 7:
            for token in re.findall(rf"\b{re.escape(word[:3])}\w+", excerpt):
                if fuzz.ratio(token, word) >= 88:
                    return True
    return False


def matches_for(
    proposal: Proposal, known: Known, records: list[tuple[KnownRecord, str]] | None = None
) -> list[Match]:
    """The known records a proposal reports again, best first (`records`: each known record
    with its content words, computed once per article)."""
    found = []
    speaker = proposal.speaker.slug if proposal.speaker else None
    unnamed = proposal.speaker is not None and proposal.speaker.kind == "anonymous" and not speaker
    anonymous = {person.slug for person in known.people if person.kind == "anonymous"}
    if records is None:
        records = [(record, content(record.text)) for record in known.records]
    for record, record_words in records:
        if proposal.kind in {"quote", "fragment", "claim"} and record.type == "statement":
            # the same speaker; or unnamed sources saying what known unnamed sources said
            # (another outlet's "the sources" may be Reuters' five), held to a higher bar
            same = speaker is not None and record.speaker == speaker
            if not same and not (unnamed and record.speaker in anonymous):
                continue
            words = proposal.quote if proposal.kind != "claim" else proposal.excerpt
            if proposal.kind == "fragment" and len(words.split()) < 3:
                # a word or two must be the very words: "realities" is not "realities on the
                # ground" (fixtures/README.md keeps those two apart)
                score = 100.0 if words.lower() == record.text.lower().strip(" ,.") else 0.0
            else:
                score = alike(content(words), record_words)
            threshold = CLAIM_MATCH if proposal.kind == "claim" else QUOTE_MATCH
            threshold += 0 if same else UNNAMED_MARGIN
            who = "same speaker" if same else "unnamed sources"
            if score >= threshold and overlaps(proposal, record):
                found.append(
                    match_of("statement", record.slug, score, f"{who}, words {score:.0f}% alike")
                )
        elif proposal.kind == "event" and record.type == "event":
            score = fuzz.token_set_ratio(content(proposal.excerpt), record_words)
            dated = proposal.date_earliest or proposal.date_latest
            threshold = EVENT_MATCH if dated else UNDATED_EVENT_MATCH
            if score >= threshold and overlaps(proposal, record):
                found.append(
                    match_of(
                        "event",
                        record.slug,
                        score,
                        f"an event of overlapping date, words {score:.0f}% alike",
                    )
                )
        elif proposal.kind == "figure" and record.type == "figure":
            value = proposal.figure.get("value")
            if value is not None and re.search(rf"\b{value:g}\b", record.text.replace(",", "")):
                score = fuzz.token_set_ratio(content(proposal.excerpt), record_words)
                if score >= EVENT_MATCH and overlaps(proposal, record):
                    found.append(
                        match_of(
                            "figure",
                            record.slug,
                            score,
                            f"the same value, words {score:.0f}% alike",
                        )
                    )
    return sorted(found, key=lambda match: -match.score)[:3]


def alike(a: str, b: str) -> float:
    """How alike two texts' content words are (see QUOTE_MATCH)."""
    return (fuzz.token_set_ratio(a, b) + fuzz.token_sort_ratio(a, b)) / 2


def match_of(kind: str, slug: str, score: float, reason: str) -> Match:
    return Match(kind, slug, round(score / 100, 2), reason)


def content(text: str) -> str:
    return " ".join(w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOP)


def overlaps(proposal: Proposal, record) -> bool:
    """Whether two date intervals can overlap (an open end overlaps everything that way)."""
    if (
        proposal.date_latest
        and record.date_earliest
        and proposal.date_latest < record.date_earliest
    ):
        return False
    return not (
        proposal.date_earliest
        and record.date_latest
        and record.date_latest < proposal.date_earliest
    )
