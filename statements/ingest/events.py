"""Events: what happened or is planned, with its kind, status and date, from one sentence each.

A sentence proposes an event when it holds a trigger word of a kind the dataset uses (a call, a
summit, a strike, an annexation …). The status comes from the sentence's own words: cancelled
("called off"), planned (future: "will", "is due to", "expected to", "upcoming"), proposed
("proposed", "a proposal"), else occurred. The date is a date phrase in the same clause as the
trigger; with none, the event has no date rather than the report's.
"""

import datetime
import re

from statements.ingest import dates as date_phrases
from statements.ingest.proposals import Proposal
from statements.ingest.quotes import Run

# kind → trigger pattern, most specific first
TRIGGERS = [
    (
        "call",
        r"phone call|telephone (?:call|conversation)|phone conversation|spoke by phone|"
        r"(?:call|conversation) with",
    ),
    ("summit", r"summit"),
    ("conference", r"conference"),
    ("talks", r"talks|negotiations|peace deal"),
    ("meeting", r"meeting|\bmet\b|\bmeet\b"),
    ("annexation", r"annex(?:ed|ation|ing)"),
    ("invasion", r"invasion|invaded|invade"),
    ("authorisation", r"authori[sz](?:ed|ation|e)|allowed \w+ to|permission"),
    ("strike", r"strikes?|struck|attacks?|attacked|bombed|shelling|raids?|drone assaults?"),
    ("military_advance", r"captured|capture of|seized|advanc(?:e|ed|ing)|incursion|took control"),
    ("aid_suspension", r"cut off|suspended (?:aid|deliveries|supplies)|halted (?:aid|deliveries)"),
    ("accusation", r"accus(?:ed|ing|ations?)"),
    ("agreement", r"agreement|agreed|accord\b|deal\b"),
    ("proposal", r"proposal|proposed|plan\b|offer(?:ed)?\b"),
    ("election", r"elections?"),
    (
        "taking_office",
        r"inaugurat|took office|taking office|return to the White House|"
        r"comeback to the White House|re-entering the White House",
    ),
    ("leak", r"\bleak"),
    ("announcement", r"announced|announcement"),
]
TRIGGER = re.compile(
    "|".join(f"(?P<{kind}>{pattern})" for kind, pattern in TRIGGERS), re.IGNORECASE
)
CANCELLED = re.compile(r"\b(?:cancel(?:l?ed)|called off|scrapped|postponed|abandoned)\b", re.I)
PLANNED = re.compile(
    r"\b(?:will|is due to|are due to|expected to|is set to|are set to|plans? to|planning to|"
    r"scheduled|upcoming|forthcoming|next week|next month|in the coming|would meet|to be held)\b",
    re.I,
)
PROPOSED = re.compile(r"\b(?:propos(?:ed|al|es)|suggested|offered|called for|calls for)\b", re.I)
REPORTED = re.compile(
    r"\b(?:announced|reported|said|confirmed|claimed|told|revealed|disclosed)\b", re.I
)
# how far from its trigger word an event's status and date are read, in characters
NEAR_BEFORE = 70
NEAR_AFTER = 90
PERFECT = re.compile(r"\b(?:has|have|had)\s+(?:been\s+)?\w+ed\b", re.I)
# only a sentence whose trigger is the fact reported, not an idea ("ceasefire talks could …")
HEDGED = re.compile(r"\b(?:could|might|may|would|if|whether|possible|potential)\b", re.I)


def status_of(near: str) -> str:
    """The status the words around the trigger give; perfect and past tenses ("it has
    annexed") are what occurred even beside a future ("will not give up")."""
    if CANCELLED.search(near):
        return "cancelled"
    if PLANNED.search(near) and not PERFECT.search(near):
        return "planned"
    if PROPOSED.search(near):
        return "proposed"
    return "occurred"


def find_events(
    text: str,
    sentence_spans: list[tuple[int, int]],
    runs: list[Run],
    published: datetime.date,
    precision: str = "day",
) -> list[Proposal]:
    proposals = []
    all_quoted = [(run.open, run.after) for run in runs]
    for start, end in sentence_spans:
        sentence = text[start:end]
        quoted = [(a, b) for a, b in all_quoted if a < end and start < b]
        triggers = [
            m
            for m in TRIGGER.finditer(text, start, end)
            if not any(a <= m.start() < b for a, b in quoted)
        ]
        # one event per kind of trigger; what is announced is the event, not the announcing
        # ("announced the capture of …")
        kinds = {m.lastgroup for m in triggers}
        chosen = {}
        for m in triggers:
            if m.lastgroup == "announcement" and len(kinds) > 1:
                continue
            chosen.setdefault(m.lastgroup, m)
        if len(sentence.split()) < 5:
            continue
        for match in chosen.values():
            kind = match.lastgroup
            clause_start, clause_end = clause_around(text, start, end, match.start(), quoted)
            # the status and the date are read near the trigger, within its clause: "Russia will
            # not give up the territory it has annexed" is an annexation that occurred
            near_start = max(clause_start, match.start() - NEAR_BEFORE)
            if near_start > clause_start:  # from a word's start: the title begins there
                near_start = text.find(" ", near_start, match.start()) + 1 or match.start()
            near_end = min(clause_end, match.end() + NEAR_AFTER)
            near = text[near_start:near_end]
            # the article's words decide, not a speaker's: "“… the dialogue will continue,”
            # said Dmitriev, who met Witkoff" reports a meeting that occurred
            unquoted = blank(text, near_start, near_end, quoted)
            status = status_of(unquoted)
            if status == "occurred" and HEDGED.search(unquoted):
                continue
            found = date_phrases.find_dates(
                text, near_start, near_end, published, precision, quoted
            )
            latest_allowed = date_phrases.before_report(published, precision).latest
            if status in {"occurred", "cancelled"}:
                found = [f for f in found if f.latest is None or f.earliest <= latest_allowed]
            dated = found[0] if len(found) == 1 else None
            if dated and status in {"occurred", "cancelled"} and dated.latest > latest_allowed:
                dated = None  # what happened cannot end after its report
            between = text[dated.end : match.start()] if dated else ""
            reported = REPORTED.search(text, clause_start, match.start()) or re.search(
                r"\bthat\b|\b(?:saying|said|says)\b", between
            )
            if dated and reported and dated.start < match.start() and status != "occurred":
                dated = None  # the date of the saying, not of what is planned or proposed
            if dated and reported and dated.start < match.start():
                # "the army today announced the capture of …": the date is the announcement's;
                # what it announces happened on or before it, no telling how long before
                dated = date_phrases.DateFound(
                    dated.start,
                    dated.end,
                    dated.date,
                    None,
                    dated.latest,
                    "before_report",
                    f"announced {dated.note}; the event itself on or before",
                )
            proposals.append(
                Proposal(
                    kind="event",
                    start=start,
                    end=end,
                    excerpt=sentence,
                    title=title_of(near),
                    event_kind=kind,
                    status=status,
                    date=dated.date if dated else "",
                    date_earliest=dated.earliest if dated else None,
                    date_latest=dated.latest if dated else None,
                    date_basis=dated.basis if dated else "",
                    date_note=dated.note if dated else "",
                    confidence=0.5 if dated else 0.35,
                    reason=f"event word '{match.group()}' ({kind}); status {status}"
                    + (f"; date {dated.note}" if dated else "; no date in its clause"),
                )
            )
    return proposals


def blank(text: str, start: int, end: int, quoted: list[tuple[int, int]]) -> str:
    """text[start:end] with every quotation replaced by spaces."""
    chars = list(text[start:end])
    for a, b in quoted:
        for position in range(max(a, start), min(b, end)):
            chars[position - start] = " "
    return "".join(chars)


def clause_around(
    text: str, start: int, end: int, position: int, quoted: list[tuple[int, int]] = ()
) -> tuple[int, int]:
    """The clause holding `position`: between the semicolons outside quotations, or the
    sentence."""
    stops = [
        i for i in range(start, end) if text[i] == ";" and not any(a <= i < b for a, b in quoted)
    ]
    left = max([s + 1 for s in stops if s < position], default=start)
    right = min([s for s in stops if s >= position], default=end)
    return left, right


def title_of(clause: str) -> str:
    """A short title for the editor to correct: the clause, cut to about ten words."""
    words = clause.strip().split()
    title = " ".join(words[:12])
    return title.rstrip(",;:") + ("…" if len(words) > 12 else "")
