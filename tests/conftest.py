import pytest
from django.core.management import call_command
from rest_framework.test import APIClient


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def dataset(db) -> None:
    """The real dataset from fixtures/, loaded as `make run` loads it."""
    call_command("load_dataset", verbosity=0)
