"""The fields (lĩnh vực) of docs/interfaces.md with their default targets (docs/domain/indicators.md)."""
FIELDS = [
    # key, Vietnamese name, English name, default target, has procedures, survey area
    ("tuyen-sinh", "Tuyển sinh", "Enrolment", 100, True, True),
    ("chuyen-truong", "Chuyển trường", "Transfer", 100, True, True),
    ("xac-nhan", "Cấp giấy xác nhận", "Certificates and confirmations", 100, True, True),
    ("hoc-phi", "Miễn, giảm học phí và hỗ trợ chi phí học tập", "Tuition exemption and support", 100, True, True),
    ("giao-duc-hoa-nhap", "Giáo dục hòa nhập trẻ khuyết tật trí tuệ", "Inclusive education", 100, True, True),
    ("xu-ly-don", "Xử lý đơn", "Petition handling", 98, True, True),
    ("khieu-nai-to-cao", "Giải quyết khiếu nại, tố cáo", "Complaints and denunciations", 95, True, True),
    ("cham-soc-giao-duc", "Chăm sóc, giáo dục trẻ", "General care and education", 99, False, True),
]
