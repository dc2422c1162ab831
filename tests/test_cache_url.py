"""CACHE_URL: the cache several app servers share, read strictly."""

import importlib.util
import os
import subprocess
import sys

import pytest
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from config.settings import BASE_DIR, parse_cache_url
from tests import factories


def test_parse_cache_url_locmem_is_each_process_its_own():
    assert parse_cache_url("locmem://") == {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "",
    }


def test_parse_cache_url_db_names_the_table():
    assert parse_cache_url("db://portal_cache") == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "portal_cache",
    }


@pytest.mark.parametrize(
    "url, message",
    [
        ("db://", "write db://table_name"),
        ("db://cache-table", "write db://table_name"),
        ("db://cache_table/extra", "write db://table_name"),
        ("db:///cache_table", "write db://table_name"),
        ("locmem:///tmp/x", "write locmem://"),
        ("memcached://127.0.0.1:11211", "only locmem://"),
        ("cache_table", "only locmem://"),
        ("", "only locmem://"),
        ("redis://", "write redis://host:6379/0"),
        ("redis://cache.internal:63a79/0", "Port could not be cast"),
        ("redis://cache.internal:6379/zero", "write redis://host:6379/0"),
    ],
)
def test_parse_cache_url_malformed_value_names_the_variable(url, message):
    with pytest.raises(ImproperlyConfigured, match=message) as raised:
        parse_cache_url(url)

    assert str(raised.value).startswith(f"CACHE_URL={url!r}:")


def test_parse_cache_url_redis_needs_the_redis_package():
    # The redis package is not a dependency of the portal: Redis (or Valkey) is the option for
    # heavier use, installed by whoever chooses it.
    url = "redis://cache.internal:6379/0"

    if importlib.util.find_spec("redis") is None:
        with pytest.raises(ImproperlyConfigured, match="pip install redis"):
            parse_cache_url(url)
    else:
        assert parse_cache_url(url)["LOCATION"] == url


def test_cache_url_malformed_value_stops_the_settings():
    env = {**os.environ, "DEBUG": "1", "CACHE_URL": "db://cache-table"}

    result = subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )

    assert result.returncode != 0
    assert "CACHE_URL='db://cache-table'" in result.stderr


@pytest.mark.django_db(transaction=True)
def test_cache_url_database_cache_holds_the_public_pages(client, settings):
    # What two app servers with CACHE_URL=db://portal_cache share: the rendered page is a row
    # in the portal's database, not in one process's memory.
    settings.CACHES = {"default": parse_cache_url("db://portal_cache")}
    call_command("createcachetable", verbosity=0)
    period = factories.running_period()
    url = reverse("public:period_detail", args=[period.municipality.slug, period.slug])

    try:
        client.get(url)
        with connection.cursor() as cursor:
            cursor.execute("SELECT cache_key FROM portal_cache")
            keys = [row[0] for row in cursor.fetchall()]
        again = client.get(url)
    finally:
        caches["default"].clear()
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE portal_cache")

    assert [key for key in keys if ":page:" in key] != []
    assert again.status_code == 200
