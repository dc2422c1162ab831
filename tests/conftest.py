"""Test configuration shared by the whole suite."""

from django.conf import settings


def pytest_configure(config):
    # The default PBKDF2 hasher is slow on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
