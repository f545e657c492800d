"""The unit's public page (/u/<slug>/) is the same for every visitor: its sections (rates
of the year, published procedures, surveys, published answers) are rendered once per
unit and language and kept in the cache (Redis) for PUBLIC_PAGE_CACHE_SECONDS (a
minute: public rates are not real-time). Publishing a procedure or an answer, editing
the plan or the unit clears the unit's entry when the change commits, so what people
publish shows at once; the rates computed from dossiers and responses follow within
the minute.

For an anonymous visitor without a session the whole page is shared the same way
(``shareable``, ``shared_html``): its language switch is then the links of the public pages
(templates/jinja2/_language_links.html, docs/decisions/public-frame.md), so the copy holds no
per-visitor CSRF token and serving it makes none.

Which sections the page has, which models clear it and which other cache entries go
with it, each app says from its ``AppConfig.ready()`` (core/registry.py): core names none.

The cache fails OPEN: Redis down or flaky, the page is computed as before."""
import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core import registry

log = logging.getLogger(__name__)



def cache_seconds() -> int:
    return settings.PUBLIC_PAGE_CACHE_SECONDS


def slug_key(slug: str) -> str:
    """A slug as a cache key part: itself when short, else its hash (any URL may name one)."""
    return slug if len(slug) <= 64 else hashlib.sha256(slug.encode()).hexdigest()[:32]


def _key(slug: str, language: str) -> str:
    return f"unit-public:v1:{slug_key(slug)}:{language}"


def _html_key(slug: str, language: str) -> str:
    return f"unit-public-html:v1:{slug_key(slug)}:{language}"


def shareable(request) -> bool:
    """True for a visitor the whole page can be shared with: no session (so anonymous,
    no pending messages in it), no messages cookie, no query string (``next`` of the
    language switch is then the page's own path)."""
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.GET
    )


def shared_html(slug: str, render_page) -> str:
    """The whole page for a shareable visitor; ``render_page()`` renders it when the cache
    has no fresh copy."""
    seconds = cache_seconds()
    key = _html_key(slug, get_language() or settings.LANGUAGE_CODE)
    html = cache_get(key) if seconds > 0 else None
    if html is None:
        html = render_page()
        if seconds > 0:
            cache_set(key, html, seconds)
    return html


def cache_get(key: str):
    try:
        return cache.get(key)
    except Exception:  # noqa: BLE001 - cache down: compute the page, never fail it
        log.warning("public page cache unavailable (get %s)", key)
        return None


def cache_get_many(keys: list[str]) -> dict:
    try:
        return cache.get_many(keys)
    except Exception:  # noqa: BLE001 - cache down: read from the database
        log.warning("public page cache unavailable (get_many)")
        return {}


def cache_set_many(values: dict, seconds: int) -> None:
    if seconds <= 0:
        return
    try:
        cache.set_many(values, seconds)
    except Exception:  # noqa: BLE001 - cache down: served all the same
        log.warning("public page cache unavailable (set_many)")


def cache_set(key: str, value, seconds: int) -> None:
    try:
        cache.set(key, value, seconds)
    except Exception:  # noqa: BLE001 - cache down: the page was served all the same
        log.warning("public page cache unavailable (set %s)", key)


def render_content(unit) -> str:
    """The unit's heading and every section, as HTML (no per-visitor content in it)."""
    sections = []
    for render in registry.public_sections():
        section = render(unit)
        if section:
            sections.append(section)
    return render_to_string("core/_unit_public_content.html", {"unit": unit, "sections": sections})


def page_for(slug: str, load_unit) -> dict:
    """{"name": ..., "content": safe HTML} of the unit's public page; ``load_unit(slug)``
    returns the Unit (or raises Http404) when the cache has no fresh copy."""
    seconds = cache_seconds()
    key = _key(slug, get_language() or settings.LANGUAGE_CODE)
    page = cache_get(key) if seconds > 0 else None
    if page is None:
        unit = load_unit(slug)
        page = {"name": unit.name, "content": render_content(unit)}
        if seconds > 0:
            cache_set(key, page, seconds)
    return {"name": page["name"], "content": mark_safe(page["content"])}  # noqa: S308 - rendered by our templates


def invalidate(slug: str) -> None:
    """Drop the unit's cached page in every language and the apps' entries that go
    with it (fails open)."""
    try:
        cache.delete_many(
            [_key(slug, code) for code, _name in settings.LANGUAGES]
            + [_html_key(slug, code) for code, _name in settings.LANGUAGES]
            + registry.public_cache_keys(slug)
        )
    except Exception:  # noqa: BLE001 - cache down: the entry expires by itself
        log.warning("public page cache unavailable (invalidate %s)", slug)


def invalidate_unit(unit_id) -> None:
    """Drop the unit's page once the current transaction commits (so a request in
    between cannot put the old content back)."""
    if not unit_id:
        return

    def drop():
        from core.models import Unit

        slug = Unit.objects.filter(pk=unit_id).values_list("slug", flat=True).first()
        if slug:
            invalidate(slug)

    transaction.on_commit(drop)


def _unit_changed(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return  # loaddata
    slug = instance.slug  # it may be gone after the commit (a deleted unit)
    transaction.on_commit(lambda: invalidate(slug))


def watch(model, unit_id_of) -> None:
    """Drop the public page of ``unit_id_of(row)`` when a row of ``model`` is saved or
    deleted (what people publish by hand shows at once). Called through the registry."""

    def changed(sender, instance, **kwargs):
        if kwargs.get("raw"):
            return  # loaddata
        try:
            unit_id = unit_id_of(instance)
        except Exception:  # noqa: BLE001 - a row being deleted may have lost its parent already
            return
        invalidate_unit(unit_id)

    uid = f"public-page-{model._meta.label}"
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}-save")
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}-delete")


def connect_signals() -> None:
    from core.models import Unit

    post_save.connect(_unit_changed, sender=Unit, dispatch_uid="public-page-save-core.Unit")
    post_delete.connect(_unit_changed, sender=Unit, dispatch_uid="public-page-delete-core.Unit")
