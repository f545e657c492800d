"""The Jinja2 environment's filters do what Django's of the same name do (core/jinja2.py)."""
import datetime
import zoneinfo

import pytest
from django.template import defaultfilters
from django.utils import timezone
from django.utils.timezone import template_localtime

from core import jinja2

UTC = datetime.timezone.utc
VALUES = [
    datetime.date(2026, 1, 5),
    datetime.date(999, 12, 31),
    datetime.datetime(2026, 3, 9, 17, 5, tzinfo=UTC),  # 00:05 on 10/03 in Hồ Chí Minh City
    datetime.datetime(2026, 12, 31, 16, 59, 59, tzinfo=UTC),
    datetime.datetime(2026, 7, 1, 8, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")),
    datetime.datetime(2026, 7, 1, 8, 0),  # naive: shown as it is, as Django does
]


CASES = [(value, "d/m/Y") for value in VALUES] + [
    (value, "d/m/Y H:i") for value in VALUES if isinstance(value, datetime.datetime)]


@pytest.mark.parametrize(("value", "fmt"), CASES)
def test_the_fixed_formats_match_djangos_date_filter(value, fmt):
    assert jinja2.date(value, fmt) == defaultfilters.date(template_localtime(value), fmt)


def test_local_day_and_other_formats():
    assert jinja2.date(datetime.datetime(2026, 3, 9, 17, 5, tzinfo=UTC), "d/m/Y H:i") == "10/03/2026 00:05"
    assert timezone.get_current_timezone_name() == "Asia/Ho_Chi_Minh"
    assert jinja2.date(None, "d/m/Y") == "" == defaultfilters.date(None, "d/m/Y")
    assert jinja2.date(datetime.date(2026, 1, 5), "j/n") == "5/1"  # any other format: Django's


def test_url_without_arguments_follows_the_script_prefix():
    from django.urls import reverse, set_script_prefix

    assert jinja2.url("kpi:dashboard") == reverse("kpi:dashboard") == "/kpi/"
    assert jinja2.url("dossiers:track-detail", "ABC") == "/track/ABC/"
    try:
        set_script_prefix("/cchc/")  # deployed under a sub-path
        assert jinja2.url("kpi:dashboard") == "/cchc/kpi/"
    finally:
        set_script_prefix("/")


@pytest.mark.parametrize("value", [datetime.date(2026, 1, 5), datetime.datetime(2026, 3, 9, 17, 5, tzinfo=UTC), None])
def test_the_dmy_filter_of_django_templates_writes_what_the_date_filter_writes(value):
    from django.template import engines

    django_engine = engines["django"]
    fast = django_engine.from_string("{% load core_tags %}{{ v|dmy }}").render({"v": value})
    assert fast == django_engine.from_string('{{ v|date:"d/m/Y" }}').render({"v": value})
    assert fast in {"05/01/2026", "10/03/2026", ""}


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("value", [0, 7, 999, 1000, 12345, 1000000, -4321, 2.5, None, "1234"])
def test_the_grouped_filter_writes_what_intcomma_writes(language, value):
    from django.template import engines
    from django.utils import translation

    django_engine = engines["django"]
    with translation.override(language):
        fast = django_engine.from_string("{% load core_tags %}{{ v|grouped }}").render({"v": value})
        assert fast == django_engine.from_string("{% load humanize %}{{ v|intcomma }}").render({"v": value})
    if value == 1000000:
        assert fast == {"vi": "1.000.000", "en": "1,000,000"}[language]
