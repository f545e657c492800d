"""Translated text in set-based SQL: parameters for the text, columns for placeholders."""
import pytest
from django.db import connection

from core.sqltext import concat


def test_text_goes_in_as_parameters_and_placeholders_as_columns():
    sql, params = concat("Hồ sơ %(code)s đến hạn %(date)s.", {"code": "d.code", "date": "d.day"}, name="t")
    assert sql == "%(t_0)s || (d.code) || %(t_1)s || (d.day) || %(t_2)s"
    assert params == {"t_0": "Hồ sơ ", "t_1": " đến hạn ", "t_2": "."}


def test_percent_signs_quotes_and_unknown_placeholders_stay_text():
    sql, params = concat("%(code)s: 100% 'x' %%; %(other)s", {"code": "d.code"}, name="t")
    assert sql == "(d.code) || %(t_0)s"
    assert params == {"t_0": ": 100% 'x' %; %(other)s"}


def test_a_template_with_no_text_is_a_column_or_the_empty_string():
    assert concat("%(code)s", {"code": "d.code"}, name="t") == ("(d.code)", {})
    assert concat("", {}, name="t") == ("''", {})


@pytest.mark.django_db
def test_the_database_builds_the_text():
    sql, params = concat("'%(code)s' — 100%% %s", {"code": "d.code"}, name="t")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql} FROM (SELECT 'A-1' AS code) d", params)
        assert cursor.fetchone()[0] == "'A-1' — 100% %s"
