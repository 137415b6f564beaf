"""The words of English news prose that extraction recognises, each list in one place.

These are the general vocabulary of reporting (speech verbs, the heads of anonymous
descriptors, roles, nationalities, institutions), not the names of any one article.
"""

import re


def split_words(words: str) -> set[str]:
    """A set written as one string of words, so a long vocabulary stays readable."""
    return set(words.split())


def verb_forms(*lemmas: str) -> set[str]:
    """A regular verb's forms: argue → argue, argues, argued, arguing."""
    forms = set()
    for lemma in lemmas:
        stem = lemma[:-1] if lemma.endswith("e") else lemma
        if lemma.endswith("y") and lemma[-2] not in "aeiou":
            forms |= {lemma, lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"}
        else:
            ending = "es" if lemma.endswith(("s", "sh", "ch", "x")) else "s"
            forms |= {lemma, lemma + ending, stem + "ed", stem + "ing"}
    return forms


# Speech verbs of more than one word, each form written out ("the diplomat pointed out", "as
# Peskov put it"); the participles are left out, as their subject is another clause's
PHRASAL_VERBS = frozenset(
    {
        *(f"{verb} out" for verb in ("point", "points", "pointed")),
        *(
            f"{go} on to {say}"
            for go in ("go", "goes", "went", "gone")
            for say in ("say", "add", "note", "warn", "stress", "argue")
        ),
        *(f"{made} {it}clear" for made in ("make", "makes", "made") for it in ("", "it ")),
        "put it",
        "puts it",
    }
)
# Verbs that introduce what someone said, in quotes or in reported speech.
SPEECH_VERBS = PHRASAL_VERBS | frozenset(
    verb_forms(
        *split_words(
            "add state remark comment note argue explain insist warn stress emphasize "
            "emphasise declare ask reply answer claim urge tweet post recall acknowledge "
            "admit concede suggest indicate highlight mention announce confirm report inform "
            "counter retort observe conclude predict vow promise pledge caution complain "
            "lament respond assert reveal deny estimate contend reiterate repeat quip joke "
            "boast allege maintain affirm underline underscore signal demand welcome dismiss "
            "reject condemn propose hail accuse describe portray threaten disclose assure "
            "express advise recommend cite confide sigh muse recount exclaim shout whisper scoff"
        )
    )
    | split_words(
        "admitted admitting signalled signalling referred regretted said say says saying told "
        "tell tells telling wrote write writes writing called calls call framed frames "
        "dubbed termed branded labelled labeled quoted"
    )
)
# Of those, the ones that attribute a quotation on its own ("…,” he said).
QUOTE_VERBS = PHRASAL_VERBS | frozenset(
    verb_forms(
        *split_words(
            "add state remark comment note argue explain insist warn stress emphasize "
            "emphasise declare ask reply answer claim urge tweet post recall acknowledge "
            "admit concede suggest continue conclude observe counter retort quip joke predict "
            "vow promise caution complain lament respond assert mention announce confirm "
            "report inform reiterate repeat boast explain write affirm underline underscore "
            "scoff exclaim shout whisper confide sigh muse"
        )
    )
    | split_words("admitted admitting said say says saying told tells telling wrote writes writing")
)
# Words between a subject and its verb that are not part of the subject ("has also said").
AUXILIARIES = frozenset(
    split_words(
        "has have had is was were are be been would will could can may might must should did "
        "does do also only once again then later now already further previously earlier "
        "reportedly repeatedly publicly privately recently even still never often frequently "
        "just but indirectly directly firmly quickly not"
    )
)
# The head nouns of anonymous and collective speakers ("a senior European diplomat").
ANONYMOUS_HEADS = frozenset(
    split_words(
        "official officials source sources diplomat diplomats insider insiders people person "
        "persons analyst analysts critic critics adviser advisers advisor advisors aide aides "
        "expert experts observer observers negotiator negotiators participant participants "
        "member members lawmaker lawmakers legislator legislators commander commanders "
        "officer officers resident residents witness witnesses economist economists "
        "strategist strategists investor investors trader traders banker bankers executive "
        "executives representative representatives leak leaks report reports media "
        "authorities someone sides allies leaders figure figures staff staffers spokesperson "
        "spokesman spokeswoman envoy envoys minister ministers governments"
    )
)
# Occupations and roles that make a single name a person's ("Natalia, a pharmacist", "Yermak, a
# senior official").
PERSON_NOUNS = split_words(
    "teacher pharmacist nurse doctor engineer student pensioner retiree resident soldier "
    "volunteer refugee driver farmer worker shopkeeper activist veteran mother father widow "
    "grandmother grandfather mechanic accountant businessman businesswoman programmer "
    "journalist priest lawyer woman man official adviser advisor aide diplomat analyst expert "
    "lawmaker legislator commander officer negotiator minister spokesman spokeswoman "
    "spokesperson envoy senator ambassador president chancellor politician researcher fellow"
)
# "the diplomat said" after a named speaker refers back to them, as "he" would.
ANAPHORIC_HEADS = split_words(
    "diplomat minister spokesman spokeswoman spokesperson envoy politician leader president "
    "premier chancellor negotiator adviser advisor senator lawmaker commander general "
    "ambassador secretary interviewee interlocutor"
)
# ... but "the official", "the source" refer back only to an unnamed one: news never calls a
# named speaker "the source", and a wrong guess would pin an anonymous quote on a name.
ANONYMOUS_ANAPHORA = split_words("official source insider aide")
# A determiner that leaves a head anonymous ("a spokesman", "two ministers", "some officials").
INDEFINITE = frozenset(
    split_words(
        "a an one two three four five six seven eight nine ten several some many few both "
        "other unnamed anonymous various numerous most"
    )
)
NUMBER_WORDS = re.compile(r"^(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)$")
PRONOUNS = {
    "he": "person",
    "him": "person",
    "she": "person",
    "her": "person",
    "they": "plural",
    "them": "plural",
    "it": "organisation",
    # the article's own "I": its author, when a byline names a person (an op-ed's "As I told
    # the Council, “…”"); nobody otherwise
    "i": "author",
}

# Country words, normalised to one key each; a qualifier in a role ("the Ukrainian president")
# or an affiliation ("Russia") reads through this table.
COUNTRIES = {
    "ru": "russia russian russia's russia’s kremlin moscow moscow's moscow’s",
    "ua": "ukraine ukrainian ukraine's ukraine’s kyiv kiev kyiv's kyiv’s bankova",
    "us": "us u.s u.s. american america united states usa washington white house",
    "cn": "china chinese beijing",
    "gb": "uk u.k britain british united kingdom london england",
    "fr": "france french paris elysee",
    "de": "germany german berlin",
    "tr": "turkey turkish türkiye ankara",
    "pl": "poland polish warsaw",
    "by": "belarus belarusian minsk",
    "eu": "eu european union brussels",
    "nato": "nato",
    "un": "un u.n united nations",
    "in": "india indian",
    "hu": "hungary hungarian budapest",
    "jp": "japan japanese tokyo",
    "il": "israel israeli",
    "ir": "iran iranian tehran",
    "kz": "kazakhstan kazakh",
    "sa": "saudi arabia saudi",
    "qa": "qatar qatari",
    # the other governments of the diplomacy, so that "the Finnish president" is a role
    # qualified by a country, not an institution called "Finnish"
    "it": "italy italian rome",
    "es": "spain spanish madrid",
    "ca": "canada canadian ottawa",
    "br": "brazil brazilian brasilia",
    "ge": "georgia georgian tbilisi",
    "md": "moldova moldovan chisinau",
    "fi": "finland finnish helsinki",
    "se": "sweden swedish stockholm",
    "no": "norway norwegian oslo",
    "dk": "denmark danish copenhagen",
    "nl": "netherlands dutch",
    "ch": "switzerland swiss",
    "at": "austria austrian vienna",
    "cz": "czech prague",
    "sk": "slovakia slovak bratislava",
    "ee": "estonia estonian tallinn",
    "lv": "latvia latvian riga",
    "lt": "lithuania lithuanian vilnius",
    "ro": "romania romanian bucharest",
    "rs": "serbia serbian belgrade",
    "eg": "egypt egyptian cairo",
    "ae": "emirati",
    "be": "belgium belgian",
    "ie": "ireland irish dublin",
    "pt": "portugal portuguese lisbon",
    "gr": "greece greek athens",
    "bg": "bulgaria bulgarian sofia",
    "hr": "croatia croatian zagreb",
    "si": "slovenia slovenian ljubljana",
    "lu": "luxembourg luxembourgish",
}
COUNTRY_WORDS = {
    word: code
    for code, words in COUNTRIES.items()
    for word in sorted(words.split(), key=len, reverse=True)
}
# Countries by name (not adjective): "Turkey says" is its government speaking.
COUNTRY_NAMES = split_words(
    "russia ukraine china britain france germany turkey poland belarus india hungary israel "
    "iran kazakhstan qatar japan italy spain canada brazil georgia moldova finland sweden "
    "norway estonia latvia lithuania romania slovakia serbia egypt belgium ireland portugal "
    "greece bulgaria croatia slovenia luxembourg netherlands switzerland austria denmark"
) | {"united states", "united kingdom", "saudi arabia"}
MULTIWORD_COUNTRIES = {
    "united states": "us",
    "united kingdom": "gb",
    "white house": "us",
    "european union": "eu",
    "united nations": "un",
    "saudi arabia": "sa",
    "abu dhabi": "ae",
}

# Roles, each normalised to one key ("spokesman", "press secretary" → spokesperson).
ROLES = {
    "president": "president",
    "leader": "president",
    "head of state": "president",
    "spokesman": "spokesperson",
    "spokeswoman": "spokesperson",
    "spokesperson": "spokesperson",
    "press secretary": "spokesperson",
    "prime minister": "prime minister",
    "premier": "prime minister",
    "foreign minister": "foreign minister",
    "foreign secretary": "foreign minister",
    "secretary of state": "foreign minister",
    "top diplomat": "foreign minister",
    "defence minister": "defence minister",
    "defense minister": "defence minister",
    "defense secretary": "defence minister",
    "defence secretary": "defence minister",
    "special envoy": "envoy",
    "envoy": "envoy",
    "chancellor": "chancellor",
    "national security adviser": "national security adviser",
    "national security advisor": "national security adviser",
    "communications director": "communications director",
    "chief of staff": "chief of staff",
    "ambassador": "ambassador",
    "president-elect": "president-elect",
    "vice president": "vice president",
    "foreign ministry spokesperson": "spokesperson",
    "foreign ministry spokeswoman": "spokesperson",
    "foreign ministry spokesman": "spokesperson",
    "minister of foreign affairs": "foreign minister",
    "minister for foreign affairs": "foreign minister",
    "foreign affairs minister": "foreign minister",
    "editor": "editor",
    "pm": "prime minister",
    "commander-in-chief": "commander-in-chief",
}
ROLE_PATTERN = "|".join(sorted((re.escape(role) for role in ROLES), key=len, reverse=True))

# Institutions that speak without a name ("the Kremlin said"), and the places that stand for a
# government ("Moscow says"); each maps to the name it is known by.
METONYMS = {
    "moscow": "kremlin",
    "russia": "kremlin",
    "kremlin": "kremlin",
    "washington": "white house",
    "white house": "white house",
    "trump administration": "white house",
    "us administration": "white house",
    "biden administration": "white house",
    "the administration": "white house",
    "kyiv": "kyiv",
    "kiev": "kyiv",
    "ukraine": "ukraine",
    "bankova": "bankova",
    # the seats of other governments, named for their address or palace
    "downing street": "downing street",
    "number 10": "downing street",
    "no 10": "downing street",
    "élysée": "élysée",
    "elysee": "élysée",
    "the élysée": "élysée",
    "the elysee": "élysée",
    "élysée palace": "élysée",
    "elysee palace": "élysée",
}
# The last word of an organisation's name ("the foreign ministry", "The New York Times").
ORGANISATION_HEADS = frozenset(
    split_words(
        "ministry kremlin government army military navy pentagon department office council "
        "committee commission parliament duma rada agency service staff times post news "
        "journal guardian telegraph reuters tass interfax bloomberg cnn bbc afp ap nyt "
        "presidency cabinet administration alliance union nato embassy court prosecutor bank "
        "company corporation gazprom naftogaz pravda independent novosti izvestia kommersant "
        "publication newspaper outlet paper broadcaster magazine website channel network "
        "politico axios forces headquarters secretariat mission institute center centre "
        "foundation fund university party assembly organization organisation association "
        "federation command authority operator guard force fleet police chancellery palace"
    )
)
# Capitalised words that are never a person's name (titles, months, days, and the like).
NOT_NAMES = frozenset(
    split_words(
        "the a an president prime minister secretary state foreign defence defense spokesman "
        "spokeswoman spokesperson press special envoy chancellor national security adviser "
        "advisor communications director chief staff ambassador general gen colonel col "
        "lieutenant commander mr mrs ms dr sir lord lady king queen prince princess sheikh emir "
        "sultan pope senator sen "
        "rep representative governor gov mayor deputy vice head leader editor reporter "
        "correspondent analyst january february march april may june july august september "
        "october november december monday tuesday wednesday thursday friday saturday sunday "
        "kremlin white house ministry army security council union nato eu un cold war west "
        "east north south western eastern northern southern europe asia africa america soviet "
        "coalition according however but and although while meanwhile nevertheless "
        "surprisingly earlier later in on at for from with by of to as after before during "
        "since until when if this that these those there here it its he she they we i you his "
        # a question word opening a sentence ("What Zelensky actually said …") names no one
        "what which who whom whose where why how "
        "her their our real estate former outgoing incoming top senior republican democrat "
        "democratic federal supreme constitutional court office department agency service "
        "affairs defense interior justice finance economy trade energy internal external "
        # a sentence may open on a focusing adverb before its subject ("Even Donald Trump …")
        "even only also just especially notably perhaps both either neither not"
    )
)
# One given name in its Russian and Ukrainian forms and their common transliterations: TASS
# writes "Vladimir Zelensky" for Volodymyr Zelensky, Kyiv outlets "Oleksandr" for Alexander.
GIVEN_NAME_FORMS = [
    split_words(forms)
    for forms in (
        "vladimir volodymyr wladimir",
        "alexander aleksandr alexandr oleksandr",
        "alexei alexey aleksei aleksey oleksiy oleksii",
        "andrei andrey andriy andrii",
        "dmitry dmitri dmitriy dmytro",
        "sergey sergei serhiy serhii",
        "yuri yury yuriy yurii",
        "mikhail mykhailo",
        "nikolai nikolay mykola",
        "pavel pavlo",
        "yevgeny yevgeniy evgeny yevhen yevhenii",
        "oleg oleh",
        "igor ihor",
        "vasily vasiliy vasyl",
        "grigory grigoriy hryhoriy hryhorii",
        "elena yelena olena",
        "tatiana tatyana tetiana tetyana",
        "olga olha",
        "irina iryna",
        "yulia yuliya yuliia",
    )
]


def same_given_name(a: str, b: str) -> bool:
    """Whether two given names are forms of one ("Vladimir", "Volodymyr")."""
    return any(a in forms and b in forms for forms in GIVEN_NAME_FORMS)


NON_ANSWERS = re.compile(
    r"(?:not immediately (?:available|respond|reply|return)|declined to comment|did not "
    r"(?:immediately )?(?:respond|reply|comment)|could not be reached|no immediate comment|"
    r"^\W*neither\b.*\bnor\b.*\b(?:responded|replied|commented))",
    re.IGNORECASE,
)


def country_of(words: str) -> str | None:
    """The country key of a qualifier or affiliation ("Russian", "the United States"), if any."""
    lowered = words.lower().replace("’", "'").strip()
    lowered = re.sub(r"^the\s+", "", lowered)
    for phrase, code in MULTIWORD_COUNTRIES.items():
        if phrase in lowered:
            return code
    for word in re.findall(r"[\w.']+", lowered):
        code = COUNTRY_WORDS.get(word) or COUNTRY_WORDS.get(word.rstrip("."))
        if code:
            return code
    return None
