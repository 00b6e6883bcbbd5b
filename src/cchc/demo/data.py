"""Reference data of the demo province (Quảng Trị, H45).

Fictional but believable: procedure names follow the provincial catalogues of a Sở Khoa học và Công nghệ
(tthc.md §1, tthc-details.md §7.4); codes have the national shape d.dddddd but are not guaranteed to be the real
ones. The catalogue of the Sở KH&CN mirrors the Quảng Trị sample: 54 procedures in force, of which 40 without
liên thông, 13 liên thông cùng cấp and 01 liên thông giữa các cấp.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

DEMO_PASSWORD = "demo1234"
BASE_URL = "http://127.0.0.1:8000"

PROVINCE_CODE = "H45"
PROVINCE_NAME = "Quảng Trị"
PARENT_AUTHORITY = "UBND TỈNH QUẢNG TRỊ"

# The catalogue as published by the province's decision, in force from this day (legacy levels of Nghị định 43/2011).
CATALOGUE_START = dt.date(2019, 1, 1)
CATALOGUE_DECISION = "Quyết định 3456/QĐ-UBND ngày 20/12/2018 của Chủ tịch UBND tỉnh Quảng Trị"


@dataclass(frozen=True)
class AgencySpec:
    code: str
    name: str
    kind: str
    electronic_id: str
    address: str
    units: tuple[tuple[str, str, str], ...] = ()  # (code, name, Unit.Kind value)
    # Dossiers received per quarter at scale 1 (the Sở KH&CN of the samples: 80-120).
    dossiers_per_quarter: int = 0


UBND = AgencySpec(
    code="UBND",
    name="Ủy ban nhân dân tỉnh Quảng Trị",
    kind="ubnd_tinh",
    electronic_id="000.00.00.H45",
    address="45 Hùng Vương, phường Đông Hà, tỉnh Quảng Trị",
    units=(("VP", "Văn phòng UBND tỉnh", "van_phong"),),
)

AGENCIES: tuple[AgencySpec, ...] = (
    AgencySpec(
        code="SKHCN",
        name="Sở Khoa học và Công nghệ",
        kind="so",
        electronic_id="000.00.12.H45",
        address="204 Hùng Vương, phường Đông Hà, tỉnh Quảng Trị",
        units=(
            ("VP", "Văn phòng Sở", "van_phong"),
            ("KHTC", "Phòng Kế hoạch - Tài chính", "phong"),
            ("QLKH", "Phòng Quản lý khoa học", "phong"),
            ("QLCN", "Phòng Quản lý chuyên ngành", "phong"),
            ("CCTDC", "Chi cục Tiêu chuẩn Đo lường Chất lượng", "chi_cuc"),
            ("TTTT", "Trung tâm Thông tin và Ứng dụng KH&CN", "trung_tam"),
            ("MC", "Bộ phận tiếp nhận và trả kết quả", "mot_cua"),
        ),
        dossiers_per_quarter=100,
    ),
    AgencySpec(
        code="SNV",
        name="Sở Nội vụ",
        kind="so",
        electronic_id="000.00.05.H45",
        address="14 Lê Lợi, phường Đông Hà, tỉnh Quảng Trị",
        units=(
            ("VP", "Văn phòng Sở", "van_phong"),
            ("CCHC", "Phòng Cải cách hành chính", "phong"),
            ("TCBM", "Phòng Tổ chức, biên chế và tổ chức phi chính phủ", "phong"),
            ("MC", "Bộ phận tiếp nhận và trả kết quả", "mot_cua"),
        ),
        dossiers_per_quarter=20,
    ),
    AgencySpec(
        code="STP",
        name="Sở Tư pháp",
        kind="so",
        electronic_id="000.00.13.H45",
        address="01 Trần Hưng Đạo, phường Đông Hà, tỉnh Quảng Trị",
        units=(
            ("VP", "Văn phòng Sở", "van_phong"),
            ("HCTP", "Phòng Hành chính tư pháp", "phong"),
            ("BTTP", "Phòng Bổ trợ tư pháp", "phong"),
            ("MC", "Bộ phận tiếp nhận và trả kết quả", "mot_cua"),
        ),
        dossiers_per_quarter=60,
    ),
)


@dataclass(frozen=True)
class UserSpec:
    username: str
    full_name: str
    agency: str | None  # agency code; None for the superuser
    role: str | None
    position: str = ""
    unit: str = ""  # unit code
    superuser: bool = False


USERS: tuple[UserSpec, ...] = (
    UserSpec("admin", "Quản trị hệ thống", None, None, superuser=True),
    UserSpec("skhcn.admin", "Lê Thị Hồng Nhung", "SKHCN", "admin", "Chuyên viên quản trị hệ thống", "VP"),
    UserSpec("skhcn.lanhdao", "Hoàng Văn Minh", "SKHCN", "leader", "Phó Giám đốc Sở", "VP"),
    UserSpec("skhcn.chuyenvien", "Trần Thị Thu Hà", "SKHCN", "officer", "Chuyên viên", "QLCN"),
    UserSpec("skhcn.motcua", "Nguyễn Văn Hùng", "SKHCN", "one_stop", "Cán bộ một cửa", "MC"),
    UserSpec("skhcn.xem", "Phan Thị Lan", "SKHCN", "viewer", "Chuyên viên", "KHTC"),
    UserSpec("snv.tonghop", "Võ Đức Thắng", "SNV", "aggregator", "Trưởng phòng Cải cách hành chính", "CCHC"),
    UserSpec("snv.motcua", "Nguyễn Thị Hoa", "SNV", "one_stop", "Cán bộ một cửa", "MC"),
    UserSpec("stp.chuyenvien", "Đặng Thị Mai", "STP", "officer", "Chuyên viên", "HCTP"),
)

# Who performs the steps of a generated dossier, by agency: the one-stop desk (receipt, hand-over, return), the
# officer (appraisal, supplement request, apology, refusal) and the leader who signs the result.
STEP_USERS: dict[str, dict[str, str]] = {
    "SKHCN": {"desk": "skhcn.motcua", "officer": "skhcn.chuyenvien", "leader": "skhcn.lanhdao"},
    "SNV": {"desk": "snv.motcua", "officer": "snv.motcua", "leader": "snv.motcua"},
    "STP": {"desk": "stp.chuyenvien", "officer": "stp.chuyenvien", "leader": "stp.chuyenvien"},
}

F_KHCN = "Hoạt động khoa học và công nghệ"
F_SHTT = "Sở hữu trí tuệ"
F_TDC = "Tiêu chuẩn đo lường chất lượng"
F_NLNT = "Năng lượng nguyên tử, an toàn bức xạ và hạt nhân"
F_CGCN = "Chuyển giao công nghệ"
F_TTTK = "Thông tin và thống kê khoa học và công nghệ"
F_TCBM = "Tổ chức hành chính, đơn vị sự nghiệp công lập"
F_HOI = "Tổ chức hội, tổ chức phi chính phủ"
F_TDKT = "Thi đua, khen thưởng"
F_LLTP = "Lý lịch tư pháp"
F_CC = "Công chứng"
F_DG = "Đấu giá tài sản"

# The unit that appraises the dossiers of each field.
FIELD_UNITS = {
    F_KHCN: "QLKH",
    F_SHTT: "QLCN",
    F_TDC: "CCTDC",
    F_NLNT: "QLCN",
    F_CGCN: "QLCN",
    F_TTTK: "TTTT",
    F_TCBM: "TCBM",
    F_HOI: "TCBM",
    F_TDKT: "CCHC",
    F_LLTP: "HCTP",
    F_CC: "BTTP",
    F_DG: "BTTP",
}


@dataclass(frozen=True)
class ProcedureSpec:
    code: str
    name: str
    field: str
    time: int  # processing time published, working days
    reduced: int | None = None  # the province's reduced time
    online: str = "full"  # Nghị định 42/2022: full / partial / none
    link: str = "none"  # interconnection: none / same_level / cross_level
    weight: float = 1.0  # relative share of the agency's dossiers
    person: bool = False  # applicants are citizens rather than organisations
    result: str = ""
    fees: str = ""
    # Later versions: (effective from, changed attributes, deciding document).
    changes: tuple[tuple[dt.date, dict, str], ...] = ()
    abolished_on: dt.date | None = None
    abolition: str = ""

    @property
    def legacy_level(self) -> int | None:
        """Nghị định 43/2011 level the first version had: toàn trình ~ mức độ 4, một phần ~ mức độ 3."""
        return {"full": 4, "partial": 3}.get(self.online, 2)


_X = "Sử dụng thiết bị X-quang chẩn đoán trong y tế"

SKHCN_PROCEDURES: tuple[ProcedureSpec, ...] = (
    # Hoạt động khoa học và công nghệ
    ProcedureSpec(
        "1.014389",
        "Cấp Giấy chứng nhận đăng ký hoạt động lần đầu cho tổ chức khoa học và công nghệ",
        F_KHCN,
        15,
        10,
        result="Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ",
        weight=1.5,
    ),
    ProcedureSpec(
        "1.014390",
        "Cấp thay đổi nội dung, cấp lại Giấy chứng nhận đăng ký hoạt động của tổ chức khoa học và công nghệ",
        F_KHCN,
        10,
        5,
        result="Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ",
    ),
    ProcedureSpec(
        "1.014391",
        "Cấp Giấy chứng nhận hoạt động lần đầu cho văn phòng đại diện, chi nhánh của tổ chức khoa học và công nghệ",
        F_KHCN,
        15,
        10,
        weight=0.5,
    ),
    ProcedureSpec(
        "1.014392",
        "Cấp thay đổi nội dung, cấp lại Giấy chứng nhận hoạt động cho văn phòng đại diện, chi "
        "nhánh của tổ chức khoa học và công nghệ",
        F_KHCN,
        10,
        weight=0.3,
    ),
    ProcedureSpec(
        "1.014445",
        "Cấp Giấy chứng nhận doanh nghiệp khoa học và công nghệ",
        F_KHCN,
        15,
        10,
        result="Giấy chứng nhận doanh nghiệp khoa học và công nghệ",
    ),
    ProcedureSpec(
        "1.014446",
        "Cấp thay đổi nội dung, cấp lại Giấy chứng nhận doanh nghiệp khoa học và công nghệ",
        F_KHCN,
        10,
        weight=0.4,
    ),
    ProcedureSpec(
        "1.014459",
        "Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ sử dụng ngân sách nhà nước",
        F_KHCN,
        10,
        5,
        weight=3,
        result="Giấy chứng nhận đăng ký kết quả thực hiện nhiệm vụ KH&CN",
    ),
    ProcedureSpec(
        "1.014460",
        "Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ không sử dụng ngân sách nhà nước",
        F_KHCN,
        10,
        5,
        weight=1.5,
    ),
    ProcedureSpec(
        "1.014444",
        "Đánh giá đồng thời thẩm định kết quả thực hiện nhiệm vụ khoa học và công nghệ không sử "
        "dụng ngân sách nhà nước",
        F_KHCN,
        30,
        online="partial",
        link="same_level",
        weight=0.3,
    ),
    ProcedureSpec(
        "1.003562",
        "Tuyển chọn, giao trực tiếp tổ chức, cá nhân thực hiện nhiệm vụ khoa học và công nghệ cấp "
        "tỉnh sử dụng ngân sách nhà nước",
        F_KHCN,
        30,
        online="partial",
        link="same_level",
        weight=1.5,
    ),
    ProcedureSpec(
        "1.003570",
        "Đánh giá, nghiệm thu và công nhận kết quả thực hiện nhiệm vụ khoa học và công nghệ cấp "
        "tỉnh sử dụng ngân sách nhà nước",
        F_KHCN,
        30,
        online="partial",
        link="same_level",
        weight=1.5,
    ),
    ProcedureSpec("1.014431", "Công nhận trung tâm hỗ trợ khởi nghiệp đổi mới sáng tạo", F_KHCN, 20, 15, weight=0.2),
    ProcedureSpec("1.014435", "Công nhận doanh nghiệp khởi nghiệp sáng tạo", F_KHCN, 15, weight=0.6),
    ProcedureSpec(
        "1.014452",
        "Hỗ trợ lãi suất vay vốn thực hiện dự án đổi mới sáng tạo, ứng dụng và chuyển giao công nghệ",
        F_KHCN,
        20,
        online="partial",
        link="same_level",
        weight=0.3,
    ),
    ProcedureSpec(
        "1.014383",
        "Xét tặng Giải thưởng khoa học và công nghệ tỉnh Quảng Trị",
        F_KHCN,
        30,
        link="same_level",
        weight=0.3,
    ),
    ProcedureSpec(
        "1.014393",
        "Công nhận trung tâm nghiên cứu và phát triển, cơ sở ươm tạo công nghệ, ươm tạo doanh "
        "nghiệp khoa học và công nghệ",
        F_KHCN,
        20,
        weight=0.2,
    ),
    ProcedureSpec(
        "2.001144",
        "Giao quyền sở hữu, quyền sử dụng kết quả nghiên cứu khoa học và phát triển công nghệ sử "
        "dụng ngân sách nhà nước",
        F_KHCN,
        15,
        link="same_level",
        weight=0.4,
    ),
    ProcedureSpec("1.008392", "Công nhận sáng kiến có phạm vi ảnh hưởng cấp tỉnh", F_KHCN, 30, 20, weight=1),
    # Sở hữu trí tuệ
    ProcedureSpec(
        "2.001500",
        "Cấp Giấy chứng nhận tổ chức đủ điều kiện hoạt động giám định sở hữu công nghiệp",
        F_SHTT,
        30,
        20,
        weight=0.1,
    ),
    ProcedureSpec(
        "2.001501",
        "Cấp lại Giấy chứng nhận tổ chức đủ điều kiện hoạt động giám định sở hữu công nghiệp",
        F_SHTT,
        10,
        weight=0.1,
    ),
    ProcedureSpec(
        "1.008384",
        "Xét chọn dự án thuộc Chương trình hỗ trợ phát triển tài sản trí tuệ tỉnh Quảng Trị",
        F_SHTT,
        30,
        online="partial",
        link="same_level",
        weight=0.5,
    ),
    ProcedureSpec(
        "1.008385",
        "Hỗ trợ kinh phí đăng ký bảo hộ quyền sở hữu công nghiệp cho tổ chức, cá nhân trên địa bàn tỉnh",
        F_SHTT,
        15,
        10,
        weight=1,
    ),
    # Tiêu chuẩn đo lường chất lượng
    ProcedureSpec(
        "1.000081",
        "Đăng ký công bố hợp chuẩn dựa trên kết quả chứng nhận hợp chuẩn của tổ chức chứng nhận",
        F_TDC,
        5,
        weight=5,
        result="Thông báo tiếp nhận hồ sơ công bố hợp chuẩn",
    ),
    ProcedureSpec(
        "1.000084",
        "Đăng ký công bố hợp chuẩn dựa trên kết quả tự đánh giá của tổ chức, cá nhân sản xuất, kinh doanh",
        F_TDC,
        5,
        weight=3,
        result="Thông báo tiếp nhận hồ sơ công bố hợp chuẩn",
    ),
    ProcedureSpec(
        "1.000047",
        "Đăng ký công bố hợp quy đối với các sản phẩm, hàng hóa sản xuất trong nước, dịch vụ, quá "
        "trình, môi trường được quản lý bởi các quy chuẩn kỹ thuật địa phương",
        F_TDC,
        5,
        weight=2,
        result="Thông báo tiếp nhận hồ sơ công bố hợp quy",
    ),
    ProcedureSpec(
        "2.001268",
        "Kiểm tra nhà nước về chất lượng hàng hóa nhập khẩu thuộc trách nhiệm quản lý của Bộ Khoa học và Công nghệ",
        F_TDC,
        5,
        weight=6,
        result="Thông báo kết quả kiểm tra nhà nước về chất lượng hàng hóa nhập khẩu",
    ),
    ProcedureSpec(
        "2.001269",
        "Miễn giảm kiểm tra chất lượng hàng hóa nhập khẩu",
        F_TDC,
        5,
        weight=1.5,
        result="Văn bản xác nhận miễn kiểm tra chất lượng hàng hóa nhập khẩu",
    ),
    ProcedureSpec(
        "1.001234", "Đăng ký kiểm tra nhà nước về đo lường đối với phương tiện đo nhập khẩu", F_TDC, 5, weight=2
    ),
    ProcedureSpec(
        "1.001236",
        "Đăng ký kiểm tra nhà nước về đo lường đối với lượng của hàng đóng gói sẵn nhập khẩu",
        F_TDC,
        5,
        weight=1,
    ),
    ProcedureSpec(
        "2.001205",
        "Chứng nhận chuẩn đo lường để kiểm định, hiệu chuẩn, thử nghiệm phương tiện đo, chuẩn đo lường",
        F_TDC,
        10,
        online="partial",
        weight=0.8,
    ),
    ProcedureSpec(
        "2.001207",
        "Điều chỉnh nội dung của chứng chỉ chứng nhận chuẩn đo lường để kiểm định, hiệu chuẩn, thử "
        "nghiệm phương tiện đo, chuẩn đo lường",
        F_TDC,
        10,
        5,
        weight=0.3,
    ),
    ProcedureSpec(
        "2.001210",
        "Chứng nhận, cấp thẻ kiểm định viên đo lường",
        F_TDC,
        10,
        person=True,
        weight=0.8,
        result="Thẻ kiểm định viên đo lường",
    ),
    ProcedureSpec(
        "2.001211",
        "Điều chỉnh nội dung của chứng chỉ, cấp lại thẻ kiểm định viên đo lường",
        F_TDC,
        5,
        person=True,
        weight=0.3,
    ),
    ProcedureSpec(
        "1.004460",
        "Đăng ký tham dự sơ tuyển, xét tặng Giải thưởng Chất lượng quốc gia",
        F_TDC,
        30,
        link="cross_level",
        weight=0.3,
    ),
    ProcedureSpec(
        "1.004471",
        "Hỗ trợ doanh nghiệp xây dựng và áp dụng hệ thống quản lý tiên tiến",
        F_TDC,
        20,
        15,
        online="partial",
        link="same_level",
        weight=0.6,
    ),
    ProcedureSpec(
        "1.000416",
        "Chỉ định tổ chức đánh giá sự phù hợp hoạt động thử nghiệm, giám định, kiểm định, chứng "
        "nhận đối với sản phẩm, hàng hóa thuộc quy chuẩn kỹ thuật địa phương",
        F_TDC,
        15,
        10,
        weight=0.2,
    ),
    ProcedureSpec(
        "1.000417",
        "Cấp lại quyết định chỉ định tổ chức đánh giá sự phù hợp đối với sản phẩm, hàng hóa thuộc "
        "quy chuẩn kỹ thuật địa phương",
        F_TDC,
        5,
        weight=0.1,
    ),
    ProcedureSpec(
        "1.004472",
        "Xét tặng Giải thưởng chất lượng sản phẩm, hàng hóa tỉnh Quảng Trị",
        F_TDC,
        30,
        link="same_level",
        weight=0.3,
    ),
    # Năng lượng nguyên tử, an toàn bức xạ và hạt nhân
    ProcedureSpec(
        "1.004444",
        f"Cấp giấy phép tiến hành công việc bức xạ - {_X}",
        F_NLNT,
        15,
        10,
        weight=7,
        result="Giấy phép tiến hành công việc bức xạ",
        fees="Phí thẩm định: 2.000.000 đồng/thiết bị",
    ),
    ProcedureSpec(
        "1.004445",
        f"Gia hạn giấy phép tiến hành công việc bức xạ - {_X}",
        F_NLNT,
        15,
        10,
        weight=5,
        result="Giấy phép tiến hành công việc bức xạ",
        fees="Phí thẩm định: 1.000.000 đồng/thiết bị",
    ),
    ProcedureSpec(
        "1.004446",
        f"Sửa đổi, bổ sung giấy phép tiến hành công việc bức xạ - {_X}",
        F_NLNT,
        10,
        5,
        weight=1.5,
        result="Giấy phép tiến hành công việc bức xạ",
    ),
    ProcedureSpec(
        "1.004447",
        f"Cấp lại giấy phép tiến hành công việc bức xạ - {_X}",
        F_NLNT,
        10,
        5,
        weight=0.5,
        result="Giấy phép tiến hành công việc bức xạ",
    ),
    ProcedureSpec(
        "1.004448",
        "Cấp chứng chỉ nhân viên bức xạ (người phụ trách an toàn cơ sở X-quang chẩn đoán trong y tế)",
        F_NLNT,
        15,
        person=True,
        weight=4,
        result="Chứng chỉ nhân viên bức xạ",
        changes=(
            (
                dt.date(2023, 3, 15),
                {"reduced": 10},
                "Quyết định 512/QĐ-UBND ngày 06/3/2023 về phương án cắt giảm thời hạn giải quyết",
            ),
        ),
    ),
    ProcedureSpec(
        "1.004449",
        "Cấp lại chứng chỉ nhân viên bức xạ (người phụ trách an toàn cơ sở X-quang chẩn đoán trong y tế)",
        F_NLNT,
        5,
        person=True,
        weight=1,
        result="Chứng chỉ nhân viên bức xạ",
    ),
    ProcedureSpec(
        "1.004450",
        "Phê duyệt kế hoạch ứng phó sự cố bức xạ cấp cơ sở (đối với công việc sử dụng thiết bị "
        "X-quang chẩn đoán trong y tế)",
        F_NLNT,
        15,
        link="same_level",
        weight=1.5,
    ),
    ProcedureSpec(
        "1.004451",
        "Khai báo thiết bị X-quang chẩn đoán trong y tế",
        F_NLNT,
        5,
        weight=2,
        result="Giấy xác nhận khai báo thiết bị X-quang",
    ),
    # Chuyển giao công nghệ
    ProcedureSpec(
        "1.005029",
        "Cấp Giấy chứng nhận đăng ký chuyển giao công nghệ (trừ những trường hợp thuộc thẩm quyền "
        "của Bộ Khoa học và Công nghệ)",
        F_CGCN,
        15,
        online="partial",
        link="same_level",
        weight=1,
        result="Giấy chứng nhận đăng ký chuyển giao công nghệ",
        changes=(
            (
                dt.date(2023, 7, 1),
                {"online": "full"},
                "Quyết định 1289/QĐ-UBND ngày 15/6/2023 phê duyệt danh mục dịch vụ công trực tuyến toàn trình",
            ),
        ),
    ),
    ProcedureSpec(
        "1.005030",
        "Cấp Giấy chứng nhận đăng ký gia hạn, sửa đổi, bổ sung nội dung chuyển giao công nghệ (trừ "
        "những trường hợp thuộc thẩm quyền của Bộ Khoa học và Công nghệ)",
        F_CGCN,
        10,
        weight=0.4,
    ),
    ProcedureSpec(
        "1.005031",
        "Thẩm định hoặc có ý kiến về công nghệ dự án đầu tư trong giai đoạn quyết định chủ trương đầu tư",
        F_CGCN,
        15,
        online="none",
        link="same_level",
        weight=0.8,
    ),
    ProcedureSpec(
        "1.005032",
        "Thẩm định hoặc có ý kiến về công nghệ dự án đầu tư trong giai đoạn thực hiện dự án đầu tư",
        F_CGCN,
        15,
        online="none",
        link="same_level",
        weight=0.4,
    ),
    ProcedureSpec(
        "1.005033",
        "Hỗ trợ kinh phí mua công nghệ được tạo ra từ kết quả nghiên cứu khoa học và phát triển công nghệ",
        F_CGCN,
        20,
        online="partial",
        weight=0.2,
    ),
    # Thông tin và thống kê khoa học và công nghệ
    ProcedureSpec(
        "1.003012", "Cung cấp thông tin và dữ liệu thống kê khoa học và công nghệ theo yêu cầu", F_TTTK, 5, weight=0.8
    ),
    ProcedureSpec(
        "1.003015",
        "Cấp quyền truy cập cơ sở dữ liệu quốc gia về khoa học và công nghệ cho tổ chức, cá nhân",
        F_TTTK,
        5,
        online="none",
        weight=0.3,
    ),
    ProcedureSpec(
        "1.003018",
        "Cập nhật thông tin nhiệm vụ khoa học và công nghệ đang tiến hành vào cơ sở dữ liệu quốc gia",
        F_TTTK,
        5,
        weight=0.5,
    ),
    # Abolished in 2024: dossiers of 2024 still point at it, a 2024 report still finds it.
    ProcedureSpec(
        "2.002278",
        "Cấp Giấy xác nhận đăng ký lĩnh vực hoạt động xét tặng giải thưởng chất lượng sản phẩm, "
        "hàng hóa của tổ chức, cá nhân",
        F_TDC,
        7,
        online="partial",
        weight=0.5,
        abolished_on=dt.date(2024, 7, 1),
        abolition="Quyết định 1402/QĐ-UBND ngày 20/6/2024 công bố danh mục TTHC bị bãi bỏ",
    ),
)

SNV_PROCEDURES: tuple[ProcedureSpec, ...] = (
    ProcedureSpec(
        "1.005384",
        "Thẩm định thành lập đơn vị sự nghiệp công lập",
        F_TCBM,
        20,
        online="partial",
        link="same_level",
        weight=1,
    ),
    ProcedureSpec(
        "1.005385",
        "Thẩm định giải thể đơn vị sự nghiệp công lập",
        F_TCBM,
        20,
        online="partial",
        link="same_level",
        weight=0.4,
    ),
    ProcedureSpec("1.003918", "Công nhận ban vận động thành lập hội", F_HOI, 30, 20, weight=1),
    ProcedureSpec("1.003900", "Phê duyệt điều lệ hội", F_HOI, 30, 20, weight=2),
    ProcedureSpec("1.003879", "Đổi tên hội", F_HOI, 30, weight=0.5),
    ProcedureSpec(
        "1.003822",
        "Cấp giấy phép thành lập và công nhận điều lệ quỹ",
        F_HOI,
        30,
        online="partial",
        link="same_level",
        weight=0.4,
    ),
    ProcedureSpec(
        "1.000775",
        "Tặng Bằng khen của Chủ tịch Ủy ban nhân dân cấp tỉnh",
        F_TDKT,
        20,
        online="partial",
        link="same_level",
        weight=4,
    ),
    ProcedureSpec("1.000780", "Tặng danh hiệu Tập thể lao động xuất sắc", F_TDKT, 20, online="partial", weight=1.5),
)

STP_PROCEDURES: tuple[ProcedureSpec, ...] = (
    ProcedureSpec(
        "2.001417",
        "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam",
        F_LLTP,
        10,
        link="same_level",
        person=True,
        weight=10,
        result="Phiếu lý lịch tư pháp",
        fees="Phí: 200.000 đồng/lần",
    ),
    ProcedureSpec(
        "2.001418",
        "Cấp Phiếu lý lịch tư pháp cho cơ quan nhà nước, cơ quan tiến hành tố tụng",
        F_LLTP,
        10,
        link="same_level",
        weight=1.5,
        result="Phiếu lý lịch tư pháp",
    ),
    ProcedureSpec("1.001877", "Đăng ký hành nghề và cấp Thẻ công chứng viên", F_CC, 10, person=True, weight=0.8),
    ProcedureSpec("1.001756", "Thành lập Văn phòng công chứng", F_CC, 20, online="partial", weight=0.3),
    ProcedureSpec("1.001665", "Đăng ký hoạt động Văn phòng công chứng", F_CC, 10, weight=0.3),
    ProcedureSpec("1.001815", "Đăng ký hoạt động của doanh nghiệp đấu giá tài sản", F_DG, 10, 7, weight=0.3),
)

PROCEDURES: dict[str, tuple[ProcedureSpec, ...]] = {
    "SKHCN": SKHCN_PROCEDURES,
    "SNV": SNV_PROCEDURES,
    "STP": STP_PROCEDURES,
}

# The dossiers start here: the Q1/2023 report (Nghị định 09/2019: 15/12/2022 - 14/03/2023) then has dossiers carried
# over from the previous period, and the 2023 plans and reports of the demo have their year of dossiers.
DOSSIERS_FROM = dt.date(2022, 12, 1)
# Volume of a year relative to the agencies' dossiers_per_quarter: the Bà Rịa - Vũng Tàu sample's Sở KH&CN received
# 88 dossiers in Q1/2023; the volumes grew afterwards.
YEAR_FACTOR = {2023: 0.9}
# Agencies with no late dossier among those received up to this day (the sample's Q1/2023: "không có hồ sơ trễ hạn").
ON_TIME_UNTIL = {"SKHCN": dt.date(2023, 3, 14)}

# A local day off decided by the province (applied before any dossier, it moves the due dates around it).
CALENDAR_OVERRIDE = {
    "date": dt.date(2024, 7, 1),
    "name": "Nghỉ kỷ niệm 35 năm Ngày tái lập tỉnh Quảng Trị (01/7/1989 - 01/7/2024)",
    "decision": "Thông báo 215/TB-UBND ngày 21/6/2024 của UBND tỉnh Quảng Trị (dữ liệu minh họa)",
}

# Applicants.
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý")
MIDDLE_NAMES = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Thị Thu", "Ngọc", "Quang", "Thanh", "Xuân", "Thị Kim")
GIVEN_NAMES = (
    "An",
    "Bình",
    "Châu",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hiếu",
    "Hòa",
    "Hùng",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phong",
    "Phương",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tuấn",
    "Vân",
    "Việt",
    "Yến",
)
ORGANISATIONS = (
    "Công ty TNHH Thiết bị y tế Đông Hà",
    "Phòng khám đa khoa Thiện Tâm",
    "Bệnh viện đa khoa khu vực Triệu Hải",
    "Trung tâm Y tế huyện Hải Lăng",
    "Phòng khám nha khoa Nụ Cười Việt",
    "Công ty cổ phần Nông sản Cam Lộ",
    "Công ty TNHH Xuất nhập khẩu Lao Bảo",
    "Công ty cổ phần Cà phê Khe Sanh",
    "Hợp tác xã Hồ tiêu Vĩnh Linh",
    "Công ty TNHH Công nghệ Quảng Trị Xanh",
    "Viện Nghiên cứu Phát triển Miền Trung",
    "Trường Đại học Đông Hà",
    "Công ty cổ phần Xây dựng Thành Cổ",
    "Công ty TNHH Thép Cửa Việt",
    "Công ty cổ phần Điện gió Hướng Linh",
    "Hợp tác xã Dược liệu Đakrông",
    "Công ty TNHH Thương mại Gio Linh",
    "Bệnh viện Quốc tế Hiền Lương",
    "Phòng khám đa khoa Hòa Bình",
    "Công ty cổ phần Gạch men Triệu Phong",
    "Công ty TNHH Khởi nghiệp Sáng tạo Cồn Cỏ",
    "Hội Nông dân tỉnh",
    "Quỹ Bảo trợ trẻ em tỉnh",
    "Hội Doanh nhân trẻ tỉnh",
    "Văn phòng công chứng Thành Cổ",
)
WARDS = (
    "phường Đông Hà",
    "phường Nam Đông Hà",
    "phường Quảng Trị",
    "xã Vĩnh Linh",
    "xã Gio Linh",
    "xã Cam Lộ",
    "xã Triệu Phong",
    "xã Hải Lăng",
    "xã Khe Sanh",
    "xã Lao Bảo",
    "xã Đakrông",
    "xã Cửa Việt",
)
STREETS = (
    "Hùng Vương",
    "Lê Duẩn",
    "Quốc lộ 9",
    "Trần Hưng Đạo",
    "Nguyễn Huệ",
    "Lý Thường Kiệt",
    "Hàm Nghi",
    "Điện Biên Phủ",
    "Trường Chinh",
    "Lê Lợi",
)

SUPPLEMENT_REASONS = (
    "Thiếu bản sao hợp lệ chứng chỉ nhân viên bức xạ của người phụ trách an toàn.",
    "Bản thuyết minh chưa đầy đủ thông tin về phạm vi hoạt động.",
    "Đề nghị bổ sung kết quả đánh giá sự phù hợp còn hiệu lực.",
    "Hồ sơ thiếu báo cáo đánh giá an toàn theo mẫu quy định.",
)
APOLOGY_REASON = "Hồ sơ cần xin ý kiến cơ quan phối hợp nên chưa kịp trả kết quả đúng hẹn."
REFUSAL_REASON = "Tổ chức chưa đáp ứng điều kiện theo quy định; Sở có văn bản trả lời nêu rõ lý do."
WITHDRAWAL_REASON = "Tổ chức đề nghị rút hồ sơ để hoàn thiện lại."


@dataclass
class Summary:
    """What a build created (zero everywhere on a second run)."""

    created: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, n: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + n
