"""Files sent by the public (feedback attachments, online dossier documents): images and
PDF only, judged by their content (magic bytes, via the ``filetype`` package), never by
the name or the browser's claimed type — a renamed script stays a script."""
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
PDF_ONLY = {"application/pdf": "pdf"}
_HEAD = 8192  # bytes enough for every signature above


@dataclass
class CheckedUpload:
    file: object
    original_name: str
    content_type: str
    extension: str
    size: int


def check_upload(upload, *, max_size: int, allowed: dict[str, str] = ALLOWED_TYPES) -> CheckedUpload:
    """The upload with its real type, or ValidationError with a message for the sender."""
    if upload.size > max_size:
        raise ValidationError(
            _("“%(name)s” is too large (%(size)s); each file may be at most %(max)s.")
            % {"name": upload.name, "size": filesizeformat(upload.size), "max": filesizeformat(max_size)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": upload.name}, code="empty")
    upload.seek(0)
    head = upload.read(_HEAD)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime not in allowed:
        if allowed is PDF_ONLY:
            message = _("“%(name)s” is not a PDF document.")
        else:
            message = _("“%(name)s” is not a photo or a PDF document; only JPEG, PNG, WebP, HEIC images and PDF files are accepted.")
        raise ValidationError(message % {"name": upload.name}, code="bad_type")
    return CheckedUpload(
        file=upload, original_name=upload.name, content_type=mime, extension=allowed[mime], size=upload.size
    )


def private_file_response(file, *, content_type: str, filename: str, attachment: bool = False):
    """A stored upload served to the one person allowed to see it: the type found in its
    content (never the sender's claim), a neutral name, never cached, never sniffed."""
    from django.http import FileResponse

    response = FileResponse(file.open("rb"), content_type=content_type, filename=filename, as_attachment=attachment)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def private_upload_response(item, *, stem: str):
    """A stored upload row (``file``, ``content_type``) as ``<stem>.<its extension>``."""
    extension = item.file.name.rsplit(".", 1)[-1]
    return private_file_response(item.file, content_type=item.content_type, filename=f"{stem}.{extension}")
