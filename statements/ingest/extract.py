"""The extraction pipeline: an article's text in, `Proposal`s out, nothing written.

`propose()` reads the text once, in order, paragraph by paragraph and sentence by sentence, so
that a speaker named earlier ("he", "the Ukrainian president") is known when a later sentence
refers back to them. Each stage lives in its own module:

- `quotes`: quotation marks paired into runs;
- `text`: paragraphs and sentences (a quotation never splits a sentence);
- `attribution`: speech verbs and their subjects, and where a statement's date may stand;
- `speakers`: a subject phrase resolved to a person, institution or anonymous source, with
  `names` (a name among titles and ordinary words) and `lexicon` (the words of reporting);
- `claims`: reported speech without quotation marks;
- `dates`: date phrases resolved to intervals against the publication date;
- `events` and `figures`: what happened and the numbers asserted;
- `matching`: topics, places and the records the dataset already holds.

Offsets index the exact characters given: the text is never normalised.
"""

import datetime
import re

from statements.ingest import dates as date_phrases
from statements.ingest import events, figures, matching
from statements.ingest.attribution import Attribution, find_attributions, when_said
from statements.ingest.claims import find_claims
from statements.ingest.interview import Answer, find_answers
from statements.ingest.lexicon import QUOTE_VERBS
from statements.ingest.names import NAME
from statements.ingest.proposals import Known, Proposal, Speaker
from statements.ingest.quotes import Run, find_runs
from statements.ingest.speakers import Found, Resolver
from statements.ingest.text import paragraphs, sentences

WORK_TITLE = re.compile(
    r"\b(?:book|novel|film|movie|documentary|song|album|play|poem|titled|entitled|headlined|"
    r"column|op-ed|essay|report|slogan|hashtag|motto|show|series|programme|program|"
    r"dubbed|nicknamed|codenamed|code-named|operation)\s*$|\bso-called(?:\s+[\w-]+){0,2}\s*$|"
    # a broadcaster's programme: NBC's “Meet the Press”
    r"(?-i:\b[A-Z]{2,5}(?:’s|'s))\s*$",
    re.IGNORECASE,
)
UNATTRIBUTED = Speaker("unattributed (heading)", "anonymous", None, "(unattributed; heading)")
FRAGMENT_MAX_WORDS = 8
QUOTE_LABEL = re.compile(r"\s*(?:Quote|Quotes|Direct speech)(?: from (?P<who>[^:]{2,60}))?\s*:\s*")
# "Source: UK government official, as reported by …": the speaker of the quotes that follow
SOURCE_LINE = re.compile(r"Source\s*:\s*(?P<who>[^,.;\n]{2,80})")
# "Peskov: Moscow has no information", "• Macron: “…”" (a live blog's key points)
HEADLINE_SPEAKER = re.compile(
    r"(?:[•·▪◦‣*][ ]*)?(?P<who>[A-Z][\w’'.-]+(?:[ ][A-Z][\w’'.-]+){0,3}):[ ]+(?=\S)"
)
IN_THEIR_WORDS = re.compile(
    r"\s*(?:in|to use) (?P<pronoun>his|her|their) (?:own )?(?:words|phrase|view)\s*,?\s*", re.I
)
# how an article introduces an interview it prints as questions and answers
INTERVIEW = re.compile(
    r"\binterview|\b(?:spoke|talked|talks|speaks) (?:to|with)\b|\bsat down with\b|"
    r"\bin conversation\b",
    re.IGNORECASE,
)
ATTRIBUTED_AFTER = re.compile(
    r"[ ,]*(?:[\w’'.-]+[ ]+){0,6}?(?P<verb>"
    + "|".join(sorted(QUOTE_VERBS, key=len, reverse=True))
    + r")\b"
)


def propose(
    text: str, *, published: datetime.date, known: Known, precision: str = "day"
) -> list[Proposal]:
    """Every candidate record the text supports, in text order.

    `precision` is how well the publication date is known ("day", "month" or "year"): a report
    known only to its month resolves "today" to that month, never to a guessed day.
    """
    if not text.strip():
        return []
    reader = Reader(text, published, known, precision)
    proposals = reader.read()
    proposals += events.find_events(text, reader.sentence_spans, reader.runs, published, precision)
    proposals += figures.find_figures(
        text, reader.sentence_spans, reader.runs, published, precision
    )
    # the first day the report may be from: what it calls planned comes after that day
    earliest = published
    if precision != "day":
        earliest = published.replace(month=1 if precision == "year" else published.month, day=1)
    matching.annotate(proposals, text, known, earliest)
    proposals.sort(key=lambda proposal: (proposal.start, proposal.end))
    return proposals


class Reader:
    """One pass over the article: quotes, fragments and claims, with their speakers."""

    def __init__(self, text: str, published: datetime.date, known: Known, precision: str):
        self.text = text
        self.published = published
        self.precision = precision
        self.resolver = Resolver(text, known, published)
        self.runs = find_runs(text)
        self.sentence_spans: list[tuple[int, int]] = []
        self.last_speaker: tuple[int, Found] | None = None  # (paragraph index, speaker)
        self.answers = {answer.paragraph: answer for answer in find_answers(text)}

    def read(self) -> list[Proposal]:
        proposals: list[Proposal] = []
        protected = [(run.open, run.after) for run in self.runs]
        pending: list[Run] = []  # a quote still open at a paragraph's end
        for index, (start, end) in enumerate(paragraphs(self.text)):
            heading = is_heading(self.text[start:end])
            source_line = SOURCE_LINE.match(self.text, start, end)
            if source_line:
                found = self.resolver.resolve(source_line["who"], start)
                if found:
                    self.resolver.remember(start, found.speaker)
                    self.last_speaker = (index, found)
                continue
            if index in self.answers:
                proposals += self.answer(self.answers[index], start, index)
            for sentence in sentences(self.text, start, end, protected):
                self.sentence_spans.append(sentence)
                self.resolver.remember_mentions(*sentence)
                self.resolver.note_sentence(*sentence)
                proposals += self.read_sentence(sentence, index, heading, pending)
        return proposals

    def answer(self, answer: Answer, paragraph_start: int, index: int) -> list[Proposal]:
        """An interview's answer: a quote of the interviewee, labelled instead of quoted."""
        found = self.interviewee(answer)
        if found is None:
            return []
        self.last_speaker = (index, found)
        self.resolver.remember(answer.start, found.speaker)
        dated = date_phrases.before_report(self.published, self.precision)
        return [
            Proposal(
                kind="quote",
                start=paragraph_start,
                end=answer.end,
                excerpt=self.text[paragraph_start : answer.end],
                quote=self.text[answer.start : answer.end],
                quote_spans=((answer.start, answer.end),),
                speaker=found.speaker,
                **dated.proposal_fields(),
                confidence=round(found.confidence * 0.9, 2),
                reason=f"interview answer labelled '{answer.label}:'; {found.how}",
            )
        ]

    def interviewee(self, answer: Answer) -> Found | None:
        """Who answers: the person the label names ("Sybiha:"), else, for a bare "A:", the
        first person the article names before its first answer."""
        if len(answer.label) > 1:
            # "SECRETARY RUBIO:": an official transcript's capitals are a title and a name
            label = answer.label.title() if answer.label.isupper() else answer.label
            found = self.resolver.resolve(label, answer.start)
            return found if found and found.speaker.kind == "person" else None
        first = min(self.answers)
        intro_end = paragraphs(self.text)[first][0]
        if not INTERVIEW.search(self.text, 0, intro_end):
            return None  # an explainer's "Q:" / "A:" answers in the outlet's own words
        for match in NAME.finditer(self.text, 0, intro_end):
            found = self.resolver.resolve(match.group(), match.start())
            if found and found.speaker.kind == "person":
                return Found(found.speaker, f"the interviewee, {found.how}", found.confidence)
        return None

    def read_sentence(
        self, sentence: tuple[int, int], paragraph: int, heading: bool, pending: list[Run]
    ) -> list[Proposal]:
        start, end = sentence
        runs = [run for run in self.runs if start <= run.open < end]
        attributions = find_attributions(self.text, start, end, runs, self.resolver)
        proposals: list[Proposal] = []
        groups = self.group_runs(runs, attributions, pending)
        used: set[int] = set()
        for group, kind, attribution in groups:
            found, how, used_by = self.speaker_for(
                group, kind, attribution, attributions, heading, start
            )
            if attribution is not None:
                used.add(attribution.verb_start)
            first = pending_start(group, self.sentence_spans, start)
            proposals.append(self.quote_proposal(group, kind, found, how, (first, end), used_by))
            if found and kind == "quote":
                self.last_speaker = (paragraph, found)
                self.resolver.remember(group[0].open, found.speaker)
        for attribution in attributions:
            if attribution.found is None:
                continue
            self.resolver.remember(attribution.subject_start, attribution.found.speaker)
            self.last_speaker = (paragraph, attribution.found)
        proposals += find_claims(self.text, sentence, runs, attributions, used, self.date_for)
        if heading and not any(p.kind == "claim" for p in proposals):
            proposals += self.headline_claim(sentence)
        return proposals

    def headline_claim(self, sentence: tuple[int, int]) -> list[Proposal]:
        """A headline's "Peskov: Moscow has no information about …" is Peskov's claim."""
        start, end = sentence
        match = HEADLINE_SPEAKER.match(self.text, start, end)
        if not match or len(self.text[match.end() : end].split()) < 4:
            return []
        found = self.resolver.resolve(match["who"], start)
        if found is None or found.speaker.kind == "anonymous":
            return []
        dated = date_phrases.before_report(self.published, self.precision)
        return [
            Proposal(
                kind="claim",
                start=start,
                end=end,
                excerpt=self.text[start:end],
                speaker=found.speaker,
                **dated.proposal_fields(),
                confidence=round(found.confidence * 0.6, 2),
                reason=f"headline 'speaker: words'; {found.how}",
            )
        ]

    # -- quotes and fragments --------------------------------------------------------------
    def group_runs(self, runs: list[Run], attributions: list[Attribution], pending: list[Run]):
        """The sentence's runs as (runs, kind, attribution): a quote split by its attribution
        ("We want peace," he said, "but not …") is one group."""
        groups = []
        for run in runs:
            if self.skipped(run):
                continue
            if pending:
                # the second paragraph of a quote left open: the same quote goes on
                group = [*pending, run]
                pending.clear()
                if run.continued:
                    pending.extend(group)
                    continue
                groups.append((group, "quote", self.post_attribution(run, attributions)))
                continue
            if run.continued:
                pending.append(run)
                continue
            post = self.post_attribution(run, attributions)
            kind = self.kind_of(run, post)
            if (
                kind == "quote"
                and groups
                and groups[-1][1] == "quote"
                and self.continues(groups[-1], run)
            ):
                previous, _, attribution = groups.pop()
                groups.append(([*previous, run], "quote", attribution))
                continue
            groups.append(([run], kind, post))
        return groups

    def skipped(self, run: Run) -> bool:
        """Titles of works and scare quotes after "so-called" are not anyone's words; a line
        that is nothing but a quotation with no closing stop is a pull-quote heading that
        repeats (or sums up) the body."""
        before = self.text[max(0, run.open - 40) : run.open]
        if WORK_TITLE.search(before):
            return True
        line_start = self.text.rfind("\n", 0, run.open) + 1
        line_end = self.text.find("\n", run.after)
        line_end = len(self.text) if line_end == -1 else line_end
        whole_line = not self.text[line_start : run.open].strip() and not self.text[
            run.after : line_end
        ].strip(" .")
        return whole_line and not re.search(r"[.!?…]$", self.text[run.start : run.end].strip())

    def post_attribution(self, run: Run, attributions: list[Attribution]) -> Attribution | None:
        """The attribution right after a run: "…,” Peskov said" or "…,” said Peskov"."""
        for attribution in attributions:
            if attribution.verb_start < run.after or attribution.found is None:
                continue
            if attribution.relayed:
                # "“…,” the agency quoted Lavrov as saying": the relayer stands in between
                between = self.text[run.after : attribution.verb_start]
                if len(between.split()) <= 8 and not re.search(r"[.!?\n]", between):
                    return attribution
                return None
            if attribution.verb not in QUOTE_VERBS and not attribution.verb.startswith("accord"):
                continue
            gap_end = attribution.verb_start if attribution.inverted else attribution.subject_start
            if gap_end < run.after:
                return None  # a participle whose subject stands before the quote
            gap = self.text[run.after : gap_end]
            if gap.strip(" ,:-–—\u00a0") == "" and "\n" not in gap:
                subject = self.text[attribution.subject_start : attribution.subject_end]
                if len(subject.split()) <= 12:
                    return attribution
            return None
        return None

    def kind_of(self, run: Run, post: Attribution | None) -> str:
        """A quote is a speaker's sentence: it starts its sentence, follows a colon or a speech
        verb's comma, or is attributed right after and reads as a sentence. Anything else is
        a fragment: a few quoted words inside the article's own sentence."""
        words = self.text[run.start : run.end].split()
        sentence_start = (
            next(s for s, e in self.sentence_spans[::-1] if s <= run.open)
            if self.sentence_spans
            else 0
        )
        before = self.text[sentence_start : run.open]
        if not before.strip(" –—-•*\u00a0"):
            return "quote"
        if re.search(r"[:]\s*$", before) or re.search(
            r"\b(?:" + "|".join(sorted(QUOTE_VERBS)) + r")\b[^,]{0,40},\s*$", before
        ):
            return "quote"
        starts_upper = self.text[run.start : run.start + 1].isupper()
        # "…,” X said": a stop or comma printed inside the marks before an attribution is the
        # quote construction; a phrase with its comma outside ("an “illegitimate president”,
        # Peskov said") is a fragment
        stop_inside = self.text[run.end - 1 : run.end] in ",.?!"
        if post is not None and (starts_upper or stop_inside or len(words) >= FRAGMENT_MAX_WORDS):
            return "quote"
        return "fragment"

    def continues(self, previous_group, run: Run) -> bool:
        """Whether a run resumes the previous quote across its attribution: the attribution
        stands between them with commas ("…,” he said, “but …")."""
        previous_runs, _, attribution = previous_group
        if attribution is None:
            return False
        gap = self.text[previous_runs[-1].after : run.open]
        return (
            gap.rstrip().endswith(",")
            and attribution.verb_start < run.open
            and (
                self.text[run.start : run.start + 1].islower()
                or self.text[previous_runs[-1].start : previous_runs[-1].end].rstrip().endswith(",")
            )
        )

    def speaker_for(self, group, kind, post, attributions, heading, sentence_start):
        """The speaker of a quote or fragment, and how it was found."""
        first = group[0]
        before = [a for a in attributions if a.verb_end <= first.open and a.found]
        # "Starmer would tell the meeting that “…”, a line the prime minister has repeated":
        # a quotation that is the object of the verb before it is that verb's speaker's
        reported = bool(before) and re.search(
            r"\bthat\s*$", self.text[before[-1].verb_end : first.open]
        )
        if post is not None and (kind == "quote" or not before) and not reported:
            side = "after" if kind == "quote" else "after the fragment"
            return post.found, f"speech verb '{post.verb}' {side}; {post.found.how}", post
        # a fragment belongs to the clause that reports it ("The Kremlin said … an
        # “illegitimate president”, Peskov said": the Kremlin's words, relayed by Peskov)
        if before:
            attribution = before[-1]
            return (
                attribution.found,
                f"speech verb '{attribution.verb}' before; {attribution.found.how}",
                attribution,
            )
        if heading:
            # a headline's '“…”: Lavrov rules out a truce': the name after the colon
            # (not after a dash: "– CNN" credits the outlet that reported it)
            named = re.match(r"[ ]*:[ ]*((?:[A-Z][\w’'-]+[ ]?){1,4})", self.text[group[-1].after :])
            found = self.resolver.resolve(named[1], group[-1].after) if named else None
            if found and found.speaker.kind != "anonymous":
                return found, f"headline quote, then its speaker; {found.how}", None
            # "UK PM: Britain ready to back “…”": the speaker named before the colon
            line_start = self.text.rfind("\n", 0, first.open) + 1
            before = HEADLINE_SPEAKER.match(self.text, line_start, first.open + 1)
            found = self.resolver.resolve(before["who"], line_start) if before else None
            if found and found.speaker.kind != "anonymous":
                return found, f"headline 'speaker: words'; {found.how}", None
            if kind == "fragment":
                return (
                    Found(UNATTRIBUTED, "unattributed", 0.3),
                    "quoted in a heading, no speaker",
                    None,
                )
            return None, "heading", None
        following = [a for a in attributions if a.verb_start >= first.after and a.found]
        if following and kind == "fragment":
            attribution = following[0]
            return (
                attribution.found,
                f"speech verb '{attribution.verb}' after; {attribution.found.how}",
                attribution,
            )
        possessive = re.search(
            r"(?P<owner>(?:the\s+)?(?:[A-Z][\w-]*\s+){0,2}\w+)(?:’s|'s)\s*$",
            self.text[max(0, first.open - 60) : first.open],
        )
        if possessive:
            found = self.resolver.resolve(possessive["owner"], first.open)
            if found:
                return found, f"possessive before the quote; {found.how}", None
        after_colon = re.search(r":\s*$", self.text[sentence_start : first.open])
        if kind == "fragment" or after_colon:
            # the sentence's subject: its first clause that names someone ("Standing in a
            # square, Zelenskyy opened his speech by addressing the nation as “…”"); a quote
            # after a colon with no speech verb is its sentence's subject's ("Another, from a
            # Baltic state, was even more pessimistic: “…”")
            found = None
            for clause in re.split(r"[,;]", self.text[sentence_start : first.open]):
                subject = re.split(r"\b(?:saw|see|sees|called|described|as)\b", clause)[0]
                found = self.resolver.resolve(subject, sentence_start) if subject.strip() else None
                if found:
                    break
            if found:
                low = Found(found.speaker, found.how, found.confidence * 0.6)
                return low, f"no speech verb; subject of the sentence: {found.how}", None
        lead = self.text[sentence_start : first.open]
        words_of = IN_THEIR_WORDS.match(lead)
        if words_of:
            # "In his words, “…”", "In his words, the counterproposal “…”": the person the
            # pronoun refers back to, whose words the whole sentence reports
            pronoun = {"his": "he", "her": "she", "their": "they"}[words_of["pronoun"].lower()]
            found = self.resolver.resolve(pronoun, first.open)
            if found:
                return found, f"'{words_of.group().strip()}'; {found.how}", None
        label = QUOTE_LABEL.fullmatch(lead)
        if label:
            # "Quote: “…”", "Quote from Medinsky: “…”": a news site's label for the speaker's words
            found = (
                self.resolver.resolve(label["who"], sentence_start)
                if label["who"]
                else (self.last_speaker[1] if self.last_speaker else None)
            )
            if found:
                return found, f"labelled a quote; {found.how}", None
        starts_sentence = not lead.strip(" –—-•*\u00a0")
        # a quotation closed by a full stop is its own sentence ("…constructive.” The Kremlin
        # said"); one closed by a comma, "?" or "!" may be attributed after it
        closed = re.search(r"[.…]$", self.text[group[-1].start : group[-1].end])
        attributed_after = not closed and ATTRIBUTED_AFTER.match(self.text, group[-1].after)
        if attributed_after:
            # "…,” the publication says", "…?” Lavrov asked": attributed, to someone not
            # resolved; never carried over from the previous speaker
            verb = attributed_after["verb"]
            return None, f"speech verb '{verb}' after; subject not resolved", None
        if self.last_speaker is not None and starts_sentence:
            found = self.last_speaker[1]
            if kind == "quote":
                low = Found(found.speaker, found.how, found.confidence * 0.8)
                name = found.speaker.name
                return low, f"no attribution: continues the last speaker ({name})", None
        return None, "no speaker found", None

    def quote_proposal(self, group, kind, found, how, span, attribution=None) -> Proposal:
        start, end = span
        if kind == "fragment":
            run = group[0]
            inner_end = run.end
            while inner_end > run.start and self.text[inner_end - 1] in ",.;:":
                inner_end -= 1
            spans = ((run.start, inner_end),)
        else:
            spans = tuple((run.start, run.end) for run in group)
        end = max(end, *(run.after for run in group))
        quote = " ".join(self.text[a:b].strip() for a, b in spans)
        dated = self.date_for(when_said(self.text, attribution, start, end), group)
        confidence = found.confidence if found else 0.2
        return Proposal(
            kind=kind,
            start=start,
            end=end,
            excerpt=self.text[start:end],
            quote=quote,
            quote_spans=spans,
            speaker=found.speaker if found else None,
            **dated.proposal_fields(),
            confidence=round(confidence, 2),
            reason=how,
        )

    def date_for(self, spans: list[tuple[int, int]], runs: list[Run]) -> date_phrases.DateFound:
        """When it was said: the one date phrase in `spans` outside any quotation, else
        before the report."""
        masked = [(run.open, run.after) for run in (*runs, *self.runs)]
        return date_phrases.date_in(self.text, spans, masked, self.published, self.precision)

    def publication_end(self) -> datetime.date:
        return date_phrases.before_report(self.published, self.precision).latest


def is_heading(paragraph: str) -> bool:
    """A heading or subheading: a short line without a closing stop."""
    stripped = paragraph.rstrip(" ”’\"'")
    return len(paragraph.split()) <= 16 and not re.search(r"[.!?:…]$", stripped)


def pending_start(group: list[Run], spans: list[tuple[int, int]], start: int) -> int:
    """The excerpt of a quote over several paragraphs starts at its first run's sentence."""
    first = group[0].open
    if first >= start:
        return start
    return next((s for s, e in spans if s <= first < e), start)
