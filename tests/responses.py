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


def read(client, kind: str, slug: str | None) -> tuple[str, dict, str]:
    """A record of the list `kind` (`statements`), the first when `slug` is None: its address,
    its body as a GET answers it, and its ETag."""
    if slug is None:
        slug = client.get(f"/api/v1/{kind}/?page_size=1").json()["results"][0]["slug"]
    response = client.get(f"/api/v1/{kind}/{slug}/")
    return f"/api/v1/{kind}/{slug}/", response.json(), response["ETag"]
