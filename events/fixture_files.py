"""The dataset's fixture files: where they are, in what order they load, how they are written."""

import json
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

# Shared catalogue first, then the sources, then one file per article; loaddata resolves the
# natural keys across files as long as they are loaded in one call.
CATALOGUE = ["topics.json", "places.json", "people.json", "sources.json", "events.json"]


def fixture_paths(directory: Path | None = None) -> list[Path]:
    """Every fixture file of a release (default: the dataset's), catalogue first."""
    root = Path(directory or settings.FIXTURES_DIR)
    articles = sorted(path for path in root.glob("*.json") if path.name not in CATALOGUE)
    return [root / name for name in CATALOGUE if (root / name).exists()] + articles


def read_fixture(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def write_fixture(path: Path, objects: Iterable[dict]) -> None:
    """Write a fixture in the one format every file of the dataset uses: the bytes of
    `json.dump(list(objects), ensure_ascii=False, indent=2)` and a newline, written an object
    at a time (an export streams its records into the file)."""
    with path.open("w", encoding="utf-8") as handle:
        opening = "[\n  "
        for obj in objects:
            handle.write(opening)
            # an object one level in: its lines indented by two more spaces (JSON strings
            # escape their newlines, so every newline here is the indentation's)
            handle.write(json.dumps(obj, ensure_ascii=False, indent=2).replace("\n", "\n  "))
            opening = ",\n  "
        handle.write("[]\n" if opening == "[\n  " else "\n]\n")
