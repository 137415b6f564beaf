"""Names in a phrase: a person's name found among titles and ordinary words, and the words
around a subject that are not part of it (time phrases, connectives, auxiliaries).

Pure functions over strings; `speakers.Resolver` decides what a name refers to.
"""

import re

from statements.ingest import lexicon

# a capitalised word, with an O’Brien-style inner apostrophe but never a possessive ’s
NAME_TOKEN = r"(?:[A-Z](?:[\w.-]*\w)?(?:['’][A-Z][\w-]*)?)"
# the words of a name stay on one line: a heading's last word is not a first name
NAME = re.compile(
    rf"{NAME_TOKEN}(?:[ \u00a0]+(?:(?:de|da|di|du|van|von|der|den|bin|al|el|le|la)[ \u00a0]+)"
    rf"{{0,2}}{NAME_TOKEN})*"
)
PARTICLES = lexicon.split_words("de da di du van von der den bin al el le la")
POSSESSIVE = re.compile(r"^(?:’s|'s|’|')(?!\w)")


def strip_phrase(phrase: str) -> str:
    """The phrase without leading connectives or trailing auxiliaries, commas and spaces."""
    phrase = phrase.strip(" ,;:–—-\n\t•·▪◦‣*")  # a list's bullet is no part of a subject
    phrase = re.sub(
        r"^(?:and|but|so|however|meanwhile|nevertheless|surprisingly|indeed|instead|also|then|what|"
        r"still|yet|now|later|earlier|separately|internally|additionally|moreover)\b,?\s*",
        "",
        phrase,
        flags=re.IGNORECASE,
    )
    tokens = phrase.split()
    while tokens and (tokens[-1].lower().strip(",") in lexicon.AUXILIARIES or
                      tokens[-1].lower().endswith("ly,") or
                      (tokens[-1].lower().endswith("ly") and tokens[-1][0].islower())):  # fmt: skip
        tokens.pop()
    return " ".join(tokens).strip(" ,;:–—-")


def normal(name: str) -> str:
    name = name.replace("’", "'").lower()
    name = re.sub(r"\s*\([^)]*\)", "", name)
    return re.sub(r"\s+", " ", name).strip(" .,")


def surname(name: str) -> str:
    return normal(name).split()[-1]


def last_word(phrase: str) -> str:
    tokens = re.findall(r"[\w’'-]+", phrase.lower())
    return tokens[-1].replace("’", "'") if tokens else ""


def main_part(label: str) -> str:
    """The head of a noun phrase, before its qualifiers: "people familiar with the matter" →
    "people", "a senior official with insight into …" → "a senior official"."""
    cut = re.split(
        r",?\s+(?:who|which|that|with|familiar|close|from|of|in|at|on|for|to|under|inside|"
        r"within|based|speaking|briefed|involved|knowledgeable|aware|cited|quoted)\b",
        label,
        maxsplit=1,
    )[0]
    return cut.strip(" ,")


def first_person_name(chunk: str, common: set[str] = frozenset()) -> str | None:
    """The chunk as a person's name, dropping title words ("President Vladimir Putin" →
    "Vladimir Putin") and ordinary words capitalised at a sentence's start ("Both Putin");
    None when what is left is not a name."""
    tokens = chunk.split()

    def ordinary(token: str) -> bool:
        lowered = token.lower().strip(".’'")
        return (
            lowered in lexicon.NOT_NAMES or lowered in common or lexicon.NUMBER_WORDS.match(lowered)
        )

    while tokens and ordinary(tokens[-1]):
        tokens.pop()
    # a name comes after its titles and nationality: "Ukrainian Foreign Minister Andrii
    # Sybiha" → "Andrii Sybiha"
    run = []
    for token in reversed(tokens):
        if run and token in PARTICLES:
            run.insert(0, token)  # "Ursula von der Leyen"
            continue
        if ordinary(token) or (lexicon.country_of(token) and run):
            break
        run.insert(0, token)
    while run and run[0] in PARTICLES:
        run.pop(0)
    tokens = run
    if not tokens:
        return None
    if any(lexicon.country_of(token) for token in tokens) and len(tokens) == 1:
        return None
    if last_word(tokens[-1]) in lexicon.ORGANISATION_HEADS:
        return None
    if any(
        token.isupper() and len(token) > 1 and (len(token) > 2 or token is tokens[-1])
        for token in tokens
    ):
        return None  # an acronym: NATO, TASS, AFU (but "JD Vance" keeps his initials)
    return " ".join(token.rstrip(".,") for token in tokens)


def local_full_names(text: str, common: set[str]) -> dict[str, str]:
    """Surname → the first full name the article gives it ("Sabbagh" → "Dan Sabbagh")."""
    names: dict[str, str] = {}
    inner = {m.group(1) for m in re.finditer(r"(?<=[a-z,;] )([A-Z][\w-]+)", text)}
    for match in NAME.finditer(text):
        if POSSESSIVE.match(text[match.end() : match.end() + 3]):
            continue
        name = first_person_name(match.group(), common)
        words = (name or "").split()
        opens = re.search(r"(?:^|[.!?]\s+|\n)$", text[: match.start()])
        if (
            opens
            and len(words) >= 3
            and words[0] not in inner
            and text[match.start() :].startswith(words[0])
        ):
            # "Suppose Vladimir Putin were to say": a word opening the sentence, never written
            # capitalised inside one, is no given name
            name = " ".join(words[1:])
        if name and len(name.split()) >= 2 and not lexicon.country_of(name):
            names.setdefault(name.split()[-1].lower(), name)
    return names


WHEN = (
    r"(?:(?:on|in|at|during|earlier|later|last|this|next|late|early)\s+)?(?:the\s+)?"
    r"(?:(?:end|start|beginning|middle)\s+of\s+)?(?:(?:this|last|next)\s+)?"
    r"(?:year|month|week|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|"
    r"february|march|april|may|june|july|august|september|october|november|december|"
    r"\d{4}|today|yesterday|tonight|overnight|recently|meanwhile|earlier|later)(?:\s+\d{1,2})?"
)
LEADING_WHEN = re.compile(rf"^(?:{WHEN})\b,?\s*", re.IGNORECASE)
TRAILING_WHEN = re.compile(rf"\s+(?:{WHEN})\s*$", re.IGNORECASE)


def trim_temporal(phrase: str) -> str:
    """A subject without the time phrases around it: "Earlier this month Putin" → "Putin",
    "A leak from the Kremlin at the end of last year" → "A leak from the Kremlin"."""
    phrase = re.sub(r"\s*\([^)]*\)", "", phrase).strip()  # "The New York Times (NYT)"
    previous = None
    while previous != phrase:
        previous = phrase
        phrase = LEADING_WHEN.sub("", phrase)
        phrase = TRAILING_WHEN.sub("", phrase)
    return phrase
