"""API settings classes, kept apart from the views so that DRF's settings can
import them without a cycle."""
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser

from core.text import nfc


class NFCJSONParser(JSONParser):
    """JSON whose strings are normalised to Unicode NFC."""

    def parse(self, stream, media_type=None, parser_context=None):
        return nfc(super().parse(stream, media_type, parser_context))


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500
