"""Attachments sent with feedback: images and PDF only, judged by their content
(magic bytes, via the ``filetype`` package), never by the name or the browser's
claimed type — a renamed executable stays an executable."""
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# MIME type found in the content -> extension of the stored file
ALLOWED_TYPES = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/heic": "heic",  # iPhone photos
    "application/pdf": "pdf",
}
MAX_SIZE = 5 * 1024 * 1024
MAX_FILES = 3
_HEAD = 8192  # bytes enough for every signature above


@dataclass
class CheckedUpload:
    file: object
    original_name: str
    content_type: str
    extension: str
    size: int


def check_upload(upload) -> CheckedUpload:
    """The upload with its real type, or ValidationError with a message for the sender."""
    if upload.size > MAX_SIZE:
        raise ValidationError(
            _("“%(name)s” is too large (%(size)s); each file may be at most %(max)s.")
            % {"name": upload.name, "size": filesizeformat(upload.size), "max": filesizeformat(MAX_SIZE)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": upload.name}, code="empty")
    upload.seek(0)
    head = upload.read(_HEAD)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime not in ALLOWED_TYPES:
        raise ValidationError(
            _("“%(name)s” is not a photo or a PDF document; only JPEG, PNG, WebP, HEIC images and PDF files are accepted.")
            % {"name": upload.name},
            code="bad_type",
        )
    return CheckedUpload(
        file=upload, original_name=upload.name, content_type=mime, extension=ALLOWED_TYPES[mime], size=upload.size
    )
