"""`propose()` and its `Reader`: one pass over the article, paragraph by paragraph and sentence
by sentence, remembering who spoke; sources, interview answers and headline claims here, quotes
and fragments in `quotations`, events and figures after the pass, matches last.
"""

import datetime
import re

from statements.ingest import dates as date_phrases
from statements.ingest import events, figures, matching
from statements.ingest.attribution import find_attributions
from statements.ingest.claims import find_claims
from statements.ingest.extract.quotations import HEADLINE_SPEAKER, Quotations, is_heading
from statements.ingest.extract.refuted import without_refuted
from statements.ingest.interview import Answer, find_answers
from statements.ingest.names import NAME
from statements.ingest.proposals import Known, Proposal
from statements.ingest.quotes import Run, find_runs
from statements.ingest.speakers import Found, Resolver
from statements.ingest.text import paragraphs, sentences

# "Source: UK government official, as reported by …": the speaker of the quotes that follow
SOURCE_LINE = re.compile(r"Source\s*:\s*(?P<who>[^,.;\n]{2,80})")
# how an article introduces an interview it prints as questions and answers
INTERVIEW = re.compile(
    r"\binterview|\b(?:spoke|talked|talks|speaks) (?:to|with)\b|\bsat down with\b|"
    r"\bin conversation\b",
    re.IGNORECASE,
)
# the intro's sentence telling when the questions were answered: "We met him at the ministry on
# Tuesday", "the press conference held in Kyiv on Monday"
# (not "held", "met" or "took place" alone: the intro may tell of the talks the answers are about)
OCCASION = re.compile(
    r"\b(?:interview\w*|(?:we|i)\s+met|met\s+(?:him|her|them|us|me)|spoke|speaks|talked|"
    r"sat down|press conference|briefing|briefed|answered|questions|press availability|remarks|"
    r"transcript|conducted|recorded)\b",
    re.IGNORECASE,
)
# a text that is itself the record of an occasion, whose date line is the occasion's day (a news
# page's date line is its publication's)
RECORD = re.compile(
    r"\b(?:transcript|remarks|press availability|press conference|briefing)\b", re.IGNORECASE
)

# a sentence telling the occasion its subject spoke at: "speaking in The Hague on Tuesday";
# "When I met Andrii Sybiha in Kyiv last week, he put it simply": the writer's meeting with
# them, where they spoke
SPOKE_AT = re.compile(
    r"\b(?:speaking|talking|addressing|appearing|answering|asked|interviewed|put\s+it|"
    r"(?:I|[Ww]e)\s+met)\b"
)
# "it was “…”": a quotation standing for what the thing was called
SLOGAN = re.compile(r"\b[Ii]t\s+(?:was|is|has\s+been|had\s+been|became)\b")
# "the word “ceasefire” was spoken as if it meant peace": a word only mentioned
MENTION = re.compile(r"\bthe\s+(?:word|term|phrase|expression|label)s?\s*$", re.IGNORECASE)


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
    proposals = without_refuted(
        reader.read(), text, reader.sentence_spans, reader.runs, reader.resolver
    )
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


class Reader(Quotations):
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
        # the paragraph, speaker and date of the last statement read, for the words that go on
        # from it: "Peskov said on Monday that …. “…,” he said." is that Monday's
        self.said_on: tuple[int, tuple, Proposal | None] | None = None

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
        dated = self.transcript_day()
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

    def transcript_day(self) -> date_phrases.DateFound:
        """When the answers were given, as the text before the first one says: the date phrase
        of a sentence telling the occasion ("We met him at the ministry on Tuesday"), else, in
        a transcript or remarks, its date line ("December 3, 2025"); else before the report."""
        intro_end = paragraphs(self.text)[min(self.answers)][0]
        intro = [(start, end) for start, end in self.sentence_spans if end <= intro_end]
        told = [(start, end) for start, end in intro if OCCASION.search(self.text, start, end)]
        dated = self.date_for(told, [])
        if dated.basis != "before_report" or not RECORD.search(self.text, 0, intro_end):
            return dated
        lines = [(start, end) for start, end in intro if len(self.text[start:end].split()) <= 4]
        return self.date_for(lines, [])

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
            if (
                kind == "fragment"
                and found is None
                and not heading
                and not attributions
                and (
                    SLOGAN.search(self.text[start : group[0].open])
                    or MENTION.search(self.text[start : group[0].open])
                )
            ):
                # `Last year it was “peace through strength”; before that, “…”`: what a time's
                # slogan was, where nobody speaks, is no one's words (`The meeting was
                # “constructive.”` stays someone's); nor is a word only mentioned (`the word
                # “ceasefire” was spoken as if …`), unless someone is said to use it
                continue
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
        self.date_by_occasion(proposals)
        self.carry_dates(proposals, paragraph)
        return proposals

    def date_by_occasion(self, proposals: list[Proposal]) -> None:
        """ "Mark Rutte, speaking in The Hague on Tuesday, struck a harder tone. “…,” he said":
        words with no date of their own, of the person the sentence before (in the same
        paragraph) is about, were said on the day that sentence gives."""
        if len(self.sentence_spans) < 2 or len(self.resolver.sentences) < 2:
            return
        before = self.sentence_spans[-2]
        subject = self.resolver.sentences[-2][2]
        if subject is None or "\n" in self.text[before[0] : self.sentence_spans[-1][0]]:
            return
        if not SPOKE_AT.search(self.text[before[0] : before[1]]):
            return  # the day of something else the person did, not of an occasion to speak
        dated = None
        for proposal in proposals:
            if (
                proposal.kind not in {"quote", "fragment", "claim"}
                or proposal.date_basis != "before_report"
                or proposal.speaker is None
                or proposal.speaker.name != subject.name
            ):
                continue
            dated = dated or self.date_for([before], [])
            if dated.basis == "before_report" or dated.earliest is None:
                return  # no day of its own: an interview's answers wait for their occasion
            proposal.date = dated.date
            proposal.date_earliest = dated.earliest
            proposal.date_latest = dated.latest
            proposal.date_basis = "inferred"
            proposal.date_note = f"Said on the occasion the sentence before gives: {dated.note}"

    def carry_dates(self, proposals: list[Proposal], paragraph: int) -> None:
        """A statement with no date phrase of its own that goes on from a dated one of the same
        speaker in the same paragraph ("Peskov said on Monday that …. “…,” he said.", a quote
        that continues the last), or in the next one when attributed to them again (“…,” he
        said), was said then, and so are the words going on from it in that paragraph; another
        speaker in between breaks the thread."""
        for proposal in sorted(proposals, key=lambda p: p.start):
            if proposal.kind not in {"quote", "fragment", "claim"} or proposal.speaker is None:
                continue
            key = (proposal.speaker.slug, proposal.speaker.name, proposal.speaker.kind)
            if proposal.date_basis != "before_report":
                self.said_on = (paragraph, key, proposal)
                continue
            # "“…,” he said", "the diplomat pointed out": a word pointing back to them
            attributed = proposal.reason.startswith("speech verb") and "' after " in proposal.reason
            if self.said_on is None or self.said_on[1] != key:
                self.said_on = (paragraph, key, None)
                continue
            if self.said_on[0] != paragraph and not (
                self.said_on[0] == paragraph - 1 and attributed
            ):
                self.said_on = (paragraph, key, None)
                continue
            dated = self.said_on[2]
            if dated is None:
                continue
            proposal.date = dated.date
            proposal.date_earliest = dated.date_earliest
            proposal.date_latest = dated.date_latest
            proposal.date_basis = "inferred"
            proposal.date_note = f"Said on the occasion of the statement before: {dated.date_note}"
            # the words that go on from these in this paragraph were said then too
            self.said_on = (paragraph, key, dated)

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

    def date_for(self, spans: list[tuple[int, int]], runs: list[Run]) -> date_phrases.DateFound:
        """When it was said: the one date phrase in `spans` outside any quotation, else
        before the report."""
        masked = [(run.open, run.after) for run in (*runs, *self.runs)]
        return date_phrases.date_in(self.text, spans, masked, self.published, self.precision)


def pending_start(group: list[Run], spans: list[tuple[int, int]], start: int) -> int:
    """The excerpt of a quote over several paragraphs starts at its first run's sentence."""
    first = group[0].open
    if first >= start:
        return start
    return next((s for s, e in spans if s <= first < e), start)
