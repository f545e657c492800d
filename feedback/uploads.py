"""Attachments sent with feedback: the shared checks of ``core.uploads`` with the
feedback form's limits (3 files of 5 MB)."""
from core.uploads import ALLOWED_TYPES, CheckedUpload  # noqa: F401 - re-exported for the feedback app
from core.uploads import check_upload as _check_upload

MAX_SIZE = 5 * 1024 * 1024
MAX_FILES = 3


def check_upload(upload) -> CheckedUpload:
    """The upload with its real type, or ValidationError with a message for the sender."""
    return _check_upload(upload, max_size=MAX_SIZE)
