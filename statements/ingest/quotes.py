"""Quotation marks paired into quoted runs, in the article's exact characters.

A run is the words between an opening and a closing mark. Curly and straight marks are paired
alike (a curly opening mark closed by a straight one is still a quote); an apostrophe
("Russia’s") never closes a single-quoted run because a letter follows it. A quote that runs
over several paragraphs, news style, leaves its paragraph open and opens the next one again:
those runs are kept together. Runs nested inside another (a speaker quoting someone) belong to
the outer quote and are not runs of their own. Spaces inside the marks (French typography:
« memorandum ») are not part of the words. A line of dialogue opened by a dash and closed by
its inverted incise ("– Not today, replied Medinsky.") is a run as well.
"""

import re
from dataclasses import dataclass

from statements.ingest.lexicon import QUOTE_VERBS
from statements.ingest.text import paragraphs

DOUBLE_OPEN = "“„‟«"
DOUBLE_CLOSE = "”»"
SINGLE_OPEN = "‘‹"
SINGLE_CLOSE = "’›"
STRAIGHT = '"'
STRAIGHT_SINGLE = "'"
INNER_SPACES = " \u00a0\u202f\u2009"  # space, no-break, narrow no-break, thin
# before an opening mark: the start, a space, a bracket, a dash or another opening mark
OPENING_CONTEXT = " \t\n([{–—-/:" + DOUBLE_OPEN + SINGLE_OPEN + STRAIGHT


# "– Everything depends on the Ukrainian side, replied Medinsky.": a line of dialogue opened by
# a dash, its speech ended by the inverted incise that names the speaker (French and Russian
# typography). An English list's "— Russia fired 400 drones, the air force said." is a claim in
# the article's words, not dialogue: its incise is not inverted.
VERBS = "|".join(sorted(QUOTE_VERBS, key=len, reverse=True))
DIALOGUE = re.compile(
    rf"[–—][ \u00a0]*(?P<speech>[^“”„«»\"\n]+?)(?P<stop>[,?!])[ \u00a0]+(?:{VERBS})\b[ \u00a0]+\S"
)


@dataclass(frozen=True)
class Run:
    """One quoted run: `start`/`end` are the words inside the marks, `open`/`close` the marks.

    `continued` is set on a run left open at the end of its paragraph because the next
    paragraph opens the same quote again; `close` is then the paragraph's end.
    """

    open: int
    start: int
    end: int
    close: int
    double: bool = True
    continued: bool = False

    @property
    def after(self) -> int:
        """The offset just past the closing mark."""
        return self.close + (0 if self.continued else 1)


def find_runs(text: str) -> list[Run]:
    """Every outermost quoted run of the text, in order."""
    runs: list[Run] = []
    spans = paragraphs(text)
    for index, (start, end) in enumerate(spans):
        dialogue = dialogue_run(text, start, end)
        if dialogue:
            runs.append(dialogue)
            continue
        paragraph_runs, left_open = runs_in(text, start, end)
        single = left_open is not None and text[left_open] in SINGLE_OPEN + STRAIGHT_SINGLE
        carried_on = (
            single
            and text[left_open + 1 : left_open + 2].isalpha()
            and index + 1 < len(spans)
            and text[spans[index + 1][0]] in SINGLE_OPEN + STRAIGHT_SINGLE
        )
        if single and not carried_on:
            # a stray ‘ (an elided year, a typo) must not swallow the paragraph's quotes; a
            # single-quoted quote left open where the next paragraph opens one again (British
            # style) goes on there
            paragraph_runs, left_open = runs_in(text, start, end, singles=False)
        runs.extend(paragraph_runs)
        if left_open is not None and index + 1 < len(spans):
            following = text[spans[index + 1][0]]
            if following in DOUBLE_OPEN + STRAIGHT + SINGLE_OPEN + STRAIGHT_SINGLE:
                double = text[left_open] not in SINGLE_OPEN + STRAIGHT_SINGLE
                runs.append(Run(left_open, left_open + 1, end, end, double, continued=True))
    return runs


def dialogue_run(text: str, start: int, end: int) -> Run | None:
    """A paragraph of dialogue ("– Not today, replied Medinsky."): its speech as a run whose
    closing mark is the comma (kept out of the words) or the ? or ! (kept in them)."""
    match = DIALOGUE.match(text, start, end)
    if not match:
        return None
    speech_start, speech_end = match.span("speech")
    if match["stop"] != ",":
        speech_end += 1
    return Run(start, speech_start, speech_end, match.start("stop"))


def runs_in(text: str, start: int, end: int, singles: bool = True) -> tuple[list[Run], int | None]:
    """The runs of one paragraph, and the offset of an outermost mark it leaves open."""
    runs: list[Run] = []
    stack: list[tuple[int, bool]] = []  # (offset of the opening mark, whether double)
    for position in range(start, end):
        char = text[position]
        before = text[position - 1] if position > start else " "
        after = text[position + 1] if position + 1 < end else " "
        opening = before in OPENING_CONTEXT and not after.isspace()
        closing = not before.isspace() and not (after.isalnum())
        if char in DOUBLE_OPEN or char in DOUBLE_CLOSE or char == STRAIGHT:
            double_open = any(is_double for _, is_double in stack)
            if double_open and (char not in DOUBLE_OPEN or closing):
                close_run(text, runs, stack, position, double=True)
            elif not double_open and (char not in DOUBLE_CLOSE or opening):
                stack.append((position, True))
        elif not singles:
            continue
        elif char == STRAIGHT_SINGLE:
            # 'useful': a straight single mark opens or closes by its context; inside a word
            # ("Russia's") it is an apostrophe and does neither
            if closing and any(not d for _, d in stack):
                close_run(text, runs, stack, position, double=False)
            elif opening:
                stack.append((position, False))
        elif char in SINGLE_OPEN and opening:
            stack.append((position, False))
        elif char in SINGLE_CLOSE and closing and any(not d for _, d in stack):
            close_run(text, runs, stack, position, double=False)
    left_open = stack[0][0] if stack else None
    return runs, left_open


def close_run(
    text: str, runs: list[Run], stack: list[tuple[int, bool]], position: int, double: bool
) -> None:
    """Close the innermost open run of this kind; only an outermost run is kept."""
    while stack:
        opened, is_double = stack.pop()
        if is_double == double:
            start, end = opened + 1, position
            # « memorandum »: French typography sets spaces inside the marks; they are not
            # the speaker's words
            while start < end and text[start] in INNER_SPACES:
                start += 1
            while end > start and text[end - 1] in INNER_SPACES:
                end -= 1
            if not stack and end > start:
                runs.append(Run(opened, start, end, position, double=double))
            return
