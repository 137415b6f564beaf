"""Claims: reported speech without quotation marks, one proposal per speaker per sentence.

A sentence is a claim of each speaker whose speech verb reports something in the article's own
words: a that-clause ("The Kremlin said that …"), a clause before "according to X" or before an
attribution that closes the sentence ("…, five sources told Reuters."), or one before an
inverted verb ("Kremlin open to talks, says Peskov"). An attribution that only introduces a
direct quotation is the quote's, not a claim; non-answers ("was not immediately available")
and an outlet citing itself ("As reported by …") are not claims.
"""

import re
from collections.abc import Callable

from statements.ingest.attribution import Attribution, closes_sentence, when_said
from statements.ingest.dates import DateFound
from statements.ingest.lexicon import NON_ANSWERS
from statements.ingest.proposals import Proposal
from statements.ingest.quotes import Run


def find_claims(
    text: str,
    sentence: tuple[int, int],
    runs: list[Run],
    attributions: list[Attribution],
    used: set[int],
    date_for: Callable[[list[tuple[int, int]], list[Run]], DateFound],
) -> list[Proposal]:
    """The claims of the sentence text[start:end]; `used` holds the verbs that attribute a
    quote, `date_for` dates a claim from the spans where its date may stand."""
    start, end = sentence
    excerpt = text[start:end]
    if NON_ANSWERS.search(excerpt) or re.match(r"\W*as reported by\b", excerpt, re.I):
        return []
    proposals, speakers = [], set()
    for attribution in attributions:
        if attribution.found is None or attribution.verb_start in used:
            continue
        if not reports_content(text, attribution, runs, end):
            continue
        speaker = attribution.found.speaker
        key = (speaker.slug or speaker.name).lower()
        if key in speakers:
            continue
        speakers.add(key)
        dated = date_for(when_said(text, attribution, start, end), runs)
        proposals.append(
            Proposal(
                kind="claim",
                start=start,
                end=end,
                excerpt=excerpt,
                speaker=speaker,
                **dated.proposal_fields(),
                confidence=round(attribution.found.confidence * 0.8, 2),
                reason=f"reported speech, verb '{attribution.verb}'; {attribution.found.how}",
            )
        )
    return proposals


def words_outside(text: str, start: int, end: int, runs: list[Run]) -> int:
    """How many words text[start:end] holds outside quotations."""
    passage = text[start:end]
    for run in runs:
        if start <= run.open < end:
            passage = passage.replace(text[run.open : run.after], " ")
    return len(re.findall(r"[A-Za-z]{2,}", passage))


def reports_content(text: str, attribution: Attribution, runs: list[Run], end: int) -> bool:
    """Whether the verb reports something said in the article's words, not only a quote."""
    if attribution.verb.startswith(("accord", "as reported", "reported by", "citing", "as per")):
        return True
    if attribution.inverted or closes_sentence(text, attribution, end):
        line_start = text.rfind("\n", 0, attribution.verb_start) + 1
        before_start = max(line_start, attribution.verb_start - 300)
        if words_outside(text, before_start, attribution.verb_start, runs) >= 4:
            return True
    after_start = attribution.subject_end if attribution.inverted else attribution.verb_end
    return words_outside(text, after_start, end, runs) >= 4 or bool(
        re.match(r"\s*that\b", text[after_start:end])
    )
