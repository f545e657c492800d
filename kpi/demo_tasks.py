"""The focus tasks (section III) of plan 16/KH-MNTH in its own words, for the demo plan:
``(group, task, person in charge, deadline month)``."""

TASKS = [
    ("direction", "Kiện toàn Ban Chỉ đạo và Tổ giúp việc Ban Chỉ đạo CCHC của đơn vị; Hiệu trưởng trực tiếp quản lý, "
     "chỉ đạo công tác CCHC tại đơn vị.", "Hiệu trưởng", 2),
    ("direction", "Tăng cường kiểm tra, khảo sát CCHC, kiểm tra công vụ, việc thực hiện quy tắc ứng xử của cán bộ, "
     "viên chức trong đơn vị theo hướng đột xuất, không báo trước.", "Phó Hiệu trưởng", 11),
    ("direction", "Có ít nhất 01 sản phẩm, mô hình tuyên truyền hiệu quả về công tác CCHC trên trang thông tin điện tử "
     "của đơn vị.", "Tổ văn phòng", 6),
    ("institutions", "Rà soát hệ thống hóa văn bản quy phạm pháp luật khi triển khai vào thực tiễn chưa phù hợp để đề "
     "xuất sửa đổi, bổ sung.", "Phó Hiệu trưởng", 9),
    ("institutions", "Tăng cường tuyên truyền phổ biến giáo dục pháp luật tại đơn vị đa dạng về hình thức và phù hợp "
     "với từng đối tượng.", "Chủ tịch Công đoàn", 12),
    ("procedures", "Công khai, minh bạch trong tiếp nhận, giải quyết thủ tục hành chính, bảo đảm 100% thủ tục hành "
     "chính được công bố, công khai đầy đủ, đúng hạn.", "Tổ văn phòng", 3),
    ("procedures", "Nâng cao chất lượng giải quyết hồ sơ TTHC bảo đảm chỉ tiêu kế hoạch; thực hiện nghiêm việc xin lỗi "
     "đối với hồ sơ trễ hẹn.", "Hiệu trưởng", 12),
    ("procedures", "Tiếp nhận, xử lý phản ánh, kiến nghị của cá nhân, tổ chức về quy định, thủ tục hành chính thuộc "
     "thẩm quyền của nhà trường.", "Tổ văn phòng", 12),
    ("organisation", "Rà soát, sắp xếp, kiện toàn tổ chức bộ máy của đơn vị gắn với cơ cấu lại đội ngũ viên chức theo "
     "vị trí việc làm.", "Hiệu trưởng", 6),
    ("civil_service", "Thực hiện quy định về vị trí việc làm và cơ cấu viên chức theo chức danh nghề nghiệp "
     "(Nghị định số 106/2020/NĐ-CP).", "Hiệu trưởng", 5),
    ("civil_service", "Cử đi đào tạo, bồi dưỡng đội ngũ viên chức bảo đảm tiêu chuẩn chức danh nghề nghiệp, vị trí "
     "việc làm.", "Phó Hiệu trưởng", 8),
    ("civil_service", "Phát động phong trào thi đua thực hiện văn hóa công vụ đến toàn thể cán bộ, viên chức và "
     "người lao động.", "Chủ tịch Công đoàn", 4),
    ("public_finance", "Xây dựng, ban hành quy chế quản lý, sử dụng tài sản công; thường xuyên kiểm tra việc thực hiện.",
     "Kế toán", 3),
    ("public_finance", "Ứng dụng thanh toán điện tử trong cung ứng dịch vụ (thu học phí, tiền ăn qua ngân hàng).",
     "Kế toán", 9),
    ("e_government", "Gửi, nhận văn bản điện tử qua phần mềm quản lý văn bản và điều hành; đẩy mạnh ứng dụng chữ ký số.",
     "Tổ văn phòng", 6),
    ("e_government", "Sử dụng hội nghị truyền hình trực tuyến thay cho các cuộc họp truyền thống.", "Phó Hiệu trưởng", 10),
    ("satisfaction", "Bảo đảm đầy đủ thông tin các trường dữ liệu trên giấy tiếp nhận hồ sơ và hẹn trả kết quả.",
     "Tổ văn phòng", 4),
    ("satisfaction", "Khảo sát sự hài lòng của phụ huynh, người dân một cách khách quan, khoa học; công khai kết quả "
     "trên trang Facebook, Zalo của trường.", "Phó Hiệu trưởng", 12),
]

# What the principal wrote in the demo's submitted quarterly report, group by group.
NARRATIVE = {
    "direction": "Nhà trường kiện toàn Tổ giúp việc Ban Chỉ đạo CCHC; Hiệu trưởng trực tiếp chỉ đạo công tác CCHC. "
                 "Đăng 01 bản tin CCHC trên trang Facebook, Zalo của trường.",
    "institutions": "Tổ chức phổ biến các văn bản mới về cải cách hành chính đến toàn thể cán bộ, giáo viên, nhân viên.",
    "procedures": "Niêm yết, công khai đầy đủ các thủ tục hành chính tại bộ phận một cửa và trên trang thông tin điện "
                  "tử; thực hiện xin lỗi đối với hồ sơ trễ hẹn theo quy định.",
    "organisation": "Rà soát vị trí việc làm, sắp xếp nhân sự các tổ chuyên môn phù hợp với năm học mới.",
    "civil_service": "Cử 02 giáo viên tham gia lớp bồi dưỡng chức danh nghề nghiệp; phát động phong trào thi đua "
                     "thực hiện văn hóa công vụ.",
    "public_finance": "Thu học phí, tiền ăn qua ngân hàng và ví điện tử; công khai tài chính theo quy định.",
    "e_government": "Gửi, nhận văn bản qua hệ thống quản lý văn bản và điều hành; họp trực tuyến với phòng quản lý.",
    "satisfaction": "Khảo sát sự hài lòng của phụ huynh qua mã QR trên giấy tiếp nhận và tại các buổi họp phụ huynh.",
}
