"""A signed-in page (``base.html`` with its navbar around a page template) rendered once per
process for each kind of page and person, with a mark wherever a request differs, so that a
request costs only filling the marks in (docs/decisions/signed-in-frame.md).

What differs between two people viewing the same page in the same language:
- what the navbar **decides by** — an office account or not, an administrator or not, a unit or
  an office to name, whether there are unread notices, the section the page is in — is part of
  the key: the frame is rendered once for each combination met;
- what the navbar **shows** — the person's name, role, unit or office, unread count, the CSRF
  token of its two forms, the page's own address for the language switch — is a mark, filled in
  for each request with the escaping Jinja2 gives it (templates/jinja2/_navbar.html);
- what the **page** shows is given by the view as ``slots`` (name → value), each a mark in the
  frame, filled in escaped as Django's ``{{ value }}`` escapes it. The page template may show
  nothing else of the request, and may only print a slot (no filter, no test of its value).

A request with messages to show, or with ``DEBUG`` on (a template edit shows at once), is
rendered by Django's engine as any page; so is an anonymous one. tests/core/test_signed_in_frame.py
compares the two renderings."""
import functools
import re
from types import SimpleNamespace

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render as django_render
from django.template import loader
from django.template.backends.utils import csrf_input
from django.urls import get_script_prefix
from django.utils.html import conditional_escape
from django.utils.translation import get_language
from markupsafe import escape as jinja_escape

from core.context_processors import unread_count

# What the navbar shows of the request; a page's slots may not take these names.
PERSON = ("person_name", "person_role", "person_org", "unread", "csrf", "path")
# A mark is letters and digits, which HTML escaping and URL quoting leave as they are: the
# number of its slot among PERSON and then the page's slots.
_MARKS = re.compile(r"signedinframe(\d{3})mark")


def _mark(slot: str, names: tuple[str, ...] = PERSON) -> str:
    return f"signedinframe{names.index(slot):03d}mark"


class _Named:
    def __init__(self, name: str):
        self.name = name


class _Person:
    """The person while the frame is rendered: what the navbar tests is real, what it prints is a mark."""

    is_authenticated = True
    username = ""

    def __init__(self, *, is_office: bool, is_administrator: bool, org: str | None):
        self.is_office = is_office
        self.is_administrator = is_administrator
        self.unit = _Named(_mark("person_org")) if org == "unit" else None
        self.office = _Named(_mark("person_org")) if org == "office" else None

    def get_full_name(self) -> str:
        return _mark("person_name")

    def get_role_display(self) -> str:
        return _mark("person_role")


def display_name(user) -> str:
    """The name the navbar shows (templates/jinja2/_navbar.html: full name, else username)."""
    return user.get_full_name() or user.username


def _org(user) -> str | None:
    if user.unit_id is not None:
        return "unit"
    return "office" if user.office_id is not None else None


@functools.lru_cache(maxsize=256)
def _pieces(template_name: str, language: str, prefix: str, slots: tuple[str, ...], kind: tuple) -> tuple[str, ...]:
    """The frame as text and slot names alternating: text, slot, text, …, text. ``prefix`` (the
    script prefix, which the frame's links start with) is only a key: it is the active one."""
    if set(slots) & set(PERSON):
        raise ValueError(f"a page's slots may not be named {', '.join(PERSON)}")
    is_office, is_administrator, org, has_unread, url_name, namespace = kind
    request = HttpRequest()
    request.path = request.path_info = _mark("path")
    request.resolver_match = SimpleNamespace(url_name=url_name, namespace=namespace)
    request.user = _Person(is_office=is_office, is_administrator=is_administrator, org=org)
    unread = _mark("unread") if has_unread else 0
    names = PERSON + slots
    context = {name: _mark(name, names) for name in slots}
    context.update(user=request.user, unread_notifications=lambda: unread, frame_csrf=_mark("csrf"))
    html = loader.render_to_string(template_name, context, request)
    pieces = _MARKS.split(html)
    pieces[1::2] = [names[int(number)] for number in pieces[1::2]]
    return tuple(pieces)


def render(request, template_name: str, slots: dict) -> HttpResponse:
    """``template_name`` (extending base.html) for ``request``, showing ``slots``."""
    user = request.user
    if settings.DEBUG or not user.is_authenticated or len(get_messages(request)):
        return django_render(request, template_name, slots)
    unread_notifications = unread_count(user)
    match = request.resolver_match
    kind = (user.is_office, user.is_administrator, _org(user), unread_notifications > 0,
            getattr(match, "url_name", None), getattr(match, "namespace", None))
    pieces = _pieces(template_name, get_language() or settings.LANGUAGE_CODE, get_script_prefix(),
                     tuple(sorted(slots)), kind)
    org = user.unit if user.unit_id is not None else user.office
    values = {
        "person_name": jinja_escape(display_name(user)),
        "person_role": jinja_escape(user.get_role_display()),
        "person_org": jinja_escape(org.name) if org is not None else "",
        "unread": str(unread_notifications),
        "csrf": str(csrf_input(request)),
        "path": jinja_escape(request.get_full_path()),
        **{name: conditional_escape(value) for name, value in slots.items()},
    }
    return HttpResponse("".join(piece if i % 2 == 0 else values[piece] for i, piece in enumerate(pieces)))


@receiver(setting_changed)
def _forget_frames(**kwargs):
    """A setting a frame depends on (static files, URLs, languages) may have changed: in tests."""
    _pieces.cache_clear()
