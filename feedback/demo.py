"""Demo data of this app for `manage.py seed_demo` (idempotent)."""


def seed(*, unit, users, today):
    return ""
