from django import template

from core.text import initials as _initials

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
def percent(value, digits=2):
    """12.5 -> '12,50%' ; None -> '—'."""
    if value is None:
        return "—"
    return f"{float(value):.{int(digits)}f}".replace(".", ",") + "%"
