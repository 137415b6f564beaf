"""The trigger words of each event kind, and where the next one stands after a trigger."""

import re

# kind → trigger pattern, most specific first
TRIGGERS = [
    (
        "call",
        r"phone call|telephone (?:call|conversation)|phone conversation|spoke by phone|"
        r"(?:call|conversation) with",
    ),
    ("summit", r"summit"),
    ("conference", r"conference"),
    (
        "talks",
        r"talks|negotiations|peace deal|"
        # talks that meet again, go on or break: "the delegations will reconvene", "adjourned
        # until Monday", "resume on Monday" (not "resumed strikes": an object of its own is that
        # kind's), "the resumption of dialogue", "return to the negotiating table"
        r"\breconven\w*|\badjourn\w*|"
        r"\bresum(?:e|es|ed|ing)\b(?=\s*[,.;]|\s+(?:on|in|at|after|before|next|later|this|"
        r"tomorrow|today|within|once|when|from|until|as|if|soon|shortly|again)\b)|"
        r"\bresumption of (?:the )?(?:dialogue|contacts)|"
        r"\b(?:return|returns|returned|returning|go back|goes back|went back|come back|came back|"
        r"get back|got back|back) to the (?:negotiating )?table",
    ),
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


def next_trigger(behind: str) -> int:
    """Where the next trigger starts in the words after one, or their end."""
    found = TRIGGER.search(behind)
    return found.start() if found else len(behind)


def own(found: re.Match | None, behind: str) -> bool:
    """Whether words found after a trigger are its own: no other trigger stands between."""
    return bool(found) and not TRIGGER.search(behind, 0, found.start("said"))
