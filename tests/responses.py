"""Helpers for reading API responses in tests."""


def result_slugs(response) -> set[str]:
    """The slugs of a successful list response's results."""
    assert response.status_code == 200, response.json()
    return {item["slug"] for item in response.json()["results"]}
