"""Words the article itself says were never said: a refuted attribution is no statement.

By the codebook a quote is the speaker's own words. A fact-check repeats the words it refutes
("A video … claims that Zelensky said “…”. He did not: the clip is edited."), so the quotes,
fragments and claims of a sentence that the next one, in the same paragraph, denies are no one's
statements; nor are the words after a speech verb the article negates ("Zelensky did not say
Donbas is “…”", "Rubio never said this"), which `attribution` already reads as no speech.
"""

import re

from statements.ingest.proposals import Proposal
from statements.ingest.quotes import Run

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


def without_refuted(
    proposals: list[Proposal], text: str, spans: list[tuple[int, int]], runs: list[Run]
) -> list[Proposal]:
    """`proposals` less the statements the article refutes."""
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
    return kept


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
