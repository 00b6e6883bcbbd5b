"""Fixtures of the PAR Index app: a province with its Sở Nội vụ (the aggregator), the Sở KH&CN and the Sở Tư pháp with
their people, a small framework built here (every number chosen so totals can be checked by hand), and evaluators
registered for the test (the real ones are cchc.parindex.evidence's; these read a dict the test changes)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

D = Decimal


@pytest.fixture
def province_world(db, make_user):
    from cchc.agencies.models import Agency, Province

    province = Province.objects.create(code="H45", name="Quảng Trị")
    other = Province.objects.create(code="H06", name="Cao Bằng")
    home = Agency.objects.create(province=province, code="SNV", name="Sở Nội vụ")
    science = Agency.objects.create(province=province, code="SKHCN", name="Sở Khoa học và Công nghệ",
                                    parent_authority_name="UBND TỈNH QUẢNG TRỊ")  # fmt: skip
    justice = Agency.objects.create(province=province, code="STP", name="Sở Tư pháp")
    foreign = Agency.objects.create(province=other, code="SKHCN", name="Sở Khoa học và Công nghệ Cao Bằng")
    foreign_home = Agency.objects.create(province=other, code="SNV", name="Sở Nội vụ Cao Bằng")
    users = {
        "lead": make_user("snv.tonghop", home, "aggregator"),
        "admin": make_user("skhcn.admin", science, "admin"),
        "leader": make_user("skhcn.lanhdao", science, "leader"),
        "officer": make_user("skhcn.chuyenvien", science, "officer"),
        "officer2": make_user("skhcn.chuyenvien2", science, "officer"),
        "viewer": make_user("skhcn.xem", science, "viewer"),
        "justice": make_user("stp.chuyenvien", justice, "officer"),
        "foreign": make_user("cb.skhcn", foreign, "admin"),
        "foreign_lead": make_user("cb.snv", foreign_home, "aggregator"),
    }
    return {"province": province, "other": other, "home": home, "science": science, "justice": justice,
            "foreign": foreign, "users": users}  # fmt: skip


@pytest.fixture
def measured(monkeypatch):
    """Two evaluators for the tests: "test_plan" (date of a plan, due 31/12 of the year before) and "test_ratio"
    (a ratio), reading `data`; data_version is data["version"]."""
    from cchc.parindex import evidence

    data = {"plan": dt.date(2022, 12, 30), "ratio": D("0.979"), "version": "v1"}

    def plan(agency, year, params):
        day = data["plan"]
        return evidence.Measurement(
            kind="date", value=day, deadline=dt.date(year - 1, 12, 31),
            figures=(("Ngày ban hành", f"{day:%d/%m/%Y}" if day else "—"),),
            sources=(evidence.SourceRef("Kế hoạch số 64/KH-SKHCN ngày 30/12/2022", "/ke-hoach/1/", "plans.plan", 1),),
            explanation=f"Kế hoạch CCHC năm {year} ban hành ngày {day:%d/%m/%Y}." if day else "",
        )  # fmt: skip

    def ratio(agency, year, params):
        value = data["ratio"]
        return evidence.Measurement(kind="ratio", value=value, figures=(("Tỷ lệ đúng hạn", f"{value * 100} %"),),
                                    sources=(evidence.SourceRef("Biểu 06 năm 2023"),))  # fmt: skip

    monkeypatch.setitem(
        evidence.REGISTRY, "test_plan", evidence.Evaluator("test_plan", "Kế hoạch ban hành đúng hạn", "date", {}, plan)
    )
    monkeypatch.setitem(evidence.REGISTRY, "test_ratio",
                        evidence.Evaluator("test_ratio", "Tỷ lệ hồ sơ đúng hạn", "ratio", {}, ratio))  # fmt: skip
    monkeypatch.setattr(evidence, "data_version", lambda agency, year: data["version"])
    return data


def build_tiny(province, actor=None, year: int = 2023):
    """1 (3) = 1.1 (2, on a deadline, late 1, from test_plan) + 1.2 (1, manual); 2 (4, Sở Tư pháp) = 2.1 (4, tiers
    100 %: 4, 95 %: 3, 80 %: 2, from test_ratio); 8 (3, survey) = 8.1 (3); bonus T (cap 1) = T.1 (1), T.2 (1);
    penalty TR (cap 1) = TR.1 (1). Maximum 10. Tiers Tốt 85, Khá 70, Trung bình 50, Yếu 0."""
    from cchc.parindex.models import AppraiserRole, Framework, Item, RuleKind, Section, Tier

    framework = Framework.objects.create(
        province=province,
        year=year,
        name=f"Bộ tiêu chí thử nghiệm năm {year}",
        decision_number="123/QĐ-UBND",
        decision_date=dt.date(year, 1, 10),
    )

    def item(code, title, maximum, parent=None, **extra):  # noqa: E306
        order = Item.objects.filter(framework=framework, parent=parent).count() + 1
        section = parent.section if parent else extra.pop("section", Section.SCORED)
        return Item.objects.create(
            framework=framework,
            parent=parent,
            code=code,
            title=title,
            max_points=D(maximum),
            order=order,
            section=section,
            **extra,
        )

    one = item("1", "Công tác chỉ đạo, điều hành", "3")
    item(
        "1.1",
        "Ban hành kế hoạch CCHC đúng hạn",
        "2",
        one,
        rule=RuleKind.DEADLINE,
        rule_params={"late_points": "1"},
        evaluator="test_plan",
        evidence_required="Kế hoạch CCHC năm.",
    )
    item("1.2", "Kiểm tra CCHC", "1", one, rule=RuleKind.MANUAL)
    two = item("2", "Cải cách thể chế", "4", appraiser_role=AppraiserRole.JUSTICE)
    item(
        "2.1",
        "Hồ sơ giải quyết đúng hạn",
        "4",
        two,
        rule=RuleKind.TIERS,
        evaluator="test_ratio",
        rule_params={"tiers": [["1", "4"], ["0.95", "3"], ["0.8", "2"]]},
        appraiser_role=AppraiserRole.JUSTICE,
    )
    survey = item("8", "Tác động đến người dân", "3", section=Section.SURVEY)
    item("8.1", "Sự hài lòng", "3", survey)
    bonus = item("T", "Điểm thưởng", "1", section=Section.BONUS)
    item("T.1", "Sáng kiến", "1", bonus)
    item("T.2", "Khen thưởng", "1", bonus)
    penalty = item("TR", "Điểm trừ", "1", section=Section.PENALTY)
    item("TR.1", "Chậm báo cáo", "1", penalty)
    for order, (name, threshold) in enumerate([("Tốt", 85), ("Khá", 70), ("Trung bình", 50), ("Yếu", 0)], 1):
        Tier.objects.create(framework=framework, name=name, min_index=D(threshold), order=order)
    return framework


@pytest.fixture
def tiny(province_world):
    from cchc.parindex.models import AppraiserRole, FrameworkAppraiser

    framework = build_tiny(province_world["province"])
    FrameworkAppraiser.objects.create(framework=framework, role=AppraiserRole.JUSTICE, agency=province_world["justice"])
    return framework


@pytest.fixture
def sheet(tiny, province_world, measured):
    from cchc.parindex import sheets

    return sheets.open_sheet(tiny, province_world["science"], province_world["users"]["officer"])


@pytest.fixture
def score_of():
    """score_of(sheet, "1.1"): the sheet's row of that item, fresh from the database."""

    def find(sheet, code):
        return sheet.scores.select_related("item", "sheet", "sheet__framework").get(item__code=code)

    return find


@pytest.fixture
def make_tiny():
    return build_tiny
