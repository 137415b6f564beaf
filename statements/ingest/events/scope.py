"""The trigger's scope in its clause and how its words hold it: negated, conditional, hedged,
ready (an offer) or asserted."""

import re

from statements.ingest.events.triggers import own

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
# readiness is an offer, even on a condition: "ready to meet", "willing to hold talks", "would
# be ready to meet if …"; not a readiness only wondered about ("whether he might be ready to")
READY = re.compile(rf"\b(?:ready|willing|prepared|open)\s+(?:to|for)\s+(?:{WORD}){{0,3}}$", re.I)
UNSURE = re.compile(r"\b(?:could|might|(?-i:may)|whether)\b", re.I)


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
