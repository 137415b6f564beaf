"""The article's own word on who said it: a refuted attribution is no statement, a corrected
one is the speaker's the article names.

By the codebook a quote is the speaker's own words. A fact-check repeats the words it refutes
("A video … claims that Zelensky said “…”. He did not: the clip is edited."), so the quotes,
fragments and claims of a sentence that the next one, in the same paragraph, denies are no one's
statements; nor are the words after a speech verb the article negates ("Zelensky did not say
Donbas is “…”", "Rubio never said this"), which `attribution` already reads as no speech.
A correction ("misattributed the quote “…” to Andrii Sybiha; it was said by Zelensky") gives
the words to the one it says spoke them, never to the one they were wrongly given to.
"""

import re

from statements.ingest.names import NAME
from statements.ingest.proposals import Proposal
from statements.ingest.quotes import Run
from statements.ingest.speakers import Resolver

SAID = r"(?:say|said|saying|tell|told|write|wrote|written|utter|uttered)"
OBJECT = r"(?:it|this|that|so|them|those words|these words|any such thing|anything of the kind)"
# a sentence denying the one before: "He did not: the clip is edited.", "Rubio never said
# this", "There is no record of her saying it." ("He did not elaborate." denies nothing said)
DENIAL = re.compile(
    rf"^(?:[\w’'-]+\s+){{1,3}}?(?:did|has|had)\s*(?:not|n[’']t)(?:\s+{SAID}\s+{OBJECT})?\s*[.:;,]"
    rf"|^(?:[\w’'-]+\s+){{1,3}}?(?:never|did\s+not|didn[’']t)\s+{SAID}\s+{OBJECT}\b"
    rf"|^there\s+is\s+no\s+(?:record|evidence|trace)\s+of\s+(?:[\w’'-]+\s+){{1,3}}?"
    rf"(?:saying|having\s+said|writing)\s+{OBJECT}\b",
    re.IGNORECASE,
)
# a speech verb the article negates, before the words: "did not say", "never said"
NEGATED = re.compile(
    rf"\b(?:(?:did|does|do|has|have|had)\s*(?:not|n[’']t)|never)\s+(?:[a-z]+ly\s+)?{SAID}\b",
    re.IGNORECASE,
)
STATEMENTS = {"quote", "fragment", "claim"}
# after the words, the clause that says whose they are: "; it was said by Zelensky"
SAID_BY = re.compile(
    rf"[^.!?\n]*?[;,]\s*(?:it|they|the words|the quote|the remark)\s+(?:was|were)\s+"
    rf"(?:in fact\s+|actually\s+|really\s+)?(?:said|spoken|written|uttered)\s+by\s+"
    rf"(?P<who>{NAME.pattern})"
)


def without_refuted(
    proposals: list[Proposal],
    text: str,
    spans: list[tuple[int, int]],
    runs: list[Run],
    resolver: Resolver,
) -> list[Proposal]:
    """`proposals` less the statements the article refutes, with the corrected ones' speakers."""
    refuted: list[tuple[int, int]] = []
    for (start, end), (next_start, next_end) in zip(spans, spans[1:], strict=False):
        if "\n" not in text[end:next_start] and DENIAL.match(text[next_start:next_end]):
            refuted.append((start, end))
    kept = []
    for proposal in proposals:
        if proposal.kind in STATEMENTS and (
            any(start <= proposal.start < end for start, end in refuted)
            or negated_before(proposal, text, spans, runs)
        ):
            continue
        kept.append(proposal)
        if proposal.kind in {"quote", "fragment"} and proposal.quote_spans:
            corrected(proposal, text, resolver)
    return kept


def corrected(proposal: Proposal, text: str, resolver: Resolver) -> None:
    """The speaker a correction after the words names: "misattributed the quote “…” to
    Foreign Minister Andrii Sybiha; it was said by Zelensky" is Zelensky's."""
    after = proposal.quote_spans[-1][1] + 1
    said_by = SAID_BY.match(text, after)
    found = said_by and resolver.resolve(said_by["who"], said_by.start("who"))
    if not found or found.speaker.kind == "anonymous":
        return
    proposal.speaker = found.speaker
    proposal.confidence = round(found.confidence * 0.8, 2)
    proposal.reason = f"'{said_by['who']}' named by the correction after it; {found.how}"


def negated_before(
    proposal: Proposal, text: str, spans: list[tuple[int, int]], runs: list[Run]
) -> bool:
    """Whether a quotation's words come after a speech verb negated in their sentence, with no
    attribution of their own after them ("…,” Peskov said" keeps them)."""
    if proposal.kind == "claim" or not proposal.quote_spans:
        return False
    if proposal.reason.startswith("speech verb") and " after" in proposal.reason.split(";")[0]:
        return False
    first = proposal.quote_spans[0][0]
    start = next((s for s, e in spans if s <= first < e), proposal.start)
    before = list(text[start:first])
    for run in runs:  # the words of other quotations negate nothing
        for position in range(max(run.open, start), min(run.after, first)):
            before[position - start] = " "
    return bool(NEGATED.search("".join(before)))
