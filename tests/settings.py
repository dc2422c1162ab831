"""Settings for the test suite: config/settings.py with the development defaults.

DEBUG is off unless the environment turns it on, and without it the settings demand a secret
key, host names and a database, as production must. The suite runs on the development defaults,
as `make run` does, so DEBUG=1 is set for this process unless DEBUG is set already (a test's
subprocess given DEBUG=0 gets the production settings even if it inherits this module);
pytest-django then turns DEBUG off while each test runs, as Django's own test runner does.
Tests of the production settings start a fresh process with config.settings and an environment
of their own (tests/test_operations.py).
"""

import os

os.environ.setdefault("DEBUG", "1")

from config.settings import *  # noqa: E402, F403
