import os

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper

from config.settings import (
    BASE_DIR,
    env_addresses,
    env_bool,
    env_list,
    parse_database_url,
)


def test_parse_database_url_sqlite_relative_path_is_under_base_dir():
    result = parse_database_url("sqlite:///db.sqlite3")

    assert result == {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(BASE_DIR / "db.sqlite3"),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL",
        },
    }


def test_parse_database_url_sqlite_connection_uses_wal_immediate_and_a_busy_timeout(
    tmp_path, django_db_blocker
):
    settings_dict = {
        **parse_database_url(f"sqlite:///{tmp_path}/portal.sqlite3"),
        "TIME_ZONE": None,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "AUTOCOMMIT": True,
        "ATOMIC_REQUESTS": False,
    }
    wrapper = SQLiteWrapper(settings_dict, alias="reliability")

    try:
        with django_db_blocker.unblock(), wrapper.cursor() as cursor:
            journal_mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
            busy_timeout = cursor.execute("PRAGMA busy_timeout").fetchone()[0]
        transaction_mode = wrapper.transaction_mode
    finally:
        wrapper.close()

    assert (journal_mode, busy_timeout, transaction_mode) == ("wal", 20_000, "IMMEDIATE")


def test_parse_database_url_sqlite_absolute_path_is_kept():
    result = parse_database_url("sqlite:////var/lib/portal/db.sqlite3")

    assert result["NAME"] == "/var/lib/portal/db.sqlite3"


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///", "sqlite://host/db.sqlite3"])
def test_parse_database_url_sqlite_without_plain_path_raises(url):
    with pytest.raises(ImproperlyConfigured, match="sqlite:///relative.db"):
        parse_database_url(url)


def test_parse_database_url_postgres_socket_dir_from_host_param():
    result = parse_database_url("postgres://postgres@/portal?host=/tmp/pg-socket")

    assert result["ENGINE"] == "django.db.backends.postgresql"
    assert result["NAME"] == "portal"
    assert result["USER"] == "postgres"
    assert result["PASSWORD"] == ""
    assert result["HOST"] == "/tmp/pg-socket"
    assert result["PORT"] == ""
    assert result["OPTIONS"] == {}


def test_parse_database_url_postgres_reads_host_port_password_and_options():
    result = parse_database_url("postgresql://portal:p%40ss@db.example:5433/portal?sslmode=require")

    assert result["HOST"] == "db.example"
    assert result["PORT"] == "5433"
    assert result["USER"] == "portal"
    assert result["PASSWORD"] == "p@ss"
    assert result["OPTIONS"] == {"sslmode": "require"}


def test_parse_database_url_postgres_bad_port_raises():
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        parse_database_url("postgres://portal@db.example:notaport/portal")


@pytest.mark.parametrize("url", ["postgres://portal@db.example", "postgres://portal@db.example/"])
def test_parse_database_url_postgres_without_name_raises(url):
    with pytest.raises(ImproperlyConfigured, match="names no database"):
        parse_database_url(url)


@pytest.mark.parametrize("url", ["mysql://portal@db.example/portal", "db.sqlite3", ""])
def test_parse_database_url_unknown_scheme_raises(url):
    with pytest.raises(ImproperlyConfigured, match="only sqlite:// and postgres://"):
        parse_database_url(url)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", True),
        ("true", True),
        ("yes", True),
        ("on", True),
        (" TRUE ", True),
        ("0", False),
        ("false", False),
        ("no", False),
        ("off", False),
        ("Off", False),
    ],
)
def test_env_bool_accepts_known_spellings(monkeypatch, value, expected):
    monkeypatch.setenv("PORTAL_TEST_FLAG", value)

    result = env_bool("PORTAL_TEST_FLAG", default=not expected)

    assert result is expected


@pytest.mark.parametrize("default", [True, False])
def test_env_bool_unset_returns_default(monkeypatch, default):
    monkeypatch.delenv("PORTAL_TEST_FLAG", raising=False)

    assert env_bool("PORTAL_TEST_FLAG", default=default) is default


def test_env_bool_unknown_word_raises_naming_the_variable(monkeypatch):
    monkeypatch.setenv("PORTAL_TEST_FLAG", "maybe")

    with pytest.raises(ImproperlyConfigured, match="PORTAL_TEST_FLAG='maybe'"):
        env_bool("PORTAL_TEST_FLAG", default=False)


def test_env_list_splits_on_commas_and_strips(monkeypatch):
    monkeypatch.setenv("PORTAL_TEST_HOSTS", "portal.example, www.portal.example ,localhost")

    result = env_list("PORTAL_TEST_HOSTS", default=[])

    assert result == ["portal.example", "www.portal.example", "localhost"]


def test_env_list_unset_returns_default(monkeypatch):
    monkeypatch.delenv("PORTAL_TEST_HOSTS", raising=False)

    assert env_list("PORTAL_TEST_HOSTS", default=["localhost"]) == ["localhost"]


@pytest.mark.parametrize("value", ["a,,b", "a,", " , a", ""])
def test_env_list_empty_item_raises(monkeypatch, value):
    monkeypatch.setenv("PORTAL_TEST_HOSTS", value)

    with pytest.raises(ImproperlyConfigured, match="PORTAL_TEST_HOSTS=.* has an empty item"):
        env_list("PORTAL_TEST_HOSTS", default=[])


def test_env_addresses_accepts_addresses_and_networks(monkeypatch):
    monkeypatch.setenv("PORTAL_TEST_PROXIES", "127.0.0.1, 10.0.0.0/8,::1")

    assert env_addresses("PORTAL_TEST_PROXIES") == ["127.0.0.1", "10.0.0.0/8", "::1"]


def test_env_addresses_unset_is_empty(monkeypatch):
    monkeypatch.delenv("PORTAL_TEST_PROXIES", raising=False)

    assert env_addresses("PORTAL_TEST_PROXIES") == []


@pytest.mark.parametrize("value", ["nginx", "10.0.0.300", "127.0.0.1:80"])
def test_env_addresses_refuses_what_is_not_an_address(monkeypatch, value):
    monkeypatch.setenv("PORTAL_TEST_PROXIES", f"127.0.0.1,{value}")

    with pytest.raises(ImproperlyConfigured, match=f"PORTAL_TEST_PROXIES: '{value}' is not"):
        env_addresses("PORTAL_TEST_PROXIES")


@pytest.mark.django_db
def test_databases_default_uses_database_url():
    # `make test` runs the suite twice, on SQLite and on PostgreSQL; this proves which one ran.
    expected = parse_database_url(os.environ.get("DATABASE_URL", "sqlite:///db.sqlite3"))

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        row = cursor.fetchone()

    assert connection.settings_dict["ENGINE"] == expected["ENGINE"]
    assert row == (1,)
