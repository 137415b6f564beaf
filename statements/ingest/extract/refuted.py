"""The article's own word on who said it: a refuted attribution is no statement, a corrected
one is the speaker's the article names.

By the codebook a quote is the speaker's own words. A fact-check repeats the words it refutes
("A video … claims that Zelensky said “…”. He did not: the clip is edited."), so the quotes,
fragments and claims of a sentence that the next one, in the same paragraph, denies are no one's
statements; nor are the words after a speech verb the article negates ("Zelensky did not say
Donbas is “…”", "Rubio never said this"), which `attribution` already reads as no speech.
A denial further on that refers back ("The quote is fabricated.", "The clip was doctored.")
refutes the last words the article only reports as someone's claim (a video, a post, "quotes X
as saying"), in its paragraph or the one before; a verdict naming whose words they were said to
be ("the quotes attributed to Kallas are fabricated") refutes every such report of that
speaker's words before it; and words the article itself doubts ("a quote widely attributed to
X", "attributes to X the line", "falsely attributed") are no one's, with no denial needed.
A correction ("misattributed the quote “…” to Andrii Sybiha; it was said by Zelensky") gives
the words to the one it says spoke them, never to the one they were wrongly given to.
"""

import re

from statements.ingest.names import NAME
from statements.ingest.proposals import Proposal, Speaker
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
# words the article only reports as someone's claim, not as said: a video, a post, "claims that",
# "quotes X as saying" (a "video address" is the speaker's own)
HEDGED = re.compile(
    r"\b(?:claim(?:s|ed)?\s+that|purport\w*|alleged\w*|supposed\w*|attribut\w*|"
    r"quot(?:es|ed|ing)\s+[^.;“\"]{1,80}?\s+as\s+saying|"
    r"(?:video(?!\s+(?:address|message|link|call))|clip|post|footage|screenshot|meme|tweet|"
    r"recording)s?(?![\w-]))",
    re.IGNORECASE,
)
FAKE = (
    r"(?:fabricat\w*|fake[ds]?|a\s+fake|doctored|edited|manipulated|spliced|invented|"
    r"made\s+up|misattributed|falsely\s+attributed|bogus|fictitious|forged|a\s+forgery|"
    r"a\s+deepfake|(?:AI|computer)[-\s]generated)"
)
BEEN = r"(?:is|was|are|were|has\s+been|have\s+been|had\s+been)\s+(?:[a-z]+ly\s+)?[“\"]?"
# a denial pointing back at words: "The quote is fabricated.", "The clip was doctored", "There
# is no record of him saying it", "found no evidence he ever said it", a bare "Verdict: false."
REFERS_BACK = re.compile(
    rf"\b(?:the|this|that|these|those)\s+(?:[a-z]+\s+)?(?:quot(?:e|ation)|words?|line|"
    rf"remark|statement|clip|video|footage|post|screenshot|recording|audio|tweet|image|"
    rf"attribution)s?\s+{BEEN}{FAKE}\b"
    rf"|^(?:it|this|they)\s+{BEEN}{FAKE}\b"
    rf"|\bno\s+(?:record|evidence|trace|sign)\s+(?:of\s+|that\s+)?(?:[\w’'-]+\s+){{1,3}}?"
    rf"(?:saying|having\s+said|said|writing|wrote|uttering|uttered)\s+{OBJECT}\b"
    rf"|^verdict\s*:\s*(?:false|fake|fabricated|misattributed)\b",
    re.IGNORECASE,
)
# a verdict naming whose words they were said to be: "the quotes attributed to Kallas and Rubio
# are fabricated", "The words attributed to Zelensky … were not said by him"
NAMED = re.compile(
    rf"\b(?:words?|quot(?:e|ation)s?|lines?|remarks?|statements?|comments?)\s+(?:[a-z]+\s+)?"
    rf"attributed\s+to\s+(?P<who>{NAME.pattern}(?:(?:,\s*|,?\s+and\s+){NAME.pattern})*)"
    rf"[^.;,]*?\b{BEEN}(?:{FAKE}|false|untrue|not\s+(?:genuine|authentic|(?:said|spoken|"
    rf"written)\s+by))"
)
# words the article itself doubts: "a quote widely attributed to X", "falsely attributed",
# "A post attributes to Marco Rubio the line “…”"
DOUBTED = re.compile(
    r"\b(?:(?:widely|falsely|wrongly|mistakenly|often|commonly|popularly|supposedly|"
    r"purportedly|allegedly|erroneously)\s+attributed|misattribut\w*)\b"
    r"|\battribut(?:es|ed|ing)\s+to\s+[^.;“\"]{1,60}?\s+the\s+(?:line|words?|quot(?:e|ation)|"
    r"remark|phrase|statement|sentence)\b",
    re.IGNORECASE,
)
# after the words, the clause that says whose they are: "; it was said by Zelensky"
CORRECTION = re.compile(
    rf"[;,]\s*(?:it|they|the words|the quote|the remark)\s+(?:was|were)\s+"
    rf"(?:in fact\s+|actually\s+|really\s+)?(?:said|spoken|written|uttered)\s+by\s+"
    rf"(?P<who>{NAME.pattern})"
)
SAID_BY = re.compile(rf"[^.!?\n]*?{CORRECTION.pattern}")


def without_refuted(
    proposals: list[Proposal],
    text: str,
    spans: list[tuple[int, int]],
    runs: list[Run],
    resolver: Resolver,
) -> list[Proposal]:
    """`proposals` less the statements the article refutes, with the corrected ones' speakers."""
    refuted = refuted_sentences(proposals, text, spans, resolver)
    kept = []
    for proposal in proposals:
        if proposal.kind in STATEMENTS and (
            any(start <= proposal.start < end for start, end in refuted)
            or negated_before(proposal, text, spans, runs)
            or doubted(proposal, text, spans)
        ):
            continue
        kept.append(proposal)
        if proposal.kind in {"quote", "fragment"} and proposal.quote_spans:
            corrected(proposal, text, resolver)
    return kept


def refuted_sentences(
    proposals: list[Proposal], text: str, spans: list[tuple[int, int]], resolver: Resolver
) -> list[tuple[int, int]]:
    """The sentences whose words the article denies anyone said."""
    paragraph = [text.count("\n", 0, start) for start, _ in spans]
    statements = [
        [p for p in proposals if p.kind in STATEMENTS and start <= p.start < end]
        for start, end in spans
    ]
    hedged = [
        index
        for index, (start, end) in enumerate(spans)
        if statements[index] and HEDGED.search(text, start, end)
    ]
    refuted = set()
    for index, (start, end) in enumerate(spans):
        sentence = text[start:end]
        if index and paragraph[index - 1] == paragraph[index] and DENIAL.match(sentence):
            refuted.add(index - 1)
        if REFERS_BACK.search(sentence) or DENIAL.match(sentence):
            earlier = [i for i in hedged if i < index and paragraph[index] - paragraph[i] <= 1]
            refuted.update(earlier[-1:])
        for named in NAMED.finditer(sentence):
            for who in NAME.finditer(named["who"]):
                found = resolver.resolve(who[0], start + named.start("who") + who.start())
                if not found or found.speaker.kind == "anonymous":
                    continue
                refuted.update(
                    i
                    for i in hedged
                    if i < index and any(same(p.speaker, found.speaker) for p in statements[i])
                )
    return [spans[index] for index in sorted(refuted)]


def same(speaker: Speaker | None, other: Speaker) -> bool:
    return speaker is not None and (speaker.slug or speaker.name, speaker.kind) == (
        other.slug or other.name,
        other.kind,
    )


def doubted(proposal: Proposal, text: str, spans: list[tuple[int, int]]) -> bool:
    """Whether the words are in a sentence that itself doubts whose they are ("a quote widely
    attributed to X"), with no correction and no attribution of their own after them."""
    if proposal.reason.startswith("speech verb") and " after" in proposal.reason.split(";")[0]:
        return False
    start, end = next(((s, e) for s, e in spans if s <= proposal.start < e), (0, 0))
    sentence = text[start:end]
    return bool(DOUBTED.search(sentence)) and not CORRECTION.search(sentence)


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
