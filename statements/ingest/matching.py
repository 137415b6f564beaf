"""Topics, places and the records the dataset already holds, for each proposal.

- A topic or place is suggested when one of its words stands in the excerpt (places also by a
  close spelling: Zaporizhia for Zaporizhzhia).
- A quote or fragment matches a known statement of the same speaker whose words are the same or
  nearly (RapidFuzz's token-set ratio over the quote), and whose dates agree (`dates_agree`):
  another outlet's report of it becomes a new wording and citation, not a duplicate.
- A claim matches a known statement of the same speaker that reads alike.
- An event matches a known event whose words are alike and whose dates can overlap, if their
  kinds agree (KINDS_ALIKE) and their statuses do not set them apart (`statuses_agree`).
"""

import datetime
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
# Event kinds an article may give one event: two kinds agree when a group holds both. Talks are
# held at a meeting or summit and by phone; a conference is where leaders meet; an incursion,
# an invasion and an attack are all fighting, and the seizure of a region is reported as its
# annexation; a deal is a proposal agreed; an offer, an authorisation and a suspension of aid
# are decisions announced. A call is not a summit, an accusation is not the attack it alleges,
# a leak, an election and taking office are each their own. "other" (and a record with no kind)
# names no kind, so there the words alone decide.
KINDS_ALIKE = (
    frozenset({"talks", "meeting", "summit", "conference"}),
    frozenset({"talks", "call"}),
    frozenset({"strike", "military_advance", "invasion"}),
    frozenset({"military_advance", "annexation"}),
    frozenset({"agreement", "proposal"}),
    frozenset({"proposal", "announcement", "authorisation", "aid_suspension"}),
)
NO_KIND = frozenset({"", "other"})
AHEAD = frozenset({"planned", "proposed"})  # what an article reports as not yet happened
STOP = frozenset(
    split_words(
        "the a an and or of to in on for with by from at as is are was were be been has have "
        "had its it his her their this that these those than then but not no any all both "
        "after before over under into about between during"
    )
)


def annotate(
    proposals: list[Proposal], text: str, known: Known, published: datetime.date | None = None
) -> None:
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
        proposal.matches = tuple(matches_for(proposal, known, records, published))
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
    proposal: Proposal,
    known: Known,
    records: list[tuple[KnownRecord, str]] | None = None,
    published: datetime.date | None = None,
) -> list[Match]:
    """The known records a proposal reports again, best first (`records`: each known record
    with its content words, computed once per article; `published`: the article's earliest
    date, which sets a planned event apart from one that had already happened)."""
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
            if score >= threshold and dates_agree(proposal, record):
                found.append(
                    match_of("statement", record.slug, score, f"{who}, words {score:.0f}% alike")
                )
        elif proposal.kind == "event" and record.type == "event":
            if not kinds_agree(proposal.event_kind, record.kind) or not statuses_agree(
                proposal, record, published
            ):
                continue
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


def kinds_agree(a: str, b: str) -> bool:
    """Whether one event may be reported as of kind `a` and of kind `b` (KINDS_ALIKE)."""
    if a == b or a in NO_KIND or b in NO_KIND:
        return True
    return any(a in group and b in group for group in KINDS_ALIKE)


def statuses_agree(
    proposal: Proposal, record: KnownRecord, published: datetime.date | None
) -> bool:
    """Whether the statuses let the proposal be the record. An event moves from proposed to
    planned to occurred (or cancelled), and articles of different days report it at different
    steps, so a planned event may be one the dataset holds as occurred. But what occurred was
    not cancelled, and what an article calls planned or proposed is not an event that had
    already taken place before the article (the Istanbul talks of 2022 are not the talks a 2025
    article expects). A proposal that is an offer is made when proposed: that is its occurring."""
    statuses = {proposal.status, record.status}
    if statuses == {"occurred", "cancelled"}:
        return False
    return not (
        proposal.status in AHEAD
        and proposal.event_kind != "proposal"
        and record.status == "occurred"
        and published is not None
        and record.date_latest is not None
        and record.date_latest < published
    )


def alike(a: str, b: str) -> float:
    """How alike two texts' content words are (see QUOTE_MATCH)."""
    return (fuzz.token_set_ratio(a, b) + fuzz.token_sort_ratio(a, b)) / 2


def match_of(kind: str, slug: str, score: float, reason: str) -> Match:
    return Match(kind, slug, round(score / 100, 2), reason)


def content(text: str) -> str:
    return " ".join(w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOP)


def dates_agree(proposal: Proposal, record: KnownRecord) -> bool:
    """Whether a statement can be the record's occasion: their intervals overlap, and an open
    start is not any time. A record open at the start is words its report gives no day for,
    placed by the dataset in the period its last day falls in (fixtures/README.md); a proposal
    the article dates at both ends is another occasion unless it reaches into the year before
    that day (Putin's 2007 Munich speech is not the "unipolar" record of February 2025). A
    proposal open at the start may still be any earlier saying."""
    if not overlaps(proposal, record):
        return False
    if record.date_earliest is None and record.date_latest and proposal.date_earliest:
        return proposal.date_latest is None or (
            proposal.date_latest >= record.date_latest - datetime.timedelta(days=365)
        )
    return True


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
