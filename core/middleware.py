import unicodedata

from django.http import Http404, QueryDict


def _normalised(query: QueryDict) -> QueryDict:
    copy = QueryDict(mutable=True, encoding=query.encoding)
    for key, values in query.lists():
        copy.setlist(key, [unicodedata.normalize("NFC", v) for v in values])
    copy._mutable = False
    return copy


class NFCInputMiddleware:
    """Normalise form and query input to Unicode NFC before any view sees it, so that
    'Nguyễn' typed on a phone keyboard (decomposed) and on a desktop (composed) are
    stored, searched and compared as the same text."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            # No URL names a NUL byte, and PostgreSQL refuses one in a query (a 500).
            raise Http404
        if request.GET:
            request.GET = _normalised(request.GET)
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            request.POST = _normalised(request.POST)
        return self.get_response(request)


class VietnameseFirstMiddleware:
    """The portal speaks Vietnamese unless the person chose English with the language
    switch (a cookie): a parent's phone set to English must not turn the school's
    pages English by itself, so the browser's Accept-Language is not consulted."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
