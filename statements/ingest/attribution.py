"""Who says what in a sentence: speech verbs and their subjects, in the article's offsets.

An attribution is a speech verb ("said", "told", "according to") and the phrase that names its
speaker. The subject is looked for, in this order:

- after "according to", "as reported by", "citing" (the speaker follows);
- before the verb, back to the clause's start ("…, after Marco Rubio admitted that" → "Marco
  Rubio"), past auxiliaries and adverbs ("has also repeatedly said");
- after the verb when nothing stands before it ("…,” said Peskov"; "…, reports the Washington
  Post");
- for a participle ("…, adding, “…”"), the subject of the sentence's previous attribution;
- when an appositive clause stands between subject and verb ("Dimitri Simes, who emigrated …,
  remarked"), the sentence's first speaker.

Quotations are masked before verbs are looked for: words inside quotation marks are the
speaker's, never the article's attribution.
"""

import re
from dataclasses import dataclass

from statements.ingest import lexicon
from statements.ingest.names import strip_phrase
from statements.ingest.quotes import Run
from statements.ingest.speakers import Found, Resolver

MASK = "\x01"
BOUNDARY = re.compile(
    r"[,;:\[\]\x01–—]|\s-\s|\b(?:that|after|while|when|whereas|because|since|although|though|if|"
    r"but|before|until|where|whom|whose|which|as|so|than|despite|even)\b",
    re.IGNORECASE,
)
AGENT = re.compile(
    r"\b(?:according to|as reported by|reported by|as per|citing|cited by|quoted by|in the words "
    r"of)\s+(?:(?:insights|information|data|estimates|comments|remarks|reports?|statements?)\s+"
    r"(?:from|by|of)\s+)?",
    re.IGNORECASE,
)
# a verb: a phrasal one whole ("pointed out", "went on to say"), else one word
VERB = re.compile(
    r"\b(?:"
    + "|".join(
        verb.replace(" ", r"\s+") for verb in sorted(lexicon.PHRASAL_VERBS, key=len, reverse=True)
    )
    + r")\b|\b[a-z]+\b"
)
# "as Peskov put it", "he put it bluntly", not a thing put on the table
PUT_IT = re.compile(r"\s*(?:[,.;:!?\x01]|$)|\s+(?:[a-z]+ly|(?:this|that|another)\s+way)\b")
# "the outlet quoted Lavrov as saying", "one participant recalled Yermak telling the
# Americans": the one whose words are recalled speaks, the other relays
QUOTED_AS = re.compile(
    r"\b(?P<verb>quoted|quotes|cited|cites|recalled|recalls|remembered|remembers|heard|"
    r"overheard)\s+(?P<who>[^,;:\x01]{2,60}?)\s+(?:as\s+)?"
    r"(?:saying|telling|writing|stating|noting|adding|warning)\b"
)
# "These conditions have been dismissed by Ukraine", "it was said by Zelensky"
PASSIVE_AGENT = re.compile(
    r"\b(?:been|was|were|is|are)\s+(?P<verb>[a-z]+ed|said|told|written|spoken)\s+by\s+"
)
END_OF_NP = re.compile(r"[,;:.\x01()–—]|\b(?:who|which|that|on|in|at|during|after|told|to)\b")
# "…, who said" / "…, which said": the verb's subject is the noun phrase before the comma
RELATIVE_PRONOUN = re.compile(
    r",\s+(?:who|which)\s+(?:(?:also|has|have|had|then|later|[a-z]+ly)\s+)*$"
)
# where that noun phrase starts: after the clause or the verb or preposition that governs it
# ("announced … by Kremlin spokesperson Dmitry Peskov, who said")
RELATIVE_HEAD_START = re.compile(
    r"[,;:\x01()–—]|\b(?:by|with|from|met|and|told|between|than|including|like|after|before|"
    r"as|said|says)\s"
)


# a speech verb under a modal of what is only possible: "could argue", "might say", "were to say"
HYPOTHETICAL = re.compile(r"\b(?:could|might|were\s+to|was\s+to)\s+(?:[a-z]+ly\s+)?$", re.I)
# a speech verb the article negates: "did not say", "never said", "were not said by him"
NEGATED = re.compile(r"\b(?:not|n[’']t|never)\s+(?:(?!only\b)[a-z]+ly\s+)?$", re.I)
NEGATABLE = lexicon.split_words("say says said saying tell told write wrote written utter uttered")
# "“…,” Ushakov said, according to TASS": a speech verb and its clause right before the agent
SAID_BEFORE = re.compile(r"\b(?P<verb>[a-z]+)\b[^\x01.;:]{0,60},\s*(?:as\s+)?$")


def relays(before: str, verbs: frozenset[str], resolved: Found | None) -> bool:
    """Whether an institution after "according to" or "as quoted by" only relays words a
    speech verb just gave someone else ("Ushakov said, according to TASS")."""
    said = SAID_BEFORE.search(before)
    return bool(
        said
        and said["verb"] in verbs
        and resolved is not None
        and resolved.speaker.kind == "organisation"
    )


@dataclass
class Attribution:
    verb: str
    verb_start: int
    verb_end: int
    subject_start: int
    subject_end: int
    found: Found | None
    inverted: bool = False
    relayed: bool = False  # "the outlet quoted Lavrov as saying": the speaker after the verb


def masked(text: str, start: int, end: int, runs: list[Run]) -> str:
    """The sentence with every quotation, marks included, replaced by MASK (same length)."""
    chars = list(text[start:end])
    for run in runs:
        for position in range(max(run.open, start), min(run.after, end)):
            chars[position - start] = MASK
    return "".join(chars)


def find_attributions(
    text: str, start: int, end: int, runs: list[Run], resolver: Resolver, quote_verbs_only=False
) -> list[Attribution]:
    """The attributions of the sentence text[start:end], in order."""
    sentence = masked(text, start, end, runs)
    verbs = lexicon.QUOTE_VERBS if quote_verbs_only else lexicon.SPEECH_VERBS
    found: list[Attribution] = []
    for match in PASSIVE_AGENT.finditer(sentence):
        # "These conditions have been dismissed by Ukraine": the agent is the speaker
        if match["verb"] not in verbs:
            continue
        phrase_end = np_end(sentence, match.end())
        resolved = resolver.resolve(sentence[match.end() : phrase_end], start + match.end())
        found.append(
            Attribution(
                match["verb"],
                start + match.start("verb"),
                start + match.end("verb"),
                start + match.end(),
                start + phrase_end,
                resolved,
                inverted=True,
            )
        )
    for match in QUOTED_AS.finditer(sentence):
        # "the outlet quoted Lavrov as saying": the one quoted is the speaker
        resolved = resolver.resolve(match["who"], start + match.start("who"))
        found.append(
            Attribution(
                match["verb"],
                start + match.start("verb"),
                start + match.end("verb"),
                start + match.start("who"),
                start + match.end("who"),
                resolved,
                inverted=True,
                relayed=True,
            )
        )
    for match in AGENT.finditer(sentence):
        phrase_end = np_end(sentence, match.end())
        # "according to the paper's editor, Dan Sabbagh." keeps its apposition
        apposition = re.match(r",\s+(?:[A-Z][\w’'-]+\s?){1,4}(?=[.,;]|$)", sentence[phrase_end:])
        if apposition:
            phrase_end += apposition.end()
        phrase = sentence[match.end() : phrase_end]
        resolved = resolver.resolve(phrase, start + match.end())
        if relays(sentence[: match.start()], verbs, resolved):
            continue
        found.append(
            Attribution(
                match.group().strip().lower(),
                start + match.start(),
                start + match.end(),
                start + match.end(),
                start + phrase_end,
                resolved,
                inverted=True,
            )
        )
    for match in VERB.finditer(sentence):
        word = " ".join(match.group().split())
        if word not in verbs or is_not_speech(sentence, match):
            continue
        if any(a.verb_start <= start + match.start() < a.subject_end for a in found):
            continue
        found.append(attribution_at(sentence, start, match, found, resolver))
    found.sort(key=lambda a: a.verb_start)
    return [a for a in found if a.found is not None or a.verb.endswith("ing")]


def is_not_speech(sentence: str, match: re.Match) -> bool:
    """Uses of a speech verb that attribute nothing: "declined to comment", "a call for",
    "the so-called", "was reported" without an agent."""
    before = sentence[max(0, match.start() - 12) : match.start()].lower()
    after = sentence[match.end() : match.end() + 12].lower()
    word = " ".join(match.group().split())
    if word.startswith("put") and not PUT_IT.match(sentence, match.end()):
        return True  # "we have put it on the table"
    if re.match(r"\s+as\s+(?:saying|telling|stating|writing)\b", after):
        return False  # "X was quoted as saying": X speaks
    if re.search(r"\bto\s+$", before):
        return True  # an infinitive ("declined to comment", "is due to reveal") reports nothing
    if re.search(r"(?:\bthe|\ba|\ban|\bso-|\bits|\bhis|\bher|\btheir|’s|'s)\s*$", before):
        return True  # a noun: "the report", "a call", "so-called", "Putin’s demand"
    near = sentence[max(0, match.start() - 30) : match.start()].lower()
    if re.search(r"\b(?:a|an|each|every)\s+[\w-]+\s+$", near) and not re.search(
        r"(?:s|ed|ing)$", word
    ):
        return True  # "a Baltic state", "an official reply": no singular subject takes "state"
    wider = sentence[max(0, match.start() - 60) : match.start()]
    if NEGATED.search(near) and word in NEGATABLE:
        return True  # "Rubio never said this", "were not said by him": said by no one
    if HYPOTHETICAL.search(wider):
        return True  # "Zelensky could argue that", "were to say": nobody has said it
    if word.endswith("ing") and not (
        re.search(r"(?:[,\x01]|\bwhile|\bbefore|\bafter)\s*$", before)
        or re.match(r"\s+that\b", after)
        or re.search(r"\bwith\s+[^,\x01]{1,50}$", wider)
    ):
        return True  # a participle attributes only as its own clause: ", adding, “…”"
    if word in {"call", "called", "calls"} and not re.match(
        r"\s+(?:for|on|it|him|her|them|the)\b", after
    ):
        return True
    if (
        word.endswith("ed")
        and re.match(r"\s+by\b", after)
        and not re.search(r"\b(?:been|was|were|is|are)\s+$", before)
    ):
        return True  # a participle naming its agent ("a truce announced by Putin") quotes no one
    return bool(word.endswith("ed") and re.search(r"\b(?:was|were|been|be|is|are)\s+$", before))


def attribution_at(
    sentence: str, start: int, match: re.Match, earlier: list[Attribution], resolver: Resolver
) -> Attribution:
    verb, verb_start, verb_end = " ".join(match.group().split()), match.start(), match.end()
    # subject before the verb, back to the clause's start
    clause_start = 0
    for boundary in BOUNDARY.finditer(sentence, 0, verb_start):
        clause_start = boundary.end()
    for attribution in earlier:
        # "Downing Street said Starmer would tell the meeting …": a clause reported without
        # "that" begins after the verb that reports it
        if (
            attribution.found
            and not attribution.inverted
            and clause_start < attribution.verb_end - start <= verb_start
        ):
            clause_start = attribution.verb_end - start
    phrase = sentence[clause_start:verb_start]
    found = resolver.resolve(phrase, start + clause_start) if phrase.strip(MASK + " ") else None
    subject_end = verb_start
    relative = RELATIVE_PRONOUN.search(sentence, 0, verb_start)
    if relative and relative.end() == verb_start:
        # "…, who said", not the pronoun itself nor what the verb reports ("who said Moscow …")
        head_start = 0
        for cut in RELATIVE_HEAD_START.finditer(sentence, 0, relative.start()):
            head_start = cut.end()
        head = sentence[head_start : relative.start()]
        antecedent = resolver.resolve(head, start + head_start) if head.strip() else None
        if antecedent and not antecedent.how.endswith("unresolved"):
            found, clause_start, subject_end = antecedent, head_start, relative.start()
    # only auxiliaries after an apposition: "Medinsky, who headed …, was quoted as saying"
    aux_only = found is None and bool(phrase.strip()) and not strip_phrase(phrase)
    verb_start_core = clause_start if aux_only else verb_start
    subject_start = clause_start
    inverted = False
    with_subject = re.search(r"\bwith\s+([^,\x01]{1,50})$", sentence[:verb_start])
    if found is None and verb.endswith("ing") and with_subject:
        # "…, with a spokesperson saying: “…”"
        found = resolver.resolve(with_subject[1], start + with_subject.start(1))
        subject_start, subject_end = with_subject.start(1), verb_start
    if found is None and verb.endswith("ing"):
        previous = [a for a in earlier if a.found]
        if previous:
            found = previous[-1].found
            subject_start, subject_end = (
                previous[-1].subject_start - start,
                previous[-1].subject_end - start,
            )
    if (
        found is None
        and (aux_only or not phrase.strip())
        and re.search(r",\s*$", sentence[:verb_start_core])
    ):
        # "Kirill Dmitriev, Putin’s envoy, said" / "Putin’s envoy, Kirill Dmitriev, said": an
        # apposition stands between the subject and its verb; a name in either part wins
        found, subject_start, subject_end = apposition(sentence, start, verb_start_core, resolver)
    if found is None and not phrase.strip(" ,-\x01"):
        # "…,” said Peskov" / ", reports the Washington Post": the speaker follows the verb
        after_end = np_end(sentence, verb_end)
        # "…,” said the EU's top diplomat, Kaja Kallas.": the name in apposition is the speaker
        named = re.match(r",\s+(?:[A-Z][\w’'-]+\s?){1,4}(?=[.,;]|$)", sentence[after_end:])
        if named:
            after_end += named.end()
        after = sentence[verb_end:after_end]
        if after.strip() and not re.match(r"\s*(?:that|to|it|this)\b", after):
            found = resolver.resolve(after, start + verb_end)
            subject_start, subject_end, inverted = verb_end, after_end, True
    if found is None and clause_start > 0 and sentence[:clause_start].count(",") >= 1:
        # "Dimitri Simes, who emigrated …, remarked": the sentence's first speaker
        first = re.split(r",", sentence[:verb_start], maxsplit=1)[0]
        if re.match(r"\s*(?:on|in|at|during|after|before|when|while|last|earlier)\b", first, re.I):
            first = ""
        if first.strip(" \x01") and len(first.split()) <= 8:
            found = resolver.resolve(first, start)
            subject_start, subject_end = 0, len(first)
    return Attribution(
        verb,
        start + verb_start,
        start + verb_end,
        start + subject_start,
        start + subject_end,
        found,
        inverted,
    )


def apposition(
    sentence: str, start: int, verb_start: int, resolver: Resolver
) -> tuple[Found | None, int, int]:
    """The subject of "A, B, said": whichever of A and B names a person, else either."""
    head = sentence[:verb_start].rstrip(" ,")
    cut = max(head.rfind(MASK) + 1, 0)
    parts = list(re.finditer(r"[^,]+", head[cut:]))
    if len(parts) < 2:
        return None, 0, 0
    candidates = []
    for part in (parts[-2], parts[-1]):
        found = resolver.resolve(part.group(), start + cut + part.start())
        if found:
            candidates.append((found, cut + part.start(), cut + part.end()))
    # the subject is the whole "A, B" ("“…,” its head, Andriy Kovalenko, said"), so that
    # nothing but the phrase stands between a quote and its attribution after it
    first = parts[-2].group()
    whole = cut + parts[-2].start() + len(first) - len(first.lstrip())
    for found, a, b in candidates:
        if found.speaker.kind == "person" and not found.how.endswith("unresolved"):
            return found, min(a, whole), b
    return candidates[0] if candidates else (None, 0, 0)


def np_end(sentence: str, position: int) -> int:
    """Where a noun phrase starting at `position` ends: at punctuation or a clause word."""
    match = END_OF_NP.search(sentence, position + 1)
    end = match.start() if match else len(sentence)
    return end if end > position else len(sentence)


OCCASION = re.compile(
    r",\s+(?:when\s+|while\s+)?(?:asked|speaking|addressing|answering|interviewed|talking|"
    r"writing|replying|responding)\b"
)
# "Asked about it on Friday, Trump said …", "Speaking in Kyiv on Monday, …": an opening clause
# telling the occasion dates the words, as an apposition telling it does
OPENING_OCCASION = re.compile(
    r"\s*(?:(?:when\s+|while\s+)?(?:asked|speaking|addressing|answering|interviewed|talking|"
    r"writing|replying|responding)\b"
    # "In a speech in Brussels on Tuesday, Kallas said": the occasion the words were given at
    r"|(?:in|at|during)\s+(?:an?|the|his|her|their)\s+(?:[\w-]+\s+)?(?:speech|address|"
    r"interview|briefing|press\s+conference|news\s+conference|statement|post|video|call)\b)"
    r"[^,;:“\"]{0,80},",
    re.IGNORECASE,
)
SENTENCE_OPENING_DATE = re.compile(
    r"\s*(?:on|in|at|earlier|later|last|this|late|early|by)\b[^,;:“\"]{0,30}(?:,|\s)",
    re.IGNORECASE,
)


def when_said(
    text: str, attribution: Attribution | None, start: int, end: int
) -> list[tuple[int, int]]:
    """Where the date of what was said may stand in the sentence text[start:end]: a time
    phrase opening the sentence and the attribution's own words, never what it reports
    ("Crimea, annexed in 2014, is off the table, the sources said" was not said in 2014) nor an
    apposition ("Trump, known for his 1987 book, has said")."""
    if attribution is None:
        return [(start, end)]
    spans = []
    # the occasion's whole phrase first: "In a speech in Brussels on Tuesday," is longer than
    # a date phrase's thirty characters
    opening = OPENING_OCCASION.match(text, start, end) or SENTENCE_OPENING_DATE.match(
        text, start, end
    )
    if opening:
        spans.append(opening.span())
    if attribution.inverted or attribution.subject_start > attribution.verb_start:
        said_from = min(attribution.verb_start, attribution.subject_start)
        # "…,” said Dmitriev, who met Witkoff earlier this month": the relative clause dates
        # the meeting, not the saying
        relative = re.compile(r",\s+(?:who|which|whose|whom|where)\b").search(
            text, attribution.subject_end, end
        )
        return [*spans, (said_from, relative.start() if relative else end)]
    spans.append((attribution.subject_start, attribution.subject_end))
    between = text[attribution.subject_end : attribution.verb_start]
    if "," not in between or OCCASION.match(between):
        # "Rubio, asked about it at a briefing on Tuesday, said": an apposition telling when
        # the words were given dates them, unlike one about the speaker
        spans.append((attribution.subject_end, attribution.verb_start))
    if closes_sentence(text, attribution, end):
        return [*spans, (attribution.verb_start, end)]
    tail = text[attribution.verb_end : end]
    that = re.search(r"\bthat\b|[,;:“\"]", tail)
    stop = attribution.verb_end + (that.start() if that else min(len(tail), 40))
    return [*spans, (attribution.verb_start, stop)]


def closes_sentence(text: str, attribution: Attribution, end: int) -> bool:
    """Whether the attribution ends its sentence ("…, five sources told Reuters."): what was
    said then stands before it."""
    tail = text[attribution.verb_end : end]
    return len(re.findall(r"[A-Za-z]{2,}", tail)) <= 5 and not re.match(r"\s*that\b", tail)
