"""Real values from the dataset, shown as the schema's examples of the base records' parameters
(config.api.schema; settings.SCHEMA_EXAMPLES names this). Each finds records: a test requests
every one of them."""

EXAMPLES = {
    # parameters many lists share (a list's filters show theirs in their description, to be
    # tried one at a time: config.api.schema.TRY_IT_OUT_TOGETHER)
    "*": {
        "date_from": "2024-11",
        "date_to": "2025-03",
        "topic": ["territory"],
        "source": ["reuters-2024-11-20-putin-ceasefire-terms"],
        "q": "ceasefire",
    },
    "event": {
        "slug": "istanbul-talks-2022",
        "participant": ["donald-trump"],
        "kind": ["talks"],
        "status": ["planned"],
        "place": ["ukraine"],
        "q": "talks",
    },
    "person": {
        "slug": "vladimir-putin",
        "kind": ["anonymous"],
        "country": "RU",
        "q": "Zelensky",
    },
    "source": {
        "slug": "bne-2025-02-06-positions-soften",
        "publisher": "Reuters",
        "language": "en",
        "q": "Putin",
        "date_from": "2024",
    },
    "topic": {"slug": "territory", "q": "territory"},
    "place": {"slug": "ukraine", "kind": ["city"], "country": "UA", "q": "Kyiv"},
}
