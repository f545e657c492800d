"""Static URLs are worked out once per name (core/storage.py), and still follow STATIC_URL
and, in production, the manifest of hashed names."""
import json

import pytest
from django.contrib.staticfiles.storage import StaticFilesStorage
from django.templatetags.static import static
from django.test import override_settings

from core.storage import ManifestStaticStorage, StaticStorage


def test_the_same_url_each_time_and_a_new_one_when_static_url_changes():
    first = static("vendor/bootstrap/css/bootstrap.min.css")
    assert first == "/static/vendor/bootstrap/css/bootstrap.min.css"
    assert static("vendor/bootstrap/css/bootstrap.min.css") == first
    with override_settings(STATIC_URL="/assets/"):
        assert static("vendor/bootstrap/css/bootstrap.min.css") == "/assets/vendor/bootstrap/css/bootstrap.min.css"
    assert static("vendor/bootstrap/css/bootstrap.min.css") == first


def test_the_memo_answers_without_asking_django_again(monkeypatch):
    storage = StaticStorage()
    assert storage.url("css/portal.css") == "/static/css/portal.css"
    monkeypatch.setattr(StaticFilesStorage, "url", lambda self, name: pytest.fail("asked again"))
    assert storage.url("css/portal.css") == "/static/css/portal.css"


def test_production_urls_are_the_manifest_s_hashed_names(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "staticfiles.json").write_text(json.dumps(
        {"paths": {"css/portal.css": "css/portal.0123abcd.css"}, "version": "1.1", "hash": "x"}))
    storage = ManifestStaticStorage()
    assert storage.url("css/portal.css") == "/static/css/portal.0123abcd.css"
    assert storage.url("css/portal.css") == "/static/css/portal.0123abcd.css"
    with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
        storage.url("css/missing.css")  # strict, as Django's: a missing file is an error, never memoised
    with pytest.raises(ValueError):
        storage.url("css/missing.css")
