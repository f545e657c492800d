"""The legal bases of the one-stop forms: which set of forms an event uses, by the date
of the event (never the date of printing). Form numbers and titles come from this one
table; the HTML previews, the PDF files, the API and the register read them here
(docs/legal/forms.md).

- Thông tư 01/2018/TT-VPCP (guiding Nghị định 61/2018/NĐ-CP), in force from 21/12/2018:
  six forms, 05 = control sheet, 06 = register.
- Nghị định 118/2025/NĐ-CP replaced Nghị định 61/2018 on 01/07/2025, but its forms came
  only with Thông tư 03/2025/TT-VPCP, signed and in force on 15/09/2025: seven forms, 04
  becomes an apology **and request to extend**, 05 the notice of stopping, 06 the control
  sheet, 07 the register. Events between the two dates print on the 2018 forms, the only
  ones published then, citing the decree (basis ``nd118-2025``) — except a stop, which has
  no 2018 form and uses form 05 of 2025.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class LegalBasis:
    key: str
    since: datetime.date
    short: str  # "Thông tư 03/2025/TT-VPCP"
    citation: str  # printed under the form number
    decree: str  # the decree it guides
    forms: dict[str, tuple[str, str]]  # kind -> (number, official title)


# kind -> whether the form carries "Số: …" (a document issued by the unit, Nghị định
# 30/2020/NĐ-CP) and the type abbreviation before the unit's ("TB-MNTH").
NUMBERED = {"receipt": False, "supplement": True, "rejection": True, "apology": True, "stop": True,
            "control": False, "register": False}
SYMBOL = {"stop": "TB"}

# Forms 01–03 keep their number and title in both circulars.
COMMON_FORMS = {
    "receipt": ("01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    "supplement": ("02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "rejection": ("03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
}

TT01_FORMS = {
    **COMMON_FORMS,
    "apology": ("04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
    "control": ("05", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
    "register": ("06", "Sổ theo dõi hồ sơ"),
}

BASES: tuple[LegalBasis, ...] = (
    LegalBasis(
        key="tt01-2018",
        since=datetime.date(2018, 12, 21),
        short="Thông tư 01/2018/TT-VPCP",
        citation="Ban hành kèm theo Thông tư số 01/2018/TT-VPCP ngày 23/11/2018 của Văn phòng Chính phủ",
        decree="Nghị định 61/2018/NĐ-CP",
        forms=TT01_FORMS,
    ),
    # The decree in force, its circular not yet: the 2018 forms, under the decree's name.
    LegalBasis(
        key="nd118-2025",
        since=datetime.date(2025, 7, 1),
        short="Nghị định 118/2025/NĐ-CP",
        citation="Theo mẫu của Thông tư số 01/2018/TT-VPCP, áp dụng theo Nghị định số 118/2025/NĐ-CP",
        decree="Nghị định 118/2025/NĐ-CP",
        forms=TT01_FORMS,
    ),
    LegalBasis(
        key="tt03-2025",
        since=datetime.date(2025, 9, 15),
        short="Thông tư 03/2025/TT-VPCP",
        citation="Ban hành kèm theo Thông tư số 03/2025/TT-VPCP ngày 15/9/2025 của Văn phòng Chính phủ",
        decree="Nghị định 118/2025/NĐ-CP",
        forms={
            **COMMON_FORMS,
            "apology": ("04", "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"),
            "stop": ("05", "Thông báo dừng giải quyết hồ sơ"),
            "control": ("06", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
            "register": ("07", "Sổ theo dõi hồ sơ"),
        },
    ),
)
BY_KEY = {basis.key: basis for basis in BASES}
KINDS = ("receipt", "supplement", "rejection", "apology", "stop", "control", "register")


@dataclass(frozen=True)
class FormSpec:
    kind: str
    number: str
    title: str
    basis: LegalBasis
    numbered: bool
    symbol: str

    @property
    def legal_basis(self) -> str:
        return self.basis.key


def basis_on(day: datetime.date) -> LegalBasis:
    """The legal basis in force on ``day`` (the earliest one for older days)."""
    chosen = BASES[0]
    for basis in BASES:
        if day >= basis.since:
            chosen = basis
    return chosen


def form_for(kind: str, day: datetime.date) -> FormSpec:
    """Number, title and basis of the form of ``kind`` for an event on ``day``. A kind the
    basis in force does not have (a stop before 15/09/2025) takes the first later basis
    that has it."""
    if kind not in KINDS:
        raise KeyError(kind)
    basis = basis_on(day)
    if kind not in basis.forms:
        basis = next(b for b in BASES if b.since >= basis.since and kind in b.forms)
    number, title = basis.forms[kind]
    return FormSpec(kind=kind, number=number, title=title, basis=basis, numbered=NUMBERED[kind],
                    symbol=SYMBOL.get(kind, ""))
