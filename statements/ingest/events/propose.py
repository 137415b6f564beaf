"""The events a sentence proposes, each with its status, date and title."""

import datetime
import re

from statements.ingest import dates as date_phrases
from statements.ingest.events.dating import REPORTED, SAID, past_fact_in_condition
from statements.ingest.events.scope import (
    HEDGED_BEFORE,
    blank,
    clause_around,
    mood_of,
    scope_around,
)
from statements.ingest.events.status import (
    AHEAD,
    COULD_HAVE,
    HELD,
    PAST_TENSE,
    PERFECT,
    UPCOMING_BEFORE,
    UPCOMING_KINDS,
    ahead_of_report,
    status_of,
)
from statements.ingest.events.triggers import TRIGGER, next_trigger
from statements.ingest.proposals import Proposal
from statements.ingest.quotes import Run

# how far from its trigger word an event's status and date are read, in characters
NEAR_BEFORE = 70
NEAR_AFTER = 90


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
        kinds = {m.lastgroup for m in triggers}
        if len(sentence.split()) < 5:
            continue
        # one event per kind, from its first trigger the sentence asserts ("violated the halt on
        # strikes by attacking a plant" is the attack); what is announced is the event, not the
        # announcing ("announced the capture of …")
        done = set()
        for match in triggers:
            kind = match.lastgroup
            if kind in done or (kind == "announcement" and len(kinds) > 1):
                continue
            proposal = event_at(text, start, end, match, quoted, published, precision)
            if proposal:
                proposals.append(proposal)
                done.add(kind)
    return proposals


def event_at(
    text: str,
    start: int,
    end: int,
    match: re.Match,
    quoted: list[tuple[int, int]],
    published: datetime.date,
    precision: str,
) -> Proposal | None:
    """The event a trigger proposes in the sentence text[start:end], or None when its scope
    denies it, holds it in a condition, or hedges one that would have occurred."""
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
    before, behind = scope_around(text, clause_start, clause_end, match, quoted)
    mood = mood_of(before, behind, kind)
    fact = None
    if mood == "conditional":
        fact = past_fact_in_condition(text, match, before, behind, published, precision, quoted)
    if mood == "negated" or (mood == "conditional" and not fact):
        return None
    scope = before + match.group() + behind
    # a fact stated in passing inside a condition is read from its own words, not the
    # sentence's "could … if"
    status = "occurred" if fact else status_of(unquoted, scope)
    if status == "occurred" and mood == "ready":
        status = "proposed"
    latest_allowed = date_phrases.before_report(published, precision).latest
    if status == "occurred" and not fact and not PERFECT.search(scope):
        # its own words up to the next trigger: "met Witkoff and a deal could follow within
        # weeks" is a meeting that occurred
        own_end = match.end() + next_trigger(behind)
        ahead_said = AHEAD.search(before) or AHEAD.search(text, match.end(), own_end)
        # a past tense said plainly is a time taken, not one to come: "captured the town in
        # two weeks"
        if ahead_said and (mood == "hedged" or not PAST_TENSE.match(match.group())):
            status = "planned"
        elif mood == "hedged":
            # what could happen is read against the time to come, by the date after it ("could
            # meet in November"; not "said on Thursday that he could meet"); what could have
            # happened, or a past tense hedged only after it ("met him on Tuesday and could …"),
            # against the past
            ahead = not COULD_HAVE.search(before) and (
                HEDGED_BEFORE.search(before) or not PAST_TENSE.match(match.group())
            )
            own_dates = date_phrases.find_dates(
                text, match.start(), own_end, published, precision, quoted, ahead
            )
            status = ahead_of_report(own_dates, published, latest_allowed)
        elif not (HELD.search(scope) or PAST_TENSE.match(match.group())):
            # a past tense says it was held, whatever a date reads: "the next meeting took
            # place on Saturday"
            own_dates = date_phrases.find_dates(
                text, match.start() - len(before), own_end, published, precision, quoted
            )
            status = ahead_of_report(own_dates, published, latest_allowed)
            if (
                status == "occurred"
                and kind in UPCOMING_KINDS
                and UPCOMING_BEFORE.search(before)
                and not any(f.latest <= latest_allowed for f in own_dates)
            ):
                status = "planned"
    if status == "occurred" and mood == "hedged":
        return None
    ahead = status == "planned" and mood == "hedged" and not COULD_HAVE.search(before)
    found = (
        [fact]
        if fact
        else date_phrases.find_dates(
            text, near_start, near_end, published, precision, quoted, ahead
        )
    )
    if status in {"occurred", "cancelled"}:
        found = [f for f in found if f.latest is None or f.earliest <= latest_allowed]
    if len(found) > 1:
        # several dates near it (a dateline's, a saying's): the one in its own scope, if one
        own = (match.start() - len(before), match.end() + len(behind))
        found = [f for f in found if own[0] <= f.start and f.end <= own[1]]
    if len(found) > 1 and status != "occurred":
        # what is to come is not dated by its saying: "said on Tuesday that talks could resume
        # within three weeks" is the three weeks
        found = [
            f
            for f in found
            if not (f.end <= match.start() and SAID.search(text, f.end, match.start()))
        ]
    dated = found[0] if len(found) == 1 else None
    if dated and status in {"occurred", "cancelled"} and dated.latest > latest_allowed:
        dated = None  # what happened cannot end after its report
    if dated and status == "planned" and dated.latest < published:
        # what is still to come is not dated wholly before its report: "talks will resume
        # unless the accord signed last week is broken" dates the accord
        dated = None
    between = text[dated.end : match.start()] if dated else ""
    reported = REPORTED.search(text, clause_start, match.start()) or SAID.search(between)
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
    return Proposal(
        kind="event",
        start=start,
        end=end,
        excerpt=text[start:end],
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


def title_of(clause: str) -> str:
    """A short title for the editor to correct: the clause, cut to about ten words."""
    words = clause.strip().split()
    title = " ".join(words[:12])
    return title.rstrip(",;:") + ("…" if len(words) > 12 else "")
