"""The frame of the public pages (templates/public_base.html: head, navbar with the language
switch, footer) for pages rendered with Jinja2 (core/jinja2.py, templates/jinja2/).

The frame is the same for every visitor of a language except the page's own address in the
language switch, so it is rendered once per language and process by the Django template
engine from public_base.html itself — one frame, no Jinja copy of it — with a mark where
each slot goes (the blocks ``title``, ``head`` and ``content``) and where the address goes.
A page then costs only its own content (docs/decisions/public-frame.md).

What public_base.html may show, for this to hold: nothing of the visitor but the language
and ``request.get_full_path|urlencode`` (no user, no messages, no CSRF token). A test
compares the Jinja2 page with the same page rendered by Django's engine."""
import functools

from django.conf import settings
from django.http import HttpRequest
from django.template import engines
from django.template.defaultfilters import urlencode
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, override

SLOTS = ("title", "head", "content")
# Letters only: HTML escaping and URL quoting leave them as they are.
_SLOT_MARK = "publicframeslot{}mark"
_PATH_MARK = "publicframepathmark"


@functools.cache
def _source() -> str:
    blocks = "".join(f"{{% block {slot} %}}{_SLOT_MARK.format(slot)}{{% endblock %}}" for slot in SLOTS)
    return '{% extends "public_base.html" %}' + blocks


def _render_pieces() -> tuple[SafeString | list[str], ...]:
    """The frame around the slots, in order (len(SLOTS) + 1 pieces of HTML): safe text, or for
    a piece that shows the page's address, the text around each place it goes."""
    request = HttpRequest()
    request.path = request.path_info = _PATH_MARK
    html = engines["django"].from_string(_source()).render({}, request)
    pieces = []
    for slot in SLOTS:
        piece, html = html.split(_SLOT_MARK.format(slot))
        pieces.append(piece)
    pieces.append(html)
    return tuple(
        piece.split(_PATH_MARK) if _PATH_MARK in piece else mark_safe(piece)  # noqa: S308 - our templates
        for piece in pieces
    )


@functools.cache
def _cached_pieces(language: str) -> tuple[SafeString | list[str], ...]:
    with override(language):
        return _render_pieces()


def pieces(request) -> tuple[SafeString, ...]:
    """The frame of ``request``'s page in the active language: the HTML before the title, after
    the title, after the head and after the content."""
    frame = _render_pieces() if settings.DEBUG else _cached_pieces(get_language() or settings.LANGUAGE_CODE)
    if all(isinstance(piece, str) for piece in frame):
        return frame
    path = conditional_escape(urlencode(request.get_full_path()))
    # the address escaped as {{ request.get_full_path|urlencode }} writes it
    return tuple(piece if isinstance(piece, str) else mark_safe(path.join(piece)) for piece in frame)  # noqa: S308
