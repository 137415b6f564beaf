"""Helpers for reading API responses in tests."""


def result_slugs(response) -> set[str]:
    """The slugs of a successful list response's results."""
    assert response.status_code == 200, response.json()
    return {item["slug"] for item in response.json()["results"]}


def timestamps(record) -> dict:
    """The `created_at` and `updated_at` of a record as the API writes them."""
    record.refresh_from_db(fields=["created_at", "updated_at"])
    return {
        name: getattr(record, name).isoformat().replace("+00:00", "Z")
        for name in ("created_at", "updated_at")
    }
