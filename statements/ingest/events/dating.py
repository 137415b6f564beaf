"""Dates near an event that are not its own to take plainly: the saying's, and a past fact a
condition states in passing."""

import datetime
import re

from statements.ingest import dates as date_phrases

REPORTED = re.compile(
    r"\b(?:announced|reported|said|confirmed|claimed|told|revealed|disclosed)\b", re.I
)
# between a date and the trigger, words that make it the date of the saying: "said on Tuesday
# that talks …"
SAID = re.compile(r"\bthat\b|\b(?:saying|said|says)\b")
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
