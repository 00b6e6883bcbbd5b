"""Deadlines and a late report in the demo: the Sở Nội vụ and the ministry get cchc's default deadlines (02 working
days after the Nghị định 09/2019 cut-off), and the Sở Tư pháp's report of Q1/2023, dated 28/04/2023, is imported by
the Sở Nội vụ: the roll-up of Q1/2023 shows it sent 43 days after its deadline (16/03/2023), and the Sở KH&CN (its
report is still a draft) and UBND tỉnh as not sent, overdue.

Run after the dossiers: nothing here freezes a report. Idempotent: a second build creates nothing.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from cchc.agencies.models import Agency
from cchc.aggregation import deadlines, imports
from cchc.aggregation.models import ImportStatus, Submission

from .data import Summary

# The Sở Tư pháp's quarterly report as the Sở Nội vụ received it on paper (written for the demo, figures invented).
LATE_REPORT_NAME = "stp-bao-cao-cchc-quy-1-2023.txt"
LATE_REPORT = """UBND TỈNH QUẢNG TRỊ
SỞ TƯ PHÁP
Số: 41/BC-STP
Quảng Trị, ngày 28 tháng 4 năm 2023
BÁO CÁO
Kết quả thực hiện công tác cải cách hành chính quý I năm 2023
Thực hiện Kế hoạch cải cách hành chính năm 2023 của UBND tỉnh, Sở Tư pháp báo cáo kết quả quý I năm 2023 như sau.
Trong quý I năm 2023, Sở tiếp nhận 152 hồ sơ thủ tục hành chính, đã giải quyết 140 hồ sơ, trong đó trước hạn và
đúng hạn 138 hồ sơ, quá hạn 02 hồ sơ; đang giải quyết 12 hồ sơ.
Báo cáo gửi chậm do Sở tổng hợp số liệu lý lịch tư pháp của các huyện sau ngày chốt số liệu.
"""
PERIOD = "2023-Q1"


def build_deadlines(agencies: dict[str, Agency], summary: Summary) -> None:
    """Default deadlines for the demo's aggregators and the Sở Tư pháp's late report (see the module)."""
    from .ministry import MINISTRY_CODE

    home_affairs = agencies["SNV"]
    with transaction.atomic():
        for aggregator in (home_affairs, Agency.objects.filter(code=MINISTRY_CODE, province=None).first()):
            if aggregator is None:
                continue
            created = deadlines.install_defaults(aggregator, None)
            if created:
                summary.add("hạn gửi báo cáo", len(created))
        justice = agencies["STP"]
        if Submission.objects.filter(agency=justice, period_key=PERIOD).exists():
            return
        actor = get_user_model().objects.get(username="snv.tonghop")
        staged = imports.stage_file(justice, LATE_REPORT.encode(), actor, filename=LATE_REPORT_NAME)
        if staged.status == ImportStatus.PENDING:
            imports.confirm(staged, {"period": PERIOD, "tasks": False, "aggregator": home_affairs}, actor)
            summary.add("báo cáo đã nhập")
