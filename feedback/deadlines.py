"""This app's sweep of the deadline engine (see core/engine.py)."""


def sweep(now):
    return {}
