"""Real values from the dataset, shown as the schema's examples of the statements' parameters
(config.api.schema; settings.SCHEMA_EXAMPLES names this). Each finds records: a test requests
every one of them."""

EXAMPLES = {
    # parameters many lists share (the change feed's type, the positions' issue and stance)
    "*": {
        "type": ["statement"],
        "issue": ["territory"],
        "stance": ["rejects"],
    },
    "statement": {
        "slug": "putin-2024-06-14-ceasefire-conditions",
        "speaker": ["vladimir-putin"],
        "speaker_kind": ["anonymous"],
        "kind": ["quote"],
        "event": ["putin-ceasefire-conditions-2024-06-14"],
        "occasion": ["putin-ceasefire-conditions-2024-06-14"],
        "about": ["atacms-first-strike-2024-11-19"],
        "place": ["ukraine"],
    },
    "figure": {
        "slug": "ukrainian-territory-held-by-russia-km2-2024-11-20",
        "measure": "ukrainian-territory-held-by-russia",
        "unit": ["percent"],
        "place": ["ukraine"],
        "topic": ["ceasefire-terms"],
        "ordering": "-value",
        "q": "territory",
        "date_from": "2024",
    },
    "citation": {
        "slug": "cit-281fb9e2002f",
        "source": ["reuters-2024-11-20-putin-ceasefire-terms"],
        "statement": ["putin-2024-06-14-ceasefire-conditions"],
        "event": ["istanbul-talks-2022"],
        "figure": ["ukrainian-territory-held-by-russia-km2-2024-11-20"],
        "q": "Putin",
    },
    "wording": {
        "slug": "dan-sabbagh-2024-11-no-single-weapon-decisive"
        "--putin-may-offer-concessions-2024-11",
        "statement": ["dan-sabbagh-2024-11-no-single-weapon-decisive"],
    },
    # an editor's candidates (an ingested article's; the dataset itself holds none)
    "candidate": {"kind": ["quote"], "review_status": ["pending"], "id": 1},
    "position": {
        "slug": "reuters-five-sources-2024-11-crimea-off-table--territory",
        "statement": ["putin-2024-06-14-ceasefire-conditions"],
        "speaker": ["vladimir-putin"],
        "holder": ["kremlin"],
    },
}
