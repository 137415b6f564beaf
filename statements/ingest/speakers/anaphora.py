"""What the article said before: who spoke last, who a sentence is about, who issued a document.

`Anaphora` is the part of `Resolver` that reads back: a pronoun ("he", "they"), an anaphoric
head ("the diplomat", "the ministry", "the statement") or a qualified one ("the Hungarian
minister") is whoever the article last gave words to, named or introduced, within two
paragraphs. Its memory is `speakers`, `history` and `sentences`, which the resolver's constructor
starts empty and `remember`, `remember_mentions` and `note_sentence` fill; the rest it takes
from the resolver: `text`, `common`, `local_names`, `local_titles`, `known_roles`, `resolve`,
`named`, `anonymous` and `known_person`.
"""

import bisect
import re

from statements.ingest import lexicon
from statements.ingest.names import NAME, POSSESSIVE, first_person_name
from statements.ingest.proposals import Speaker
from statements.ingest.speakers.phrases import (
    ISSUED,
    OPENING_ADVERBIAL,
    ROLE_SUBJECT,
    Found,
    person_names,
    previous_paragraph_start,
    singular,
)

# words for a role that describe it rather than name the office ("Ukraine's top diplomat" is
# also its foreign minister; "Secretary of State Marco Rubio" is not called that)
DESCRIPTIVE_TITLES = frozenset({"top diplomat", "leader", "head of state"})
# a people's adjective ("Ukrainian", "Russian", "Chinese"), not an institution ("Kremlin")
DEMONYM = re.compile(r"[A-Z][a-z]+(?:an|ese|ish|ch|i)")
# a byline line near the top: "By Kaja Kallas" (not "By the Verify desk", "By a staff analyst")
BYLINE = re.compile(rf"^[Bb]y[ ]+(?P<who>{NAME.pattern})[ ]*$", re.MULTILINE)


class Anaphora:
    """Reading back through the article for the speaker a phrase points to."""

    def recent_person(self, names: set[str], position: int) -> str | None:
        """Which of `names` was last given words within the last two paragraphs, else the one
        the sentence before opens with; None when neither says."""
        window = previous_paragraph_start(self.text, position)
        for offset, speaker in reversed(self.speakers):
            # an institution relaying the words ("as the press service reported") holds no role
            if window <= offset <= position and speaker.kind == "person":
                return speaker.name if speaker.name in names else None
        subject = self.previous_subject(position, window)
        return subject.name if subject and subject.name in names else None

    def role_just_written_about(self, label: str, role: str, position: int) -> Found | None:
        """ "the Prime Minister said" with no country and no holder named or known: the person
        just written about, as the one-word "the president said" is; never a known person the
        dataset gives another role ("Trump met Starmer. … the Prime Minister said")."""
        found = self.pronoun("he", label, position)
        if found is None or found.speaker.kind != "person":
            return None
        slug = found.speaker.slug
        roles = {held[1] for held, person in self.known_roles if held and person.slug == slug}
        if roles - {role}:
            return None
        name = found.speaker.name
        return Found(found.speaker, f"'{label}' after {name}", round(found.confidence * 0.8, 2))

    def titled_exactly(
        self, title: str, role: str, position: int, head_word: bool = False
    ) -> str | None:
        """ "The foreign minister was not finished": the one person the article titled with
        those very words before them ("Russian Foreign Minister Sergei Lavrov"), even right
        after another holder of the role titled otherwise ("Secretary of State Marco Rubio");
        not when the person just written about holds the role and the article gives them no
        title."""
        # titles given before the words: "Kirill Dmitriev, the Kremlin's envoy" further down
        # is not "the envoy" who spoke before him
        # a bare "the envoy" is also the one titled "US special envoy": the title's head word
        names = {
            n
            for given, holders in self.local_titles.items()
            if given == title
            or (head_word and given.endswith(f" {title}") and given not in DESCRIPTIVE_TITLES)
            for n, at in holders.items()
            if at < position
        }
        if len(names) != 1:
            return None
        just = self.pronoun("he", title, position)
        if just and just.speaker.name not in names:
            name, slug = just.speaker.name, just.speaker.slug
            held = {h[1] for h, p in self.known_roles if h and slug and p.slug == slug}
            held |= {key[1] for key, holders in self.local_roles.items() if name in holders}
            retitled = any(
                name in holders
                for other, holders in self.local_titles.items()
                if other not in DESCRIPTIVE_TITLES and holders.get(name, position) < position
            )
            if role in held and not retitled:
                # "Trump … the president said", only Putin titled so; "Sybiha, Ukraine's top
                # diplomat, … the foreign minister added": the holder just written about
                return None
        return next(iter(names))

    def pronoun(
        self,
        pronoun: str,
        label: str,
        position: int,
        anonymous_too: bool = False,
        anonymous_only: bool = False,
    ) -> Found | None:
        """The last speaker of the pronoun's kind, within the last two paragraphs; failing
        that, the last person named ("he" after "…, Dan Sabbagh.")."""
        wanted = lexicon.PRONOUNS[pronoun]
        if wanted == "author":
            return self.byline_author(label)
        window = previous_paragraph_start(self.text, position)
        subject = self.previous_subject(position, window)
        if wanted == "person" and subject and not anonymous_only:
            # "Rubio himself was upbeat. “…,” he told reporters": the person the sentence
            # before is about, even when someone else was quoted last
            return Found(
                Speaker(subject.name, subject.kind, subject.slug, label),
                f"'{label}' after {subject.name}, the subject of the sentence before",
                0.8,
            )
        recent = [(o, s) for o, s in self.speakers if window <= o <= position]
        for offset, speaker in [*reversed(recent), *reversed(self.history)]:
            if offset > position or (anonymous_only and speaker.kind != "anonymous"):
                continue
            if wanted == "person" and (
                speaker.kind == "person"
                or (speaker.kind == "anonymous" and (anonymous_too or singular(speaker.label)))
            ):
                return Found(
                    Speaker(speaker.name, speaker.kind, speaker.slug, label),
                    f"'{label}' after {speaker.name}",
                    0.8,
                )
            if wanted == "plural" and (
                speaker.kind == "anonymous" or speaker.kind == "organisation"
            ):
                return Found(
                    Speaker(speaker.name, speaker.kind, speaker.slug, label),
                    f"'{label}' after {speaker.name}",
                    0.6,
                )
            if wanted == "organisation" and speaker.kind == "organisation":
                return Found(
                    Speaker(speaker.name, speaker.kind, speaker.slug, label),
                    f"'{label}' after {speaker.name}",
                    0.6,
                )
        return None

    def byline_author(self, label: str) -> Found | None:
        """The article's "I": the person its byline names ("By Kaja Kallas" over an op-ed);
        a desk, a staff writer or no byline names no one."""
        byline = BYLINE.search(self.text, 0, 600)
        name = byline and first_person_name(byline["who"], self.common)
        if not name or len(name.split()) < 2:
            return None
        found = self.named(name, label)
        return Found(found.speaker, f"'{label}': the byline's author, {name}", 0.8)

    def author_of(self, document: str, label: str, position: int) -> Found | None:
        """Who issued the document the article last mentioned within two paragraphs."""
        window = previous_paragraph_start(self.text, position)
        issued = list(
            re.finditer(
                rf"(?P<who>{NAME.pattern})\s+(?:has\s+|have\s+|had\s+)?(?:{ISSUED})\s+"
                rf"(?:an?|the|its|his|her|their)\s+(?:[\w-]+\s+){{0,3}}?{document}\b",
                self.text[window:position],
            )
        )
        if not issued:
            return None
        found = self.resolve(issued[-1]["who"], window + issued[-1].start())
        if found is None:
            return None
        speaker = Speaker(found.speaker.name, found.speaker.kind, found.speaker.slug, label)
        return Found(speaker, f"'{label}' issued by {found.speaker.name}", 0.7)

    def titled(self, head: str, label: str, position: int) -> Found | None:
        """ "the aide", "the presidential aide": the person last given words within two
        paragraphs when the article introduces them by that title ("Aide to the Russian
        President Yuri Ushakov", "Yuri Ushakov, a Kremlin aide"), unless an unnamed one of
        them was introduced since."""
        if self.introduced_unnamed(head, position):
            return None
        window = previous_paragraph_start(self.text, position)
        recent = [s for o, s in self.speakers if window <= o < position and s.kind != "anonymous"]
        if not recent or recent[-1].kind != "person":
            return None
        speaker = recent[-1]
        name = re.escape(speaker.name)
        # "the spy chief" after "Kyrylo Budanov, head of military intelligence": a chief is a head
        head = "chief|head" if head in {"chief", "head"} else re.escape(head)
        # "Secretary of the National Security and Defense Council, Rustem Umerov"
        words = r"(?:(?:to|the|of|and|for|[A-Z][\w’'-]*),?\s+){0,8}?"
        before = rf"\b(?i:{head})\s+{words}{name}\b"
        after = rf"\b{name},\s+(?:(?:an?|the)\s+)?(?:[\w’'-]+\s+){{0,3}}(?:{head})\b"
        if not re.search(f"{before}|{after}", self.text[:position]):
            return None
        return Found(
            Speaker(speaker.name, speaker.kind, speaker.slug, label),
            f"'{label}' after {speaker.name}, introduced as {head}",
            0.7,
        )

    def qualified_anaphor(self, nation: str, head: str, label: str, position: int) -> Found | None:
        """ "the Hungarian minister", "the top Russian diplomat": an unnamed one of them just
        introduced, else the person last given words within two paragraphs when the article
        introduces them with that nationality ("his Hungarian counterpart Peter Szijjarto")."""
        if not lexicon.country_of(nation):
            return None
        if self.introduced_unnamed(head.lower(), position):
            return self.anonymous(label)
        window = previous_paragraph_start(self.text, position)
        recent = [s for o, s in self.speakers if window <= o < position and s.kind != "anonymous"]
        if head.lower() == "leader":
            return self.leader(nation, recent, label, position)
        if recent and recent[-1].kind == "person":
            speaker = recent[-1]
            introduced = (
                rf"\b{re.escape(nation)}\s+(?:[\w’'-]+\s+){{0,3}}{re.escape(speaker.name)}\b"
            )
            if re.search(introduced, self.text):
                return Found(
                    Speaker(speaker.name, speaker.kind, speaker.slug, label),
                    f"'{label}' after {speaker.name}, introduced as {nation}",
                    0.75,
                )
        # "Ukraine's foreign minister Andrii Sybiha … “…,” Lavrov said. … the Ukrainian
        # diplomat said": the one person named so far whom the article ties to that country
        people = self.of_country(lexicon.country_of(nation), position)
        if not DEMONYM.fullmatch(nation) or len(people) != 1:
            return None
        speaker = people[0]
        return Found(
            Speaker(speaker.name, speaker.kind, speaker.slug, label),
            f"'{label}': the one person introduced as {nation}",
            0.7,
        )

    def leader(self, nation: str, recent: list[Speaker], label: str, position: int) -> Found | None:
        """ "President Recep Tayyip Erdogan … The Turkish leader added": a country's leader is
        the president or prime minister just given words, never its minister or anyone else
        the article ties to that country."""
        if not recent or recent[-1].kind != "person":
            return None
        speaker = recent[-1]
        titled = re.search(
            rf"(?P<words>(?:[\w’'-]+\s+){{0,2}})(?:President|Prime Minister)\s+"
            rf"{re.escape(speaker.name)}\b",
            self.text[:position],
        )
        if not titled:
            return None
        country = lexicon.country_of(titled["words"])
        if country and country != lexicon.country_of(nation):
            return None  # "Ukrainian President Volodymyr Zelensky" is no Russian leader
        return Found(
            Speaker(speaker.name, speaker.kind, speaker.slug, label),
            f"'{label}' after {speaker.name}, introduced as a head of state",
            0.7,
        )

    def of_country(self, country: str | None, position: int) -> list[Speaker]:
        """The people named before `position` whom the article introduces with a word of that
        country next to their name ("Ukraine's foreign minister Andrii Sybiha", "Kyrylo
        Budanov, Ukraine's spy chief")."""
        people: dict[str, Speaker] = {}
        for _, speaker in self.history:
            if speaker.name in people:
                continue
            name = re.escape(speaker.name)
            ties = (
                rf"(?P<words>(?:[\w’'-]+\s+){{1,4}}){name}\b",
                rf"\b{name},\s+(?P<words>(?:[\w’'-]+\s+){{0,3}}[\w’'-]+)",
            )
            for pattern in ties:
                for match in re.finditer(pattern, self.text[:position]):
                    if re.search(r"\b(?:to|of|for)\s+the\b", match["words"]):
                        continue  # "aide to the Russian president Yuri Ushakov" is not Russia's
                    if country and lexicon.country_of(match["words"]) == country:
                        people[speaker.name] = speaker
        return list(people.values())

    def introduced_unnamed(self, head: str, position: int) -> bool:
        """Whether an unnamed one of `head` ("a senior European diplomat", "another
        minister") was introduced within the last two paragraphs after every person named."""
        window = previous_paragraph_start(self.text, position)
        mentions = list(
            re.finditer(
                rf"\b(?:an?|one|another)\s+(?:[\w’'-]+\s+){{0,3}}?{re.escape(head)}\b",
                self.text[window:position],
                re.IGNORECASE,
            )
        )
        if not mentions:
            return False
        introduced = window + mentions[-1].start()
        return not any(introduced < offset < position for offset, _ in self.history)

    def unnamed_source(self, head: str, position: int) -> Speaker | None:
        """The last anonymous source given words within two paragraphs whose name holds `head`
        ("A senior European diplomat involved in the talks said …"), for "the diplomat" to be
        the same source."""
        window = previous_paragraph_start(self.text, position)
        for offset, speaker in reversed(self.speakers):
            if offset >= position or offset < window:
                continue
            if speaker.kind == "anonymous" and re.search(
                rf"\b{re.escape(head)}\b", speaker.name, re.IGNORECASE
            ):
                return speaker
        return None

    def recent_institution(self, head: str, position: int) -> Speaker | None:
        """The last organisation given words within two paragraphs whose name holds `head`."""
        window = previous_paragraph_start(self.text, position)
        for offset, speaker in reversed(self.speakers):
            if offset >= position or offset < window:
                continue
            words = f"{speaker.name} {speaker.label}".lower()
            if speaker.kind == "organisation" and re.search(rf"\b{re.escape(head)}\b", words):
                return speaker
        return None

    def previous_subject(self, position: int, window: int) -> Speaker | None:
        """The person whose name opens the sentence before the one at `position`."""
        before = [entry for entry in self.sentences if entry[1] <= position]
        if not before or before[-1][0] < window:
            return None
        paragraph = self.text.rfind("\n", 0, position) + 1
        last = [speaker for offset, speaker in self.speakers if offset < position]
        if (
            last
            and last[-1].kind == "anonymous"
            and any(paragraph <= offset < position for offset, _ in self.speakers)
        ):
            # "“…,” the official said. Zelensky has refused. “…,” he added.": an unnamed
            # source quoted in this same paragraph goes on; never guess a name over it
            return None
        # the quotation the pronoun attributes may hold sentences of its own: they are not
        # sentences of the article standing in between
        between = re.sub(r"[“\"][^”\"]*[”\"]", "", self.text[before[-1][1] : position])
        if re.search(r"[.!?]\s", between.rstrip()):
            return None  # a sentence stands in between: not the one right before
        return before[-1][2]

    def note_sentence(self, start: int, end: int) -> None:
        """Remember the person a sentence opens with as its subject ("In Berlin, his German
        counterpart Johann Wadephul was more measured."), for a pronoun in the next one."""
        self.sentences.append((start, end, self.opening_person(start, end)))

    def opening_person(self, start: int, end: int) -> Speaker | None:
        sentence = self.text[start:end]
        lead = OPENING_ADVERBIAL.match(sentence)
        rest = sentence[lead.end() :] if lead else sentence
        role = ROLE_SUBJECT.match(rest)
        if role:
            # "The foreign minister was not finished. “…,” he said": the person the role is
            found = self.resolve(role["phrase"], start + (lead.end() if lead else 0))
            if found and found.speaker.kind == "person" and found.confidence > 0.4:
                return found.speaker
            return None
        possessive = False
        for match in NAME.finditer(rest, 0, 120):
            prefix = rest[: match.start()]
            after = rest[match.end() : match.end() + 3]
            # "The head of the Russian delegation, Vladimir Medinsky, was …": an apposition
            apposition = prefix.endswith(", ") and prefix.count(",") == 1 and after[:1] == ","
            if len(prefix.split()) > 6 or (re.search(r"[,;:“”\"«»()]", prefix) and not apposition):
                return None  # the name stands in a later clause, not as the subject
            if possessive and not apposition:
                return None  # "Putin's envoy met Witkoff": the envoy, unnamed, is the subject
            if POSSESSIVE.match(after):
                # "Putin's envoy …" is not Putin; "Ukraine's chief negotiator, Rustem Umerov,
                # struck a similar note": the name in apposition is the subject
                possessive = True
                continue
            names = person_names(match.group(), self)
            if not names:
                continue  # "State Department spokeswoman Tammy Bruce": titles before the name
            if not re.match(r"(?:,|\s+[a-z])", after):
                return None  # "Putin and Trump …"
            found = self.named(names[-1], names[-1])
            return found.speaker if found.speaker.kind == "person" else None
        return None

    def remember(self, position: int, speaker: Speaker) -> None:
        bisect.insort(self.speakers, (position, speaker), key=lambda item: item[0])
        if speaker.kind == "person":
            bisect.insort(self.history, (position, speaker), key=lambda item: item[0])

    def remember_mentions(self, start: int, end: int) -> None:
        """Every named person in a passage, so that a later "he" can find them."""
        for match in NAME.finditer(self.text, start, end):
            name = first_person_name(match.group(), self.common)
            if name and (self.known_person(name) or len(name.split()) > 1 or
                         self.local_names.get(name.lower())):  # fmt: skip
                found = self.named(name, name)
                if found.speaker.kind == "person":
                    bisect.insort(
                        self.history, (match.start(), found.speaker), key=lambda item: item[0]
                    )
