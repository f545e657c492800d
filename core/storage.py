"""Static files storages whose ``url()`` is worked out once per file name.

Every signed-in page writes ten ``{% static %}`` URLs; each call took ~20 µs (Django's
``urljoin`` of the base URL, and the manifest lookup in production), ~0.2 ms a page for
answers that cannot change while the process runs: the manifest is read once at start-up,
and a change of STATIC_URL or STORAGES (only tests make one) gives Django a new storage
object, with an empty memo (docs/decisions/signed-in-frame.md)."""
from django.contrib.staticfiles.storage import StaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class MemoisedUrls:
    _MEMO_LIMIT = 4096  # a bound, not a working size: the portal has a few hundred static files

    def url(self, name, *args, **kwargs):
        if args or kwargs:  # ManifestFilesMixin.url(name, force=True): not memoised
            return super().url(name, *args, **kwargs)
        memo = self.__dict__.setdefault("_url_memo", {})
        found = memo.get(name)
        if found is None:
            found = super().url(name)
            if len(memo) < self._MEMO_LIMIT:
                memo[name] = found
        return found


class StaticStorage(MemoisedUrls, StaticFilesStorage):
    """Development and tests: files from the finders, plain names."""


class ManifestStaticStorage(MemoisedUrls, CompressedManifestStaticFilesStorage):
    """Production: WhiteNoise's compressed files with hashed names (``collectstatic``)."""
