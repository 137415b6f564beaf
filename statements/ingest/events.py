"""Events: what happened or is planned, with its kind, status and date, from one sentence each.

A sentence proposes an event when it holds a trigger word of a kind the dataset uses (a call, a
summit, a strike, an annexation …). The status comes from the sentence's own words: cancelled
("called off"), planned (future: "will", "is due to", "expected to", "upcoming"), proposed
("proposed", "a proposal"), else occurred. The date is a date phrase in the same clause as the
trigger (with several, the one in its own scope: not a dateline's); with none, the event has no
date rather than the report's.

An event's status says what happened, is planned, was proposed or was cancelled; there is none
for what did not happen. So a trigger denied in its own scope ("no basis for a summit", "did not
meet", "ruled out talks", "rejected talks", "no agreement was reached") or held in a condition
("if a ceasefire is agreed") proposes nothing, though a past fact the condition states in
passing occurred ("if the exchange of prisoners agreed in October holds"); a hedged one
("could meet", "hopes for talks") is never one that occurred; readiness ("ready to meet if …")
is an offer, proposed. Talks that failed still took place. The scope is the trigger's part of
its clause, so "Putin met Witkoff, but no agreement was reached" is a meeting that occurred.
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
# a time ahead of the report, read in the trigger's own scope: "could meet within two weeks",
# "in the next few days", "later this month", "by the end of the year"
AHEAD = re.compile(
    r"\b(?:within|in)\s+(?:the\s+next\s+)?(?:a|an|one|two|three|four|five|six|several|a\s+few|"
    r"few|\d+)\s+(?:days?|weeks?|months?)\b(?!\s+of\b)|"
    r"\bin\s+the\s+next\s+(?:few\s+)?(?:days|weeks|months)\b|\blater\s+this\s+(?:week|month|year)\b|"
    r"\b(?:by|before)\s+the\s+end\s+of\s+(?:the|this|next)\s+(?:week|month|year)\b",
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

# Negation and hedging are read in the trigger's scope: the stretch of its clause between
# commas, colons, brackets and the words that open a clause of their own. "Putin met Witkoff,
# but no agreement was reached" is a meeting that occurred and no agreement. A scope opened by
# a word ("but", "if") holds that word.
SCOPE_BREAK = re.compile(
    r"[,:()\[\]]|\s[–—-]\s|\b(?:but|while|whereas|although|though|however|and|nor|after|"
    r"before|because|since|when|where|which|who|whom|whose|if|unless|until)\b",
    re.I,
)
WORD = r"[\w’'-]+\s+"
# not taking part in an event, or not speaking of it, is no denial that it happens: "Putin will
# not attend the summit", "the Kremlin did not comment on the talks"
TAKING_PART = r"attend\w*|join\w*|participat\w*|go|going|travel\w*|comment\w*|discuss\w*|address\w*"
# words that may stand between "no basis … for" and the trigger: "for a summit", "of new talks"
DETERMINER = r"(?:(?:a|an|the|any|another|new|further|direct|formal|such|[\w’']+-[\w’']+)\s+)"
# the trigger denied in its scope, the words before it: "no agreement", "there will be no
# meeting", "no basis yet for a summit", "did not meet", "has not agreed", "never invaded",
# "failed to agree", "without a deal"
NEGATED_BEFORE = re.compile(
    r"(?:\b(?:no(?!\s+(?:doubt|matter|sooner|longer)\b)|nor|neither|without|nothing|none)\s+"
    rf"(?:{WORD}){{0,3}}"
    r"|\bno\s+(?:basis|date|plans?|intention|chance|prospects?|signs?|need|reason|decision|"
    r"timetable|time|evidence|indication|progress)\b(?:\s+[\w’'-]+){0,4}?\s+"
    rf"(?:(?:for|of|to|on|about|in)\s+{DETERMINER}{{0,2}}|that\s+(?:\S+\s+){{0,4}})"
    r"|(?:\bnot(?!\s+(?:only|least|just)\b)|n[’']t|\bnever|\byet\s+to|\bfailed\s+to|"
    r"\brefused\s+to|\bdeclined\s+to|\bunwilling\s+to|\breluctant\s+to)\s+"
    rf"(?:(?!(?:that|when|whether|how|why|what|where|{TAKING_PART})\b)[\w’'-]+\s+){{0,3}}"
    r")$",
    re.I,
)
# the trigger denied, ruled out or forbidden: "ruled out talks", "denied that its forces
# struck", "the constitution forbids elections". Not for an accusation: one denied was still made.
DENIED_BEFORE = re.compile(
    r"\b(?:den(?:y|ies|ied|ying)|rul(?:e|es|ed|ing)\s+out|dismiss(?:ed|es)?\s+"
    r"(?:reports|claims|suggestions)|forb(?:id|ids|ade|idden)|ban(?:s|ned|ning)?|"
    r"prohibit(?:s|ed)?)\s+(?:\S+\s+){0,6}$",
    re.I,
)
# refused: "Kyiv rejected talks", "Moscow turned down a deal". Not for a proposal or an
# accusation: one rejected was still made.
REJECTED_BEFORE = re.compile(
    rf"\b(?:reject(?:s|ed|ing)?|turn(?:s|ed|ing)?\s+down)\s+(?:{WORD}){{0,3}}$", re.I
)
# the trigger denied by the words after it ("no agreement was reached" is read before): "the
# summit will not take place", "an agreement was not reached", "the meeting never took place",
# "a draft agreement that was nearly reached". The words after a trigger are its own up to the
# next trigger: "Putin met Witkoff and the summit did not take place" is a meeting.
NEGATED_AFTER = re.compile(
    r"^(?:\s+[\w’'-]+){0,4}?\s+(?P<said>(?:was|were|is|are|has|have|had|will|would|did|does|do|"
    r"could|can)(?:\s+not|n[’']t|\s+nearly|\s+almost)|never|(?:has|have|had)\s+yet\s+to|"
    r"failed\s+to)\s+"
    r"(?:(?:be|been|yet|have)\s+)*(?:held|reached|signed|agreed|concluded|sealed|"
    r"finali[sz]ed|take\s+place|took\s+place|taken\s+place|happen(?:ed)?|occur(?:red)?|"
    r"materiali[sz]ed?|go\s+ahead|gone\s+ahead|went\s+ahead)\b",
    re.I,
)
# a condition is no fact, no plan and no proposal: "if a ceasefire is agreed, troops will …"
CONDITIONAL = re.compile(r"^\s*(?:if|unless|until)\b|\b(?:in case|provided that)\b", re.I)
# A condition may state a past fact in passing, in a reduced relative clause: "if the exchange
# of prisoners agreed in October holds", "unless the accord signed last week is broken", "if the
# talks held on Monday are any guide". The trigger, or a participle after it, comes straight
# after a noun (not after "is", "was", "has": "if a ceasefire is agreed" is the condition
# itself), a past date follows, then the condition's own verb. "If Russia struck on Monday, …"
# has no verb after its date: a condition.
AUXILIARY_BEFORE = re.compile(
    r"\b(?:is|are|was|were|be|been|being|get|gets|got|has|have|had|it|they|he|she|we|you|i|"
    r"if|unless|until|to|not)\s+$",
    re.I,
)
PARTICIPLE_WORD = r"(?:\w+ed|held|made|struck|won|begun|done|taken|brought)"
PARTICIPLE = re.compile(rf"{PARTICIPLE_WORD}$", re.I)
PARTICIPLE_AFTER = re.compile(rf"^\s+{PARTICIPLE_WORD}(?=\s)", re.I)
CONDITION_VERB = re.compile(
    r"^\s+(?:holds?|lasts?|remains?|survives?|stands?|sticks?|endures?|continues?|works?|"
    r"collapses?|fails?|falls?\s+apart|breaks?\s+down|is|are|was|were|has|have|can|could|will|"
    r"would|does|do)\b",
    re.I,
)
# an idea, not the fact reported ("ceasefire talks could …", "hopes to meet"): not an event
# that occurred, though it may be one planned ("could meet next week"). Before the trigger
# a modal anywhere, a hope a few words from it: "had hoped to secure missiles at Friday's
# meeting" reports a meeting. ("May" the month hedges nothing.)
HEDGED_BEFORE = re.compile(
    r"\b(?:could|might|(?-i:may)|would|can|should|whether|possible|possibly|potential(?:ly)?)\b"
    r"|\b(?:likely|unlikely|hop(?:e|es|ed|ing|eful)|optimis(?:m|tic)|any|mooted|wants?\s+to|"
    rf"wanted\s+to)\s+(?:{WORD}){{0,3}}$",
    re.I,
)
# after the trigger, up to a new proposition: "met Macron and said he would not …" met him
HEDGED_AFTER = re.compile(
    r"^(?:\s+(?!(?:that|to|said|says|told|added)\b)[\w’'.-]+){0,10}?\s+"
    r"(?P<said>could|might|(?-i:may)|would|can|should|is\s+possible|are\s+possible)\b",
    re.I,
)
# the next meeting of its kind is to come: "the next round of negotiations", "fresh talks", "a
# new round of direct talks", "further meetings"; unless the words say it was held ("a new round
# of talks began on Monday"). Not for strikes: "launched new attacks" happened.
UPCOMING_BEFORE = re.compile(
    r"\b(?:next|new|further|fresh|another|follow-up)\s+"
    r"(?:(?:round|rounds|session|sessions|stage)\s+of\s+)?(?:[\w’'-]+\s+){0,2}$",
    re.I,
)
UPCOMING_KINDS = {"call", "summit", "conference", "talks", "meeting"}
HELD = re.compile(
    r"\b(?:held|had|hosted|attended|joined|began|begun|started|opened|ended|concluded|closed|"
    r"resumed|took\s+place|wrapped\s+up|got\s+under\s+way|produced|yielded)\b",
    re.I,
)
# a halt to a kind of attack is no attack: "a 30-day halt on strikes against energy
# facilities", "a moratorium on attacks", "agreed to stop strikes", "refrain from attacks",
# "an end to the shelling"; the words between hold no other trigger ("the halt on strikes by
# attacking a power plant" is an attack)
CEASED_BEFORE = re.compile(
    r"\b(?:(?:halt|halts|pause|moratorium|ban|ceasefire|cease-fire|truce|freeze|cessation|"
    r"suspension|end|stop|let-up|lull)\s+(?:on|in|to|of|for)|"
    r"(?:stop|stops|stopped|stopping|halt|halted|halting|cease|ceased|ceasing|end|ends|ended|"
    r"ending|suspend|suspends|suspended|suspending|pause|paused|pausing|freeze|froze|frozen|"
    r"renounce|renounced|give\s+up|gave\s+up)|"
    r"(?:refrain|refrains|refrained|refraining|abstain|abstains|abstained|desist)\s+from)\s+"
    r"(?:(?!(?:by|with|after|before|despite|against|strikes?|struck|attack\w*|shelling|raids?|"
    r"bombed)\b)[\w’'-]+\s+){0,3}$",
    re.I,
)
# the kind of attack halted, said after it: "strikes on energy sites will stop", "attacks must
# end", "the shelling was halted"
CEASED_AFTER = re.compile(
    r"^(?:\s+[\w’'-]+){0,5}?\s+(?P<said>(?:will|would|must|should|to|would\s+have\s+to)\s+"
    r"(?:stop|end|cease|halt|be\s+halted|be\s+paused|be\s+suspended)|"
    r"(?:was|were|is|are|has\s+been|have\s+been)\s+(?:halted|paused|suspended|stopped|"
    r"frozen|banned))\b",
    re.I,
)
CEASED_KINDS = {"strike"}
PAST_TENSE = re.compile(r"(?:\w+ed|met|struck|took|spoke)\b", re.I)
COULD_HAVE = re.compile(r"\b(?:could|might|may|would|should)\s+(?:not\s+|never\s+)?have\b", re.I)
# readiness is an offer, even on a condition: "ready to meet", "willing to hold talks", "would
# be ready to meet if …"; not a readiness only wondered about ("whether he might be ready to")
READY = re.compile(rf"\b(?:ready|willing|prepared|open)\s+(?:to|for)\s+(?:{WORD}){{0,3}}$", re.I)
UNSURE = re.compile(r"\b(?:could|might|(?-i:may)|whether)\b", re.I)


def status_of(near: str, scope: str) -> str:
    """The status the words around the trigger give; a perfect tense in the trigger's own scope
    ("it has annexed") is what occurred even beside a future ("will not give up")."""
    if CANCELLED.search(near):
        return "cancelled"
    if PLANNED.search(near) and not PERFECT.search(scope):
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
    dated = found[0] if len(found) == 1 else None
    if dated and status in {"occurred", "cancelled"} and dated.latest > latest_allowed:
        dated = None  # what happened cannot end after its report
    if dated and status == "planned" and dated.latest < published:
        # what is still to come is not dated wholly before its report: "talks will resume
        # unless the accord signed last week is broken" dates the accord
        dated = None
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


def past_fact_in_condition(
    text: str,
    match: re.Match,
    before: str,
    behind: str,
    published: datetime.date,
    precision: str,
    quoted: list[tuple[int, int]],
) -> date_phrases.DateFound | None:
    """The past date of an event a condition states in passing ("if the exchange of prisoners
    agreed in October holds"), or None when the trigger is the condition itself."""
    if not before.strip() or AUXILIARY_BEFORE.search(before):
        return None
    after = match.end()
    if not PARTICIPLE.match(match.group()):
        participle = PARTICIPLE_AFTER.match(behind)
        if not participle:
            return None
        after += participle.end()
    # the date read from the participle on only: the main clause's "could … within three
    # weeks" says nothing of when the agreement was made
    scope_end = match.end() + len(behind)
    found = date_phrases.find_dates(text, after, scope_end, published, precision, quoted)
    if not found or text[after : found[0].start].strip():
        return None
    dated = found[0]
    latest_allowed = date_phrases.before_report(published, precision).latest
    if dated.latest > latest_allowed or not CONDITION_VERB.match(text[dated.end : scope_end]):
        return None
    return dated


def ahead_of_report(
    found: list[date_phrases.DateFound], published: datetime.date, latest_allowed: datetime.date
) -> str:
    """ "planned" when a date of the event falls after the report ("meet in Budapest on October
    30" in a report of October 20), else "occurred"."""
    if any(f.earliest >= published and f.latest > latest_allowed for f in found):
        return "planned"
    return "occurred"


def scope_around(
    text: str, clause_start: int, clause_end: int, match: re.Match, quoted: list[tuple[int, int]]
) -> tuple[str, str]:
    """The article's words of the trigger's scope before it and after it, quotations blanked."""
    clause = blank(text, clause_start, clause_end, quoted)
    at, after = match.start() - clause_start, match.end() - clause_start
    breaks = list(SCOPE_BREAK.finditer(clause))
    # a break that is a word opens the scope after it and belongs to it; punctuation does not
    left = max(
        [b.start() if b.group()[0].isalpha() else b.end() for b in breaks if b.end() <= at],
        default=0,
    )
    # after the trigger "and" goes on with its phrase: "talks between the US and Russia could …"
    right = min(
        [b.start() for b in breaks if b.start() >= after and b.group().lower() != "and"],
        default=len(clause),
    )
    return clause[left:at], clause[after:right]


def mood_of(before: str, behind: str, kind: str) -> str:
    """How the words of its scope hold the trigger: "negated" (denied, ruled out, did not
    happen), "conditional" (only if something else), "hedged" (could, might, hopes), "ready"
    (someone is ready or willing to: an offer), else "asserted"."""
    if (
        NEGATED_BEFORE.search(before)
        or own(NEGATED_AFTER.search(behind), behind)
        or (kind != "accusation" and DENIED_BEFORE.search(before))
        or (kind not in {"accusation", "proposal"} and REJECTED_BEFORE.search(before))
        or (
            kind in CEASED_KINDS
            and (CEASED_BEFORE.search(before) or own(CEASED_AFTER.search(behind), behind))
        )
    ):
        return "negated"
    if CONDITIONAL.search(before):
        return "conditional"
    if READY.search(before) and not UNSURE.search(before):
        return "ready"
    if HEDGED_BEFORE.search(before) or own(HEDGED_AFTER.search(behind), behind):
        return "hedged"
    return "asserted"


def next_trigger(behind: str) -> int:
    """Where the next trigger starts in the words after one, or their end."""
    found = TRIGGER.search(behind)
    return found.start() if found else len(behind)


def own(found: re.Match | None, behind: str) -> bool:
    """Whether words found after a trigger are its own: no other trigger stands between."""
    return bool(found) and not TRIGGER.search(behind, 0, found.start("said"))


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
