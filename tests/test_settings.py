import ast
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from config.settings import env_bool, env_choice, env_list, env_rate


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("0", False), ("", True)])
def test_env_bool_reads_true_and_false(monkeypatch, raw, expected):
    monkeypatch.setenv("PARLEY_FLAG", raw)

    assert env_bool("PARLEY_FLAG", True) is expected


def test_env_bool_refuses_a_malformed_value(monkeypatch):
    monkeypatch.setenv("PARLEY_FLAG", "maybe")

    with pytest.raises(ImproperlyConfigured, match="PARLEY_FLAG must be true or false"):
        env_bool("PARLEY_FLAG", True)


def test_env_list_refuses_an_empty_item(monkeypatch):
    monkeypatch.setenv("PARLEY_HOSTS", "a.example,,b.example")

    with pytest.raises(ImproperlyConfigured, match="empty item"):
        env_list("PARLEY_HOSTS", [])


def test_env_choice_reads_any_case_and_refuses_another_value(monkeypatch):
    monkeypatch.setenv("PARLEY_LEVEL", "warning")

    assert env_choice("PARLEY_LEVEL", "INFO", ["INFO", "WARNING"]) == "WARNING"
    monkeypatch.setenv("PARLEY_LEVEL", "loud")
    with pytest.raises(ImproperlyConfigured, match="PARLEY_LEVEL must be one of INFO, WARNING"):
        env_choice("PARLEY_LEVEL", "INFO", ["INFO", "WARNING"])


@pytest.mark.parametrize(
    ("raw", "expected"), [("off", None), ("5/second", "5/second"), ("", "9/m")]
)
def test_env_rate_reads_a_rate_or_off(monkeypatch, raw, expected):
    monkeypatch.setenv("PARLEY_RATE", raw)

    assert env_rate("PARLEY_RATE", "9/m") == expected


def test_env_rate_refuses_a_malformed_rate(monkeypatch):
    monkeypatch.setenv("PARLEY_RATE", "fast")

    with pytest.raises(ImproperlyConfigured, match="PARLEY_RATE must be a count per period"):
        env_rate("PARLEY_RATE", "9/m")


def test_settings_read_the_environment_only_through_the_env_helpers():
    tree = ast.parse((settings.BASE_DIR / "config" / "settings.py").read_text())
    helpers = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
    inside = {
        id(n) for helper in helpers if helper.name.startswith("env_") for n in ast.walk(helper)
    }

    reads = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
        and node.attr in {"environ", "getenv", "environb"}
        and id(node) not in inside
    ]

    assert reads == []


def run_settings(**env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        env={**environment, "DJANGO_SETTINGS_MODULE": "config.settings"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_settings(DJANGO_DEBUG="false", SECRET_KEY="")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_manage_py_without_a_secret_key_says_what_is_missing_and_how_to_fix_it():
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SECRET_KEY", "SECRET_KEY", "DJANGO_DEBUG", "DEBUG"}
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        env={**environment, "DJANGO_SETTINGS_MODULE": "config.settings"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith(
        "django.core.exceptions.ImproperlyConfigured: DJANGO_SECRET_KEY must be set when DEBUG "
        "is off (the default). In production set it to a long random value: "
        "export DJANGO_SECRET_KEY="
    )
    assert last_line.endswith(
        "For development, set DJANGO_DEBUG=true instead (README, Configuration)."
    )
    assert "aren't loaded yet" not in result.stderr


def test_settings_refuse_a_malformed_cache_time():
    result = run_settings(DJANGO_DEBUG="true", PARLEY_RESPONSE_CACHE_SECONDS="an hour")

    assert result.returncode != 0
    assert "PARLEY_RESPONSE_CACHE_SECONDS must be a whole number, not 'an hour'" in result.stderr


def test_production_starts_with_a_secret_key_and_hosts():
    result = run_settings(
        DJANGO_DEBUG="false", DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="parley.example"
    )

    assert (result.returncode, result.stdout.strip()) == (0, "started")


def test_cache_round_trips_through_the_configured_backend():
    # with REDIS_URL set (as in .ci/run) this is a real Redis server
    cache.set("parley-test-key", {"value": 1}, timeout=30)

    assert cache.get("parley-test-key") == {"value": 1}
    cache.delete("parley-test-key")
