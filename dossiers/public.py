"""This app's section of the unit's public page (/u/<slug>/)."""


def section(unit):
    return None
