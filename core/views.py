from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core import access, public_page, replica
from core.models import EngineRun, InVietnameseOrder, Unit



def favicon(request):
    return redirect(static("favicon.svg"), permanent=True)


@never_cache
@require_GET
def switch_language(request):
    """The language switch of the public pages (templates/jinja2/_language_links.html): a link, so that
    those pages make no CSRF token for each visitor (docs/decisions/public-frame.md). Django's
    ``set_language`` rules: the language cookie only for a language of LANGUAGES, and back to
    ``next`` only on this site (else the referring page of this site, else /). A link forged
    elsewhere can at most switch a visitor's language, which the visitor switches back."""
    def on_this_site(url):
        return url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure())

    next_url = request.GET.get("next", "")
    if not on_this_site(next_url):
        next_url = request.META.get("HTTP_REFERER", "")
        if not on_this_site(next_url):
            next_url = "/"
    response = HttpResponseRedirect(next_url)
    language = request.GET.get("language", "")
    if language in dict(settings.LANGUAGES) and check_for_language(language):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


@login_required
def home(request):
    unit = access.default_unit(request.user)
    context = {"unit": unit}
    if request.user.is_office:
        # The units the office supervises today, a page at a time (a province has a thousand); those
        # it handed over are counted apart: their past stays readable (docs/domain/supervision.md).
        today = timezone.localdate()
        readable = access.readable_units(request.user)
        current = readable.supervised_during(today, today).order_by(InVietnameseOrder("name"))
        page = Paginator(current, 50).get_page(request.GET.get("page"))
        context.update(page=page, former=readable.count() - page.paginator.count)
    return render(request, "core/home.html", context)


@login_required
def notifications(request):
    page = Paginator(request.user.notifications.select_related("unit"), 30).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page})


@login_required
@require_POST
def notifications_mark_read(request):
    request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    return redirect("notifications")


def unit_public(request, slug):
    """The unit's public page: published procedures, rates and answered feedback
    (rendered once a minute per unit and language: core/public_page.py)."""
    def page():
        return public_page.page_for(slug, lambda s: get_object_or_404(Unit, slug=s))

    if public_page.shareable(request):  # one copy for every anonymous visitor: no CSRF token in it
        return HttpResponse(public_page.shared_html(slug, lambda: render_to_string(
            "core/unit_public.html", {"page": page(), "language_links": True}, request=request)))
    return render(request, "core/unit_public.html", {"page": page()})


def _broker_ok() -> bool:
    if settings.REDIS_URL:
        import redis

        try:
            return bool(redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping())
        except redis.RedisError:
            return False
    return True  # the filesystem broker needs no server


@never_cache
def healthz(request):
    """Liveness for load balancers and people: database, broker, last engine run."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
        last = EngineRun.objects.order_by("-started_at").values("started_at", "finished_at", "summary").first()
    except Exception:  # noqa: BLE001 - a health check reports, it does not raise
        database, last = "error", None
    broker = "ok" if _broker_ok() else "error"
    body = {
        "status": "ok" if database == "ok" and broker == "ok" else "error",
        "database": database,
        "broker": broker,
        # Reads of dashboards and reports fall back to the primary when this says so.
        "replica": replica.status(),
        "deadline_engine": {
            "last_run": last["started_at"].isoformat() if last else None,
            "finished_at": last["finished_at"].isoformat() if last and last["finished_at"] else None,
            "summary": last["summary"] if last else None,
        },
    }
    return JsonResponse(body, status=200 if database == "ok" else 503)
