"""An event's status from the words near its trigger: cancelled, planned, proposed or occurred,
and what makes a time or a date one to come."""

import datetime
import re

from statements.ingest import dates as date_phrases

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
PERFECT = re.compile(r"\b(?:has|have|had)\s+(?:been\s+)?\w+ed\b", re.I)
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
PAST_TENSE = re.compile(r"(?:\w+ed|met|struck|took|spoke)\b", re.I)
COULD_HAVE = re.compile(r"\b(?:could|might|may|would|should)\s+(?:not\s+|never\s+)?have\b", re.I)


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


def ahead_of_report(
    found: list[date_phrases.DateFound], published: datetime.date, latest_allowed: datetime.date
) -> str:
    """ "planned" when a date of the event falls after the report ("meet in Budapest on October
    30" in a report of October 20), else "occurred"."""
    if any(f.earliest >= published and f.latest > latest_allowed for f in found):
        return "planned"
    return "occurred"
