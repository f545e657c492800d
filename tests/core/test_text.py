"""core.text.sentence: a typed reason closes its sentence in a printed letter."""
import pytest

from core.text import sentence


@pytest.mark.parametrize(("typed", "printed"), [
    ("Cần xác minh thêm thông tin", "Cần xác minh thêm thông tin."),
    ("  Chờ ý kiến phường.  ", "Chờ ý kiến phường."),
    ("Hồ sơ thiếu giấy tờ!", "Hồ sơ thiếu giấy tờ!"),
    ("Chờ kết quả xác minh…", "Chờ kết quả xác minh…"),
    ("", ""),
    (None, ""),
])
def test_a_typed_reason_ends_with_one_full_stop(typed, printed):
    assert sentence(typed) == printed
