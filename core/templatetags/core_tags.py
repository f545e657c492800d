from django import template
from django.conf import settings
from django.template import engines
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.jinja2 import date as _date
from core.jinja2 import grouped as _grouped
from core.jinja2 import percent as _percent
from core.text import initials as _initials
from core.text import sentence as _sentence

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (for pagination links)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


@register.filter
def initials(name):
    return _initials(name)


@register.filter
def dmy(value):
    """``|date:"d/m/Y"`` written directly (core/jinja2.py), for pages with many dates such as
    the period shortcuts: Django's date filter builds a formatter for each value."""
    return _date(value, "d/m/Y")


@register.filter
def grouped(value):
    """``|intcomma`` for whole numbers, written directly (core/jinja2.py)."""
    return _grouped(value)


@register.filter
def sentence(text):
    """A typed reason as the end of a sentence: ``Lý do: {{ apology.reason|sentence }}``."""
    return _sentence(text)


@register.filter
def percent(value, digits=2):
    """12.5 -> '12,50%' ; None -> '—' (core/jinja2.py)."""
    return _percent(value, digits)


# --- the navbar, in Jinja2 (docs/decisions/signed-in-frame.md) ----------------------------------


def _jinja(name: str, context, **extra):
    request = context.get("request")
    values = {"languages": settings.LANGUAGES, "language": get_language(),
              "path": request.get_full_path() if request is not None else "", **extra}
    # Django's Jinja2 backend adds request, csrf_input and csrf_token; its output is escaped.
    return mark_safe(engines["jinja2"].get_template(name).render(values, request))  # noqa: S308


@register.simple_tag(takes_context=True)
def navbar(context):
    """base.html's navbar (templates/jinja2/_navbar.html), from the page's context: the person,
    the unread count (core.context_processors), ``language_links`` for a page shared by
    anonymous visitors, and the section of the page for the active item: the namespace of
    its URL, or ``navbar_section`` when the page names another (a register written by the KPI
    app's export job belongs to the dossiers)."""
    match = getattr(context.get("request"), "resolver_match", None)
    return _jinja(
        "_navbar.html", context, user=context.get("user"), language_links=context.get("language_links"),
        unread_notifications=context.get("unread_notifications") or (lambda: 0),
        frame_csrf=context.get("frame_csrf"),
        url_name=getattr(match, "url_name", None), namespace=context.get("navbar_section") or getattr(match, "namespace", None))


@register.simple_tag(takes_context=True)
def language_links(context):
    """The public pages' language switch (templates/jinja2/_language_links.html)."""
    return _jinja("_language_links.html", context)
