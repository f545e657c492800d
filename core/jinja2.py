"""The Jinja2 environment of the pages rendered with Jinja2 (templates/jinja2/, the second engine in
settings.TEMPLATES): public pages opened by many people at once, where Django's engine cost
most of the request (docs/decisions/public-frame.md), the navbar, and the KPI parts with many
cells (the dashboard's body and period picker, docs/decisions/dashboard-cache.md; the rows of
the units side by side, docs/kpi/rollup.md). Everything else stays on Django's engine.

What the templates have, each doing what the Django tag or filter of the same name does:
``_()`` (gettext, output escaped like ``{% translate %}``), ``url(name, *args)``,
``static(path)``, the filters ``date`` (local time, Django's formats), ``urlencode``,
``capfirst``, ``truncatechars``, ``json_script`` and the project's ``percent`` and ``grouped``
(core_tags), and
``public_frame(request)`` (core/public_frame.py) for templates/jinja2/public_base.html.
Autoescape is on (Django's backend turns it on)."""
import datetime
import functools

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template import defaultfilters
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.formats import get_format
from django.utils.html import json_script
from django.utils.timezone import template_localtime
from django.utils.translation import get_language, gettext, ngettext
from jinja2 import Environment

from core import public_frame


def url(name: str, *args, **kwargs) -> str:
    if args or kwargs:
        return reverse(name, args=args or None, kwargs=kwargs or None)
    # A name without arguments always gives the same path for the same URLconf and prefix;
    # reverse() takes ~25 µs, and the navbar has ten of them.
    return _fixed_url(settings.ROOT_URLCONF, get_urlconf(), get_script_prefix(), name)


@functools.lru_cache(maxsize=512)
def _fixed_url(root_urlconf, urlconf, prefix, name) -> str:
    return reverse(name)


def _day(v) -> str:
    return f"{v.day:02d}/{v.month:02d}/{v.year:04d}"


# The fixed formats the public pages use, written directly: Django's ``dateformat`` builds a
# formatter object for each value (tests/core/test_jinja2.py checks they agree).
_FIXED = {"d/m/Y": _day, "d/m/Y H:i": lambda v: f"{_day(v)} {v.hour:02d}:{v.minute:02d}"}


def date(value, arg=None) -> str:
    """``|date("d/m/Y")``: Django's date filter on the value in local time, as in a Django template."""
    fixed = _FIXED.get(arg)
    if fixed is not None and isinstance(value, datetime.date):
        return fixed(template_localtime(value))
    return defaultfilters.date(template_localtime(value), arg)


def percent(value, digits=2) -> str:
    """12.5 -> '12,50%' ; None -> '—'."""
    if value is None:
        return "—"
    return f"{float(value):.{int(digits)}f}".replace(".", ",") + "%"


def grouped(value) -> str:
    """humanize's ``intcomma`` for whole numbers, written directly: 1000 -> '1.000' in
    Vietnamese, '1,000' in English. A table of a province's units calls it a thousand times,
    and ``intcomma`` formats each through ``number_format`` (about ten times the cost)."""
    if type(value) is not int:
        return intcomma(value)
    return f"{value:,}".replace(",", _separator(get_language()))


@functools.lru_cache(maxsize=8)
def _separator(language: str | None) -> str:
    return get_format("THOUSAND_SEPARATOR", language)


def environment(**options) -> Environment:
    env = Environment(extensions=["jinja2.ext.i18n"], **options)  # noqa: S701 - Django's backend sets autoescape
    # Old-style gettext: the translation is plain text, escaped on output as {% translate %} does.
    env.install_gettext_callables(gettext, ngettext, newstyle=False)
    env.globals["_"] = gettext  # not the extension's alias, which looks gettext up again on every call
    env.globals.update(url=url, static=static, public_frame=public_frame.pieces)
    env.filters.update(date=date, urlencode=defaultfilters.urlencode, percent=percent, grouped=grouped,
                       capfirst=defaultfilters.capfirst, truncatechars=defaultfilters.truncatechars,
                       json_script=json_script)
    return env
