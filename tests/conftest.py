import pytest
from django.core.management import call_command
from django.test import override_settings
from rest_framework.test import APIClient


@pytest.fixture(scope="session", autouse=True)
def collected_static(tmp_path_factory):
    """The static files, collected once as `make serve` collects them: with debug off, pages name
    their assets by the hashed names in the manifest, and WhiteNoise serves the collected files."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root):
        call_command("collectstatic", "--noinput", verbosity=0)
        yield root


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def dataset(db) -> None:
    """The real dataset from fixtures/, loaded as `make run` loads it."""
    call_command("load_dataset", verbosity=0)
