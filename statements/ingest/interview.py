"""An interview printed as questions and answers: each answer is the interviewee's own words.

A transcript labels each turn instead of quoting it ("SPIEGEL: Is that realistic?" / "Sybiha:
It is realistic if …", or "Q:" / "A:"). The answers carry no quotation marks, yet they are the
speaker's words, verbatim: each is a quote of the interviewee, from after its label to the end
of its paragraph. A transcript is recognised by its turns, not by any one label: two labels that
each open at least two paragraphs and follow one another at least twice, the asker's first. A
live blog's "Rutte: guarantees must be …" headings never alternate so and stay headings.
"""

import re
from dataclasses import dataclass

from statements.ingest.text import paragraphs

LABEL = re.compile(r"(?P<label>[A-Z][\w.’'-]*(?: [A-Z][\w.’'-]*){0,2}|Q|A):[ \u00a0]+(?=\S)")
MIN_TURNS = 2


@dataclass(frozen=True)
class Answer:
    paragraph: int  # index among the text's paragraphs
    label: str  # "Sybiha", "A"
    start: int  # the answer's first character, after its label
    end: int  # its paragraph's end


def find_answers(text: str) -> list[Answer]:
    """The answers of a question-and-answer transcript in the text, or none."""
    spans = paragraphs(text)
    turns: list[tuple[int, str, int, int] | None] = []
    for index, (start, end) in enumerate(spans):
        match = LABEL.match(text, start, end)
        turns.append((index, match["label"], match.end(), end) if match else None)
    pairs: dict[tuple[str, str], int] = {}
    for first, second in zip(turns, turns[1:], strict=False):
        if first and second and first[1] != second[1]:
            pairs[(first[1], second[1])] = pairs.get((first[1], second[1]), 0) + 1
    if not pairs:
        return []
    (_, answerer), count = max(pairs.items(), key=lambda item: item[1])
    if count < MIN_TURNS:
        return []
    return [
        Answer(index, label, start, end)
        for turn in turns
        if turn
        for index, label, start, end in [turn]
        if label == answerer
    ]
