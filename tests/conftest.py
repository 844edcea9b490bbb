"""Shared fixtures live in tests/support/*; each helper module registers its own."""

import os

os.environ.setdefault("REGWATCH_TESTING", "1")

pytest_plugins = [
    "tests.support.replay_fixture",
    "tests.support.smtp_fixture",
]
