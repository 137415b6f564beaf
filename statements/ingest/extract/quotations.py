"""Quotes and fragments: which runs of quotation marks are one quotation, and whose words.

`Quotations` is the part of `Reader` that turns a sentence's runs into quote and fragment
proposals: runs grouped across an attribution ("…,” he said, “but …"), titles of works and
pull-quotes skipped, a quote told from a fragment, and the speaker found by the attribution
after or before, a heading, a possessive, the sentence's subject, a label or the last speaker.
It takes from the reader: `text`, `runs`, `sentence_spans`, `resolver`, `last_speaker` and
`date_for`.
"""

import re

from statements.ingest.attribution import Attribution, when_said
from statements.ingest.lexicon import QUOTE_VERBS, SPEECH_VERBS, split_words, verb_forms
from statements.ingest.proposals import Proposal, Speaker
from statements.ingest.quotes import Run
from statements.ingest.speakers import Found

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
# "Peskov: Moscow has no information", "• Macron: “…”" (a live blog's key points)
HEADLINE_SPEAKER = re.compile(
    r"(?:[•·▪◦‣*][ ]*)?(?P<who>[A-Z][\w’'.-]+(?:[ ][A-Z][\w’'.-]+){0,3}):[ ]+(?=\S)"
)
IN_THEIR_WORDS = re.compile(
    r"\s*(?:in|to use) (?P<pronoun>his|her|their) (?:own )?(?:words|phrase|view)\s*,?\s*", re.I
)
# the words around a scare-quoted term inside a noun phrase: `Russian “energy truce” offer`,
# `the “coalition of the willing”`; words that open a clause or a phrase of their own are none
DETERMINERS = split_words("a an the this that these those its their his her our your any no")
NOT_A_HEAD = split_words(
    "of to in on at for from with by as than and or but nor so yet is are was were be been being "
    "has have had will would could can may might shall should must do does did that which who "
    "whom whose when where while if unless until because since after before over under into "
    "onto about against between through during without within it he she they we you i"
)
TERM_MAX_WORDS = 4
# verbs of reacting to someone else's thing: "Kyiv rejects Russian “energy truce” offer" does not
# make the term Kyiv's words
REACTING = verb_forms(*split_words("reject welcome dismiss condemn hail deny accuse propose"))
# '“…” — Kaja Kallas, the EU's foreign policy chief': a dash, then who, up to a comma or the end
# (a plain-text newsletter's spaced hyphen too: '"…" - Dmitry Peskov')
DASH_ATTRIBUTION = re.compile(
    r"[ ,]*(?:[—–]|(?<=[ \u00a0])-(?=[ \u00a0]))[ \u00a0]*"
    r"(?P<who>[A-Za-z][^,;:.!?\n“”\"]{1,60}?)(?=,|\.?$)",
    re.MULTILINE,
)
CLAUSE_BREAK = re.compile(r"\s[—–]\s|;")
ATTRIBUTED_AFTER = re.compile(
    r"[ ,]*(?:[\w’'.-]+[ ]+){0,6}?(?P<verb>"
    + "|".join(sorted(QUOTE_VERBS, key=len, reverse=True))
    + r")\b"
)


class Quotations:
    """A sentence's quotation runs as quote and fragment proposals, with their speakers."""

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
        line_start, line_end = self.line_around(run.open, run.after)
        whole_line = not self.text[line_start : run.open].strip() and not self.text[
            run.after : line_end
        ].strip(" .")
        if whole_line and not re.search(r"[.!?…]$", self.text[run.start : run.end].strip()):
            return True
        return self.hypothetical(run) or self.scare_quoted_term(run)

    def hypothetical(self, run: Run) -> bool:
        """Words someone only might say (`Suppose Putin were to say tomorrow, “…”`, `Zelensky
        could argue that “…”`, `he might say, as he often does, that “…”`) are nobody's."""
        start = next((s for s, _ in self.sentence_spans[::-1] if s <= run.open), 0)
        before = self.text[start : run.open]
        return bool(
            re.search(
                r"\b(?:could|might|were\s+to|was\s+to)\s+(?:[a-z]+ly\s+)?(?:"
                + "|".join(sorted(SPEECH_VERBS))
                + r")\b[^.!?“”\"]{0,40}$",
                before,
                re.IGNORECASE,
            )
        )

    def scare_quoted_term(self, run: Run) -> bool:
        """A few quoted words used as the name of a thing (`Kyiv rejects Russian “energy truce”
        offer`, `The “energy truce” collapsed`) in a sentence where nobody speaks: no speech
        verb outside the marks but one of reacting to the thing named (rejects, welcomes). The
        words stand inside a noun phrase, after a determiner or before the noun they qualify,
        not as what a subject said (`Ukraine “left empty-handed” from the meeting`); a
        possessive names whose words they are and keeps them (`the administration’s “plan”`)."""
        words = self.text[run.start : run.end].split()
        if not words or len(words) > TERM_MAX_WORDS or re.search(r"[.,!?;:…]$", words[-1]):
            return False
        start, end = next(
            ((s, e) for s, e in self.sentence_spans[::-1] if s <= run.open < e),
            (run.open, run.after),
        )
        outside = " ".join(
            self.text[a:b]
            for a, b in zip(
                [start, *(r.after for r in self.runs if start <= r.open < end)],
                [*(r.open for r in self.runs if start <= r.open < end), end],
                strict=True,
            )
        )
        tokens = {token.lower() for token in re.findall(r"[A-Za-z]+", outside)}
        if tokens & (SPEECH_VERBS - REACTING) or "according" in tokens:
            return False
        before = re.search(r"([\w’'-]+)\s*$", self.text[start : run.open])
        after = re.match(r"\s*([a-z][a-z-]*)\b", self.text[run.after : end])
        if before is None or re.search(r"(?:’s|'s|s’|s')$", before[1]):
            return False
        after_noun = (
            after is not None and after[1] not in NOT_A_HEAD and not after[1].endswith(("ed", "ly"))
        )
        if not (before[1].lower() in DETERMINERS or after_noun):
            return False
        # a headline names things; in the body, a subject who could have used the words keeps
        # them (`Moscow wants “ironclad” guarantees`)
        line_start, line_end = self.line_around(run.open, run.after)
        return (
            is_heading(self.text[line_start:line_end])
            or self.sentence_subject(start, run.open) is None
        )

    def line_around(self, start: int, end: int) -> tuple[int, int]:
        """Where the line holding `text[start:end]` starts and ends (before its line break)."""
        line_end = self.text.find("\n", end)
        return self.text.rfind("\n", 0, start) + 1, len(self.text) if line_end == -1 else line_end

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
            # "“…,” as Peskov put it": "as" before the subject leaves no gap
            if re.fullmatch(r"[ ,:\-–—\u00a0]*(?:as[ \u00a0]*)?", gap):
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
        # "“…,” Ushakov said, according to TASS, “…”": the outlet relaying stands in between
        relayed = r"(?:\s*(?:according to|as quoted by|as reported by|citing)\s+[^,]{1,40},)?"
        if re.search(r"[:]\s*$", before) or re.search(
            r"\b(?:" + "|".join(sorted(QUOTE_VERBS)) + rf")\b[^,]{{0,40}},{relayed}\s*$", before
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
        dashed = DASH_ATTRIBUTION.match(self.text, group[-1].after)
        found = self.resolver.resolve(dashed["who"], dashed.start("who")) if dashed else None
        if found:
            # '“…” — Steve Witkoff, US special envoy, speaking on Sunday': a newsletter's or a
            # pull-quote's attribution after a dash names the speaker, with no verb
            return found, f"named after a dash; {found.how}", None
        if heading:
            # a headline's '“…”: Lavrov rules out a truce': the name after the colon
            # (not after a dash: "– CNN" credits the outlet that reported it)
            named = re.match(r"[ ]*:[ ]*((?:[A-Z][\w’'-]+[ ]?){1,4})", self.text[group[-1].after :])
            found = self.resolver.resolve(named[1], group[-1].after) if named else None
            if found and found.speaker.kind != "anonymous":
                return found, f"headline quote, then its speaker; {found.how}", None
            # "UK PM: Britain ready to back “…”": the speaker named before the colon
            line_start = self.line_around(first.open, first.open)[0]
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
        # after a dash or a semicolon another clause speaks ("Belgium still wants “ironclad”
        # protection — Prime Minister De Wever told VRT …"): its verb is not the fragment's
        following = [
            a
            for a in attributions
            if a.verb_start >= first.after
            and a.found
            and not CLAUSE_BREAK.search(self.text, first.after, a.verb_start)
        ]
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
            found = self.sentence_subject(sentence_start, first.open)
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

    def sentence_subject(self, sentence_start: int, before: int) -> Found | None:
        """The sentence's subject before `before`: its first clause that names someone."""
        for clause in re.split(r"[,;]", self.text[sentence_start:before]):
            subject = re.split(r"\b(?:saw|see|sees|called|described|as)\b", clause)[0]
            found = self.resolver.resolve(subject, sentence_start) if subject.strip() else None
            if found:
                return found
        return None

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
        said = when_said(self.text, attribution, start, end)
        if attribution is None and kind == "fragment":
            # a fragment with no attribution is dated by its clause, not another's after a dash
            clause_break = CLAUSE_BREAK.search(self.text, group[-1].after, end)
            said = [(start, clause_break.start() if clause_break else end)]
        dated = self.date_for(said, group)
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


def is_heading(paragraph: str) -> bool:
    """A heading or subheading: a short line without a closing stop."""
    stripped = paragraph.rstrip(" ”’\"'")
    return len(paragraph.split()) <= 16 and not re.search(r"[.!?:…]$", stripped)
