"""The parts of the demo procedures: components, fees, result kind and internal process (idempotent).

Fictional but believable, in our own words: the papers an applicant brings depend on the field, the fees follow the
catalogue's free-text note (a fixed amount, or a rule when it is charged per device), and the internal process runs
desk -> officer of the competent unit -> head of unit -> the Sở leader who approves -> văn thư (number and seal) ->
desk, its shares scaled to fit the version's applied time. The "information and statistics" procedures are settled
by one unit in one step; a procedure with liên thông sends the dossier to the agency it is linked with.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from cchc.agencies.models import Agency, Role, Unit
from cchc.procedures.models import Component, Fee, FeeKind, InternalStep, Procedure, ResultKind, StepTimeUnit

from . import data
from .data import ProcedureSpec, Summary

PROCESS_DECISION = "Quyết định 1789/QĐ-UBND ngày 12/8/2023 của Chủ tịch UBND tỉnh (dữ liệu minh họa)"

# (name, originals, copies, mandatory, form name) by field; the request form comes first for every procedure.
_FIELD_PAPERS: dict[str, list[tuple[str, int, int, bool, str]]] = {
    data.F_KHCN: [
        ("Điều lệ tổ chức và hoạt động của tổ chức khoa học và công nghệ", 1, 0, True, ""),
        ("Bản sao quyết định thành lập tổ chức", 0, 1, True, ""),
        ("Danh sách nhân lực khoa học và công nghệ kèm bản sao văn bằng", 1, 1, True, "Mẫu số 03"),
        ("Giấy tờ chứng minh trụ sở làm việc", 0, 1, False, ""),
    ],
    data.F_SHTT: [
        ("Bản mô tả đối tượng đề nghị bảo hộ hoặc hỗ trợ", 1, 0, True, ""),
        ("Giấy ủy quyền (nếu nộp qua đại diện)", 1, 0, False, ""),
    ],
    data.F_TDC: [
        ("Hồ sơ kỹ thuật của phương tiện đo hoặc sản phẩm, hàng hóa", 1, 0, True, ""),
        ("Bản sao kết quả thử nghiệm, chứng nhận hợp quy còn hiệu lực", 0, 1, True, ""),
        ("Bản sao giấy chứng nhận đăng ký doanh nghiệp", 0, 1, False, ""),
    ],
    data.F_NLNT: [
        ("Phiếu khai báo thiết bị bức xạ", 1, 0, True, "Mẫu số 02"),
        ("Báo cáo đánh giá an toàn bức xạ", 1, 0, True, "Mẫu số 05"),
        ("Bản sao chứng chỉ nhân viên bức xạ của người phụ trách an toàn", 0, 1, True, ""),
        ("Bản sao kết quả kiểm định thiết bị còn hiệu lực", 0, 1, True, ""),
    ],
    data.F_CGCN: [
        ("Bản sao hợp đồng chuyển giao công nghệ có chữ ký, đóng dấu của các bên", 0, 1, True, ""),
        ("Danh mục máy móc, thiết bị kèm theo (nếu có)", 1, 0, False, ""),
    ],
    data.F_TTTK: [("Văn bản nêu rõ mục đích sử dụng thông tin", 1, 0, False, "")],
    data.F_TCBM: [
        ("Đề án thành lập, tổ chức lại hoặc giải thể đơn vị", 1, 0, True, ""),
        ("Dự thảo quyết định của cấp có thẩm quyền", 1, 0, True, ""),
        ("Văn bản thẩm định của cơ quan liên quan", 0, 1, False, ""),
    ],
    data.F_HOI: [
        ("Dự thảo điều lệ", 1, 0, True, ""),
        ("Danh sách những người trong ban vận động hoặc ban lãnh đạo", 1, 0, True, ""),
        ("Biên bản họp thông qua", 1, 0, True, ""),
    ],
    data.F_TDKT: [
        ("Tờ trình đề nghị khen thưởng", 1, 0, True, ""),
        ("Báo cáo thành tích có xác nhận của cấp trình khen", 1, 0, True, "Mẫu số 01 kèm Nghị định 98/2023/NĐ-CP"),
        ("Biên bản họp Hội đồng thi đua, khen thưởng", 0, 1, True, ""),
    ],
    data.F_LLTP: [
        ("Bản chụp căn cước công dân hoặc hộ chiếu của người được cấp phiếu", 0, 1, True, ""),
        ("Văn bản ủy quyền (khi ủy quyền làm thủ tục)", 1, 0, False, ""),
    ],
    data.F_CC: [
        ("Bản sao quyết định bổ nhiệm công chứng viên", 0, 1, True, ""),
        ("Giấy xác nhận về thời gian hành nghề", 1, 0, False, ""),
    ],
    data.F_DG: [
        ("Bản sao giấy đăng ký doanh nghiệp", 0, 1, True, ""),
        ("Danh sách đấu giá viên kèm chứng chỉ hành nghề", 1, 1, True, ""),
    ],
}

# Fixed fees by field (procedures whose catalogue note says nothing): kind, name, amount, legal basis.
_FIELD_FEES: dict[str, tuple[str, str, int, str]] = {
    data.F_SHTT: (FeeKind.CHARGE, "Lệ phí cấp văn bằng", 120_000, "Thông tư 263/2016/TT-BTC (dữ liệu minh họa)"),
    data.F_TDC: (
        FeeKind.FEE,
        "Phí thẩm định điều kiện hoạt động",
        1_500_000,
        "Thông tư 183/2016/TT-BTC (dữ liệu minh họa)",
    ),
    data.F_CC: (
        FeeKind.CHARGE,
        "Lệ phí cấp thẻ công chứng viên",
        100_000,
        "Thông tư 257/2016/TT-BTC (dữ liệu minh họa)",
    ),
    data.F_DG: (
        FeeKind.FEE,
        "Phí thẩm định điều kiện hoạt động",
        1_000_000,
        "Thông tư 106/2017/TT-BTC (dữ liệu minh họa)",
    ),
}
# The agency a linked (liên thông) procedure consults: a cchc agency code, or the name of one outside cchc.
_LINKED: dict[str, tuple[str | None, str]] = {
    data.F_TCBM: ("UBND", ""),
    data.F_HOI: ("UBND", ""),
    data.F_TDKT: (None, "Ban Thi đua - Khen thưởng tỉnh"),
    data.F_LLTP: (None, "Công an tỉnh Quảng Trị"),
    data.F_NLNT: (None, "Sở Y tế tỉnh Quảng Trị"),
}
_AMOUNT = re.compile(r"(\d{1,3}(?:\.\d{3})+)\s*đồng")


def _result_kind(name: str) -> str:
    folded = name.lower()
    if "giấy phép" in folded:
        return ResultKind.LICENCE
    if "giấy chứng nhận" in folded or "chứng chỉ" in folded or "thẻ" in folded:
        return ResultKind.CERTIFICATE
    if any(word in folded for word in ("thẩm định", "phê duyệt", "công nhận", "tặng", "thành lập", "đổi tên")):
        return ResultKind.DECISION
    return ResultKind.DOCUMENT


def _components(procedure: Procedure, spec: ProcedureSpec) -> list[Component]:
    request = (f"Đơn đề nghị {spec.name[:1].lower()}{spec.name[1:]}", 1, 0, True, "Mẫu số 01")
    papers = [request, *_FIELD_PAPERS.get(spec.field, [])][:5]
    if len(papers) < 2:
        papers.append(("Giấy tờ chứng minh tư cách pháp lý của người nộp", 0, 1, True, ""))
    return [
        Component(
            procedure=procedure,
            position=i,
            name=name,
            originals=originals,
            copies=copies,
            mandatory=mandatory,
            form_name=form,
        )
        for i, (name, originals, copies, mandatory, form) in enumerate(papers, start=1)
    ]


def _fees(procedure: Procedure, spec: ProcedureSpec) -> list[Fee]:
    note = spec.fees or ""
    found = _AMOUNT.search(note)
    if found and "thiết bị" in note:
        # Charged per device: the amount depends on the dossier, so the catalogue states the rule.
        return [
            Fee(
                procedure=procedure,
                position=1,
                kind=FeeKind.FEE,
                name="Phí thẩm định cấp giấy phép",
                rule=f"{found.group(1)} đồng cho mỗi thiết bị ghi trong hồ sơ",
                legal_basis="Thông tư 287/2016/TT-BTC (dữ liệu minh họa)",
            )
        ]
    if found:
        amount = int(found.group(1).replace(".", ""))
        return [
            Fee(
                procedure=procedure,
                position=1,
                kind=FeeKind.FEE,
                name="Phí cung cấp thông tin",
                amount=Decimal(amount),
                legal_basis="Thông tư 244/2016/TT-BTC (dữ liệu minh họa)",
            )
        ]
    if spec.field in _FIELD_FEES:
        kind, name, amount, basis = _FIELD_FEES[spec.field]
        return [Fee(procedure=procedure, position=1, kind=kind, name=name, amount=Decimal(amount), legal_basis=basis)]
    return []  # free of charge


def _steps(
    procedure: Procedure, spec: ProcedureSpec, agency_code: str, units: dict, agencies: dict[str, Agency]
) -> list[InternalStep]:
    time = Decimal(procedure.applied_processing_time)
    unit_code = data.FIELD_UNITS.get(spec.field)
    handling = units.get((agency_code, unit_code)) or units.get((agency_code, "VP"))
    desk, office = units.get((agency_code, "MC")), units.get((agency_code, "VP"))
    if spec.field == data.F_TTTK or time < 4:
        return [
            InternalStep(
                procedure=procedure,
                position=1,
                name="Tiếp nhận, xử lý và trả kết quả",
                role=Role.OFFICER,
                unit=handling,
                duration=time,
                is_approval=True,
            )
        ]
    half = Decimal("0.5")
    plan: list[dict[str, Any]] = [
        {
            "name": "Tiếp nhận, kiểm tra và chuyển hồ sơ",
            "role": Role.ONE_STOP,
            "unit": desk,
            "duration": Decimal(4),
            "duration_unit": StepTimeUnit.WORKING_HOURS,
        },
        {"name": "Thẩm định hồ sơ, dự thảo kết quả", "role": Role.OFFICER, "unit": handling, "duration": None},
        {"name": "Lãnh đạo phòng xem xét, trình ký", "role": Role.LEADER, "unit": handling, "duration": half},
        {
            "name": "Lãnh đạo Sở phê duyệt, ký kết quả",
            "role": Role.LEADER,
            "unit": None,
            "duration": Decimal(1),
            "is_approval": True,
        },
        {
            "name": "Văn thư vào số, đóng dấu, chuyển bộ phận một cửa",
            "role": Role.OFFICER,
            "unit": office,
            "duration": Decimal(2),
            "duration_unit": StepTimeUnit.WORKING_HOURS,
        },
        {"name": "Trả kết quả cho người nộp", "role": Role.ONE_STOP, "unit": desk, "duration": Decimal(0)},
    ]
    linked = _LINKED.get(spec.field) if spec.link != "none" else None
    if linked:
        code, outside = linked
        # Six steps at most: the head of unit's review is folded into the appraisal when a consultation is added.
        plan.pop(2)
        plan.insert(
            2,
            {
                "name": "Lấy ý kiến cơ quan liên thông",
                "role": Role.OFFICER,
                "unit": None,
                "duration": None,
                "external_agency": agencies.get(code) if code else None,
                "external_name": outside,
            },
        )
    fixed = sum(
        (
            s["duration"] / (8 if s.get("duration_unit") == StepTimeUnit.WORKING_HOURS else 1)
            for s in plan
            if s["duration"] is not None
        ),
        Decimal(0),
    )
    open_steps = [s for s in plan if s["duration"] is None]
    # The appraisal (and the consultation) share what the fixed steps leave, in whole or half days.
    left = max(time - fixed, Decimal(0))
    for s in open_steps:
        s["duration"] = (left / len(open_steps) * 2).to_integral_value(rounding="ROUND_FLOOR") / 2
    return [InternalStep(procedure=procedure, position=i, **s) for i, s in enumerate(plan, start=1)]


def build_parts(
    agencies: dict[str, Agency],
    units: dict[tuple[str, str], Unit],
    procedures: dict[str, list[Procedure]],
    specs: dict[tuple[str, str], ProcedureSpec],
    summary: Summary,
) -> None:
    """Components, fees, result kind and internal process of every demo procedure version that has none yet."""
    versions = [p for rows in procedures.values() for p in rows]

    def having(model) -> set[int]:
        return set(model.objects.filter(procedure__in=versions).values_list("procedure_id", flat=True).distinct())

    # Each part on its own: a version may have one part and not another (an older demo, or an officer's edit).
    with_components, with_fees, with_steps = having(Component), having(Fee), having(InternalStep)
    components, fees, steps = [], [], []
    for agency_code, rows in procedures.items():
        for procedure in rows:
            if procedure.pk in with_components and procedure.pk in with_fees and procedure.pk in with_steps:
                continue
            spec = specs[(agency_code, procedure.code)]
            if procedure.pk not in with_components:
                components += _components(procedure, spec)
            if procedure.pk not in with_fees:
                fees += _fees(procedure, spec)
            if procedure.pk not in with_steps:
                steps += _steps(procedure, spec, agency_code, units, agencies)
            Procedure.objects.filter(pk=procedure.pk).update(
                result_kind=_result_kind(spec.name), internal_process_decision=PROCESS_DECISION
            )
            procedure.result_kind, procedure.internal_process_decision = _result_kind(spec.name), PROCESS_DECISION
    Component.objects.bulk_create(components)
    Fee.objects.bulk_create(fees)
    InternalStep.objects.bulk_create(steps)
    for what, items in (("thành phần hồ sơ", components), ("phí, lệ phí", fees), ("bước quy trình nội bộ", steps)):
        if items:
            summary.add(what, len(items))
