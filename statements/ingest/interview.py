"""An interview printed as questions and answers: each answer is the interviewee's own words.

A transcript labels each turn instead of quoting it ("SPIEGEL: Is that realistic?" / "Sybiha:
It is realistic if …", or "Q:" / "A:"). The answers carry no quotation marks, yet they are the
speaker's words, verbatim: each is a quote of the interviewee, from after its label to the end
of its paragraph. A transcript is recognised by its turns, not by any one label: two labels that
each open at least two paragraphs and follow one another at least twice, the asker's first. A
live blog's "Rutte: guarantees must be …" headings never alternate so and stay headings.

A press conference has one asker ("QUESTION:") and several answerers ("SECRETARY RUBIO:",
"FOREIGN MINISTER SYBIHA:"), and a moderator between them: the asker is the label most often
followed by another (its turns ending in "?" break a tie), and every label that answers it and
opens two paragraphs or more is an answerer. An answer that runs on over unlabelled paragraphs
up to the next turn goes on in each of them; the paragraphs after the last turn (a closing
note, "# # #") are the outlet's.
"""

import re
from collections import Counter
from dataclasses import dataclass

from statements.ingest.text import paragraphs

LABEL = re.compile(
    r"(?P<label>[A-Z][\w.’'-]*(?: [A-Z][\w.’'-]*){0,2}|Q|A)(?: \([^()\n]{1,60}\))?:[ \u00a0]+(?=\S)"
)
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
    asker = max(
        dict.fromkeys(first for first, _ in pairs),
        key=lambda label: (
            sum(count for (first, _), count in pairs.items() if first == label),
            sum(
                1
                for turn in turns
                if turn and turn[1] == label and text[: turn[3]].rstrip().endswith("?")
            ),
        ),
    )
    if max(count for (first, _), count in pairs.items() if first == asker) < MIN_TURNS:
        return []
    opened = Counter(turn[1] for turn in turns if turn)
    answerers = {
        second for first, second in pairs if first == asker and opened[second] >= MIN_TURNS
    }
    answers: list[Answer] = []
    label = None  # the answerer whose turn runs on, if any
    for index, turn in enumerate(turns):
        if turn:
            label = turn[1] if turn[1] in answerers else None
            if label:
                answers.append(Answer(index, label, turn[2], turn[3]))
        elif label and any(turns[index + 1 :]):
            start, end = spans[index]
            answers.append(Answer(index, label, start, end))
    return answers
