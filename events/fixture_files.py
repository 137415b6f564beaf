"""The dataset's fixture files: where they are, in what order they load, how they are written."""

import json
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


def write_fixture(path: Path, objects: list[dict]) -> None:
    """Write a fixture in the one format every file of the dataset uses."""
    with path.open("w", encoding="utf-8") as handle:
        json.dump(objects, handle, ensure_ascii=False, indent=2)
        handle.write("\n")
