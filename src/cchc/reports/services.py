"""Reports: creation from a template, section edits that cannot silently overwrite each other, the workflow
draft -> submitted -> approved with saved versions, all audited. Views, commands and the demo call these functions.

Permissions (inside the user's own agency; a superuser may do everything; `actor=None` is the system itself — the
command line and the demo — and is allowed):
- "report.edit" (create, edit sections and details, submit, save a version): admin, leader, officer;
- "report.approve" (approve, return to draft): admin, leader.
The roles of each action are in agencies.scoping.ACTION_ROLES.
"""

from __future__ import annotations

import datetime as dt
import random
import string
import time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.agencies import scoping
from cchc.agencies.models import Agency, Role
from cchc.audit import service as audit
from cchc.audit.models import AuditEntry
from cchc.statistics.periods import Period, parse_period
from cchc.text import nfc

from . import checks, freeze
from .models import Report, ReportSection, ReportStatus, ReportTemplate, ReportVersion
from .templates_registry import get_template, save_copy, validate_outline

REPORT_FIELDS = [
    "title",
    "intro",
    "closing",
    "signing_form",
    "signing_authority",
    "signer_title",
    "signer_name",
    "signer",
    "recipients",
    "archive_unit",
]
SIGNING_FORMS = ("", "KT.", "TM.", "TL.", "TUQ.", "Q.")


class EditConflict(Exception):
    """Someone saved the section after the editor opened it. Carries the stored state so the page can show it."""

    def __init__(self, section: ReportSection) -> None:
        self.section = section
        self.current_text = section.text
        self.current_version = section.version
        who = user_label(section.updated_by) if section.updated_by_id else _("người khác")
        when = timezone.localtime(section.updated_at) if section.updated_at else None
        at = _(" lúc %(time)s ngày %(date)s") % {"time": f"{when:%H:%M}", "date": f"{when:%d/%m/%Y}"} if when else ""
        label = f"{section.number} {section.heading}".strip()
        super().__init__(
            _(
                "Mục «%(section)s» đã được %(who)s sửa%(at)s, sau khi bạn mở ra (nay là phiên bản %(version)s). "
                "Nội dung của bạn chưa được lưu: hãy xem nội dung mới, đối chiếu rồi sửa lại."
            )
            % {"section": label, "who": who, "at": at, "version": section.version}
        )


def user_label(user) -> str:
    if user is None:
        return _("hệ thống")
    return (user.get_full_name() or user.get_username()).strip()


# --- permissions -------------------------------------------------------------------------------------------------


def can(actor, action: str, agency: Agency | int) -> bool:
    if actor is None:  # the system: command line, demo
        return True
    return scoping.can(actor, action, agency)


def _require(actor, action: str, agency: Agency | int) -> None:
    if not can(actor, action, agency):
        if action == "report.approve":
            raise PermissionDenied(_("Chỉ lãnh đạo hoặc quản trị của cơ quan được duyệt hoặc trả lại báo cáo."))
        raise PermissionDenied(_("Bạn không có quyền soạn báo cáo của cơ quan này."))


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# --- patterns ----------------------------------------------------------------------------------------------------


def pattern_values(agency: Agency, period: Period) -> dict[str, str]:
    from .wording import period_phrase

    return {
        # Titles keep "Quý I năm 2023" as the samples write it, but "năm 2023", "6 tháng đầu năm 2023" in lower case.
        "period_label": period.label if period.kind in ("quarter", "month") else period_phrase(period),
        "period_label_lower": period_phrase(period),
        "agency_name": agency.name,
        "year": str(period.year or period.end.year),
    }


def render_pattern(pattern: str, values: dict[str, str]) -> str:
    """Fill {agency_name} ... ; an unknown name stays as written rather than failing a report."""

    class _Keep(dict):
        def __missing__(self, key: str) -> str:
            return "{" + key + "}"

    try:
        return nfc(string.Formatter().vformat(pattern or "", (), _Keep(values)))
    except (ValueError, IndexError):
        return nfc(pattern or "")


# --- creation ----------------------------------------------------------------------------------------------------


def _period(period: Period | str, mode: str = "nd09") -> Period:
    return parse_period(period, mode) if isinstance(period, str) else period


def create_report(
    agency: Agency,
    template: str | ReportTemplate,
    period: Period | str,
    actor,
    *,
    mode: str = "nd09",
    ask_if_exists: bool = False,
) -> Report:
    """A draft report of `agency` for `period` from a template (its slug: the agency's copy if it has one, else the
    built-in); the template's outline is copied into the report's sections. `ask_if_exists` (the create form, until
    the user confirms): checks.DuplicateReport listing the agency's reports of that template and period, if any."""
    _require(actor, "report.edit", agency)
    period = _period(period, mode)
    if isinstance(template, str):
        template = get_template(template, agency)
    elif template.agency_id not in (None, agency.pk):
        raise ValidationError(_("Mẫu báo cáo này thuộc cơ quan khác."))
    existing = checks.same_reports(agency, template, period)
    if existing and ask_if_exists:
        raise checks.DuplicateReport(existing)
    values = pattern_values(agency, period)
    report = Report(
        agency=agency,
        template=template,
        period_key=period.key,
        period_mode=period.mode,
        period_kind=period.kind,
        period_start=period.start,
        period_end=period.end,
        period_label=period.label,
        title=render_pattern(template.excerpt_pattern, values),
        intro=render_pattern(template.intro_pattern, values),
        closing=render_pattern(template.closing_pattern, values),
        symbol=f"BC-{agency.code}",
        recipients=list(template.recipients),
        archive_unit=template.archive_unit,
        appendices=[{**spec, "title": render_pattern(spec.get("title", ""), values)} for spec in template.appendices],
        signing_form="KT.",
        signing_authority="Giám đốc" if agency.kind == Agency.Kind.DEPARTMENT else "",
        signer_title="Phó Giám đốc" if agency.kind == Agency.Kind.DEPARTMENT else "",
        created_by=_user(actor),
    )
    if agency.kind != Agency.Kind.DEPARTMENT:
        report.signing_form = ""
    with transaction.atomic():
        report.save()
        now = timezone.now()
        ReportSection.objects.bulk_create(
            ReportSection(
                report=report,
                key=item["key"],
                number=item.get("number", ""),
                heading=item.get("heading", ""),
                level=item.get("level", 1),
                order=position,
                guidance=item.get("guidance", ""),
                text=nfc(item.get("default_text", "")),
                block=",".join(_block_names(item.get("block"))),
                options=item.get("options") or {},
                version=1,
                updated_by=_user(actor),
                updated_at=now,
            )
            for position, item in enumerate(template.outline, start=1)
        )
        changes = {"template": template.slug, "period": period.key, "title": report.title}
        if existing:
            # Created knowingly beside the others (the user confirmed): say which.
            changes["also_existing"] = ", ".join(str(other.pk) for other in existing)
        audit.record(
            report,
            actor,
            AuditEntry.Action.CREATE,
            changes=changes,
            summary=_("Tạo báo cáo %(period)s") % {"period": period.label},
        )
        _save_version(report, actor, _("Tạo báo cáo"))
    return report


def _block_names(value: Any) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return [name.strip() for name in value.split(",") if name.strip()]
    return [str(name) for name in value]


def find_or_create_draft(agency: Agency, template_slug: str, period: Period | str, actor, *, mode: str = "nd09"):
    """The newest draft of this agency, template and period, or a new one (used by `cchc report build` and the demo:
    with only submitted or approved reports of the period, a new draft is what the command is asked for)."""
    period = _period(period, mode)
    template = get_template(template_slug, agency)
    existing = (
        Report.objects.filter(
            agency=agency,
            template=template,
            period_key=period.key,
            period_mode=period.mode,
            status=ReportStatus.DRAFT,
        )
        .order_by("-pk")
        .first()
    )
    return existing or create_report(agency, template, period, actor)


# --- editing -----------------------------------------------------------------------------------------------------


def _retry_when_sqlite_is_locked(work):
    """SQLite reports a write lock held by another connection of a shared cache (the tests' in-memory database) at
    once instead of waiting; the transaction was rolled back, so running it again is safe. PostgreSQL waits."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return work()
    for attempt in range(60):
        try:
            return work()
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == 59:
                raise
            time.sleep(random.uniform(0.001, min(0.1, 0.002 * 2 ** min(attempt, 6))))
    raise AssertionError("unreachable")


def save_section(section: ReportSection, text: str, expected_version: int, actor) -> ReportSection:
    """Store the narrative of a section the editor opened at `expected_version`.

    One UPDATE ... WHERE version = expected: of two people who opened the same version, the first save wins and the
    second gets EditConflict (with who changed it and when), whatever the timing — no lock is held while editing.
    """
    report = section.report
    _require(actor, "report.edit", report.agency_id)
    text = nfc(text).replace("\r\n", "\n").strip()
    return _retry_when_sqlite_is_locked(lambda: _save_section(section, report, text, expected_version, actor))


def _save_section(section: ReportSection, report: Report, text: str, expected_version: int, actor) -> ReportSection:
    with transaction.atomic():
        before = ReportSection.objects.filter(pk=section.pk).values_list("text", "version").first()
        updated = ReportSection.objects.filter(
            pk=section.pk,
            version=expected_version,
            report__in=Report.objects.filter(pk=report.pk, status=ReportStatus.DRAFT).values("pk"),
        ).update(text=text, version=F("version") + 1, updated_by=_user(actor), updated_at=timezone.now())
        if not updated:
            current = ReportSection.objects.select_related("report", "updated_by").get(pk=section.pk)
            if current.report.status != ReportStatus.DRAFT:
                raise ValidationError(
                    _("Báo cáo đang ở trạng thái «%(status)s»: không sửa được. Trả lại dự thảo để sửa tiếp.")
                    % {"status": current.report.get_status_display()}
                )
            raise EditConflict(current)
        fresh = ReportSection.objects.select_related("report").get(pk=section.pk)
        old_text = before[0] if before and before[1] == expected_version else None
        audit.record(
            fresh,
            actor,
            AuditEntry.Action.UPDATE,
            changes={"text": [old_text, text], "version": [expected_version, fresh.version]},
            summary=_("Sửa mục %(section)s") % {"section": str(fresh)[:200]},
            agency=report.agency_id,
        )
    return fresh


def update_report(report: Report, actor, **changes: Any) -> Report:
    """Change the report's own details (excerpt, opening and closing, signer, recipients) while it is a draft."""
    unknown = set(changes) - set(REPORT_FIELDS)
    if unknown:
        raise TypeError(f"update_report: unknown fields {sorted(unknown)}")
    _require(actor, "report.edit", report.agency_id)
    if "signing_form" in changes and changes["signing_form"] not in SIGNING_FORMS:
        raise ValidationError({"signing_form": _("Thẩm quyền ký phải là KT., TM., TL., TUQ., Q. hoặc để trống.")})
    if "recipients" in changes:
        changes["recipients"] = [nfc(str(r)).strip() for r in changes["recipients"] if str(r).strip()]
    if changes.get("signer") is not None and not leaders_of(report.agency_id).filter(pk=changes["signer"].pk).exists():
        raise ValidationError({"signer": _("Người ký phải là lãnh đạo của cơ quan.")})
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        _require_status(report, ReportStatus.DRAFT)
        before = audit.snapshot(report, REPORT_FIELDS)
        for name, value in changes.items():
            setattr(report, name, nfc(value).strip() if isinstance(value, str) else value)
        if not report.title.strip():
            raise ValidationError({"title": _("Báo cáo cần có trích yếu.")})
        report.save()
        changed = audit.diff(before, audit.snapshot(report, REPORT_FIELDS))
        if changed:
            audit.record(report, actor, AuditEntry.Action.UPDATE, changed, summary=_("Sửa thông tin báo cáo"))
    return report


# --- versions and workflow ---------------------------------------------------------------------------------------


def snapshot(report: Report) -> dict[str, Any]:
    """Everything an officer wrote, as JSON: the details and every section (figures are recomputed, not stored)."""
    data: dict[str, Any] = {name: getattr(report, name) for name in REPORT_FIELDS if name != "signer"}
    data.update(
        signer=report.signer_id,
        status=report.status,
        number=report.number,
        symbol=report.symbol,
        issue_date=report.issue_date.isoformat() if report.issue_date else None,
        period=report.period_key,
        sections=[
            {
                "key": s.key,
                "number": s.number,
                "heading": s.heading,
                "level": s.level,
                "text": s.text,
                "block": s.block,
                "version": s.version,
            }
            for s in report.sections.order_by("order")
        ],
    )
    return data


def _save_version(report: Report, actor, note: str) -> ReportVersion:
    Report.objects.filter(pk=report.pk).update(version=F("version") + 1)
    report.refresh_from_db(fields=["version"])
    return ReportVersion.objects.create(
        report=report,
        version=report.version,
        status=report.status,
        snapshot=snapshot(report),
        note=note[:500],
        created_by=_user(actor),
    )


def save_version(report: Report, actor, note: str = "") -> ReportVersion:
    """Keep the current state as a numbered version (on demand; transitions do it themselves)."""
    _require(actor, "report.edit", report.agency_id)
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        return _save_version(report, actor, nfc(note).strip() or _("Lưu phiên bản"))


def _require_status(report: Report, *allowed: str) -> None:
    if report.status not in allowed:
        raise ValidationError(
            _("Thao tác không thực hiện được khi báo cáo ở trạng thái «%(status)s».")
            % {"status": report.get_status_display()}
        )


def _transition(
    report: Report, actor, new_status: str, note: str, summary: str, *, extra: dict | None = None, **fields: Any
) -> Report:
    """Change the state, audit it and keep a version; submitted and approved states freeze the report in that
    version (its figures and files, freeze.py), the draft state makes it live again."""
    old = report.status
    report.status = new_status
    for name, value in fields.items():
        setattr(report, name, value)
    report.save()
    audit.record(
        report,
        actor,
        AuditEntry.Action.TRANSITION,
        changes={"status": [old, new_status], **({"note": note} if note else {}), **(extra or {})},
        summary=summary,
    )
    version = _save_version(report, actor, f"{summary}: {note}" if note else summary)
    if new_status in freeze.FROZEN_STATUSES:
        freeze.keep(report, version)
    else:
        freeze.thaw(report)
    return report


def _unfinished_check(report: Report, ask: bool) -> dict[str, str]:
    """checks.UnfinishedSections when asked to ask; else what the audit entry says of the sections left unfinished."""
    unfinished = checks.unfinished_sections(report)
    if unfinished and ask:
        raise checks.UnfinishedSections(unfinished)
    if not unfinished:
        return {}
    return {"unfinished_sections": "; ".join(f"{item.label}: {item.problem}" for item in unfinished)[:2000]}


def _keep_pdf(report: Report) -> None:
    """The PDF of the version just frozen, made after the transition's transaction (LibreOffice takes seconds)."""
    if report.frozen_version_id:
        freeze.keep_pdf(ReportVersion.objects.get(pk=report.frozen_version_id))


def submit(
    report: Report, actor, note: str = "", *, ask_if_unfinished: bool = False, keep_pdf: bool = True
) -> Report:
    """Draft -> submitted for approval; the sections, figures and files are frozen until approved or returned.
    Sections still empty or with unanswered prompts: checks.UnfinishedSections with `ask_if_unfinished` (the page,
    until the user confirms); going on, the audit entry lists them. `keep_pdf=False` keeps the .docx and .xlsx only
    (no LibreOffice run; the PDF download of this version then says it was not made)."""
    _require(actor, "report.edit", report.agency_id)
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        _require_status(report, ReportStatus.DRAFT)
        extra = _unfinished_check(report, ask_if_unfinished)
        report = _transition(
            report,
            actor,
            ReportStatus.SUBMITTED,
            nfc(note).strip(),
            _("Trình duyệt báo cáo"),
            extra=extra,
            submitted_by=_user(actor),
            submitted_at=timezone.now(),
        )
    if keep_pdf:
        _keep_pdf(report)
    return report


def return_to_draft(report: Report, actor, reason: str) -> Report:
    """Submitted -> draft, with the leader's reason (required: the drafter must know what to change)."""
    _require(actor, "report.approve", report.agency_id)
    reason = nfc(reason).strip()
    if not reason:
        raise ValidationError({"reason": _("Nêu lý do trả lại để người soạn biết cần sửa gì.")})
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        _require_status(report, ReportStatus.SUBMITTED)
        return _transition(report, actor, ReportStatus.DRAFT, reason, _("Trả lại dự thảo"))


def leaders_of(agency: Agency | int):
    """The users who may be chosen to sign the agency's reports: its leaders."""
    from django.contrib.auth import get_user_model

    agency_id = getattr(agency, "pk", agency)
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__agency_id=agency_id, memberships__role=Role.LEADER)
        .order_by("first_name", "username")
        .distinct()
    )


def approve(
    report: Report,
    actor,
    *,
    number: str | int | None = None,
    issue_date: dt.date | None = None,
    register=None,
    note: str = "",
    ask_if_unfinished: bool = False,
    keep_pdf: bool = True,
) -> Report:
    """Submitted -> approved. The report gets its number: typed (`number`), or allocated in the agency's outgoing
    register (Nghị định 30/2020 Điều 15: gap-free, per year) together with its entry in the document registry; its
    signer (builder.signer_of: the chosen leader, else the approving one) is written on it. Unfinished sections and
    `keep_pdf` as in submit()."""
    from cchc.documents.models import Direction, DocumentKind, Register
    from cchc.documents.numbering import format_number, issue_document

    from .builder import signer_of

    _require(actor, "report.approve", report.agency_id)
    issue_date = issue_date or timezone.localdate()
    with transaction.atomic():
        report = Report.objects.select_for_update().select_related("agency").get(pk=report.pk)
        _require_status(report, ReportStatus.SUBMITTED)
        fields: dict[str, Any] = {"approved_by": _user(actor), "approved_at": timezone.now(), "issue_date": issue_date}
        # Who signs is settled now and written on the report (and its registry entry), not recomputed later.
        report.approved_by = fields["approved_by"]
        fields["signer_name"], fields["signer_title"] = signer_of(report, approving=True)
        typed = str(number).strip() if number not in (None, "") else ""
        if typed:
            if not typed.isdigit() or int(typed) < 1:
                raise ValidationError({"number": _("Số văn bản phải là số nguyên dương.")})
            fields["number"] = format_number(int(typed))
        else:
            register = register or (
                Register.objects.filter(agency=report.agency, direction=Direction.OUTGOING, is_active=True)
                .order_by("pk")
                .first()
            )
            if register is None or register.agency_id != report.agency_id:
                raise ValidationError(
                    {"number": _("Cơ quan chưa có sổ văn bản đi để cấp số: nhập số báo cáo hoặc tạo sổ văn bản đi.")}
                )
        # Asked after the number is known to be valid (so a confirmation is not followed by a refusal), before the
        # registry allocates one.
        extra = _unfinished_check(report, ask_if_unfinished)
        if not typed:
            document = issue_document(
                register=register,
                kind=DocumentKind.BAO_CAO,
                excerpt=" ".join(report.title.split()),
                issue_date=issue_date,
                actor=actor,
                signer_name=fields["signer_name"],
                signer_title=fields["signer_title"],
                signing_form=report.signing_form,
            )
            fields.update(number=document.number, symbol=document.symbol, document=document)
        report = _transition(
            report, actor, ReportStatus.APPROVED, nfc(note).strip(), _("Phê duyệt báo cáo"), extra=extra, **fields
        )
    if keep_pdf:
        _keep_pdf(report)
    return report


# --- templates ---------------------------------------------------------------------------------------------------


def copy_template(source: ReportTemplate, agency: Agency, actor) -> ReportTemplate:
    """An editable copy of `source` for `agency`. The agency's first copy keeps the slug (and so replaces the
    built-in one for that agency); later copies get "<slug>-2", "<slug>-3"..."""
    _require(actor, "report.edit", agency)
    slug, name = source.slug, source.name
    taken = set(ReportTemplate.objects.filter(agency=agency).values_list("slug", flat=True))
    if slug in taken:
        number = 2
        while f"{source.slug}-{number}"[:64] in taken:
            number += 1
        slug, name = f"{source.slug}-{number}"[:64], f"{source.name} ({_('bản sao')} {number})"
    with transaction.atomic():
        copy = save_copy(source, agency, slug=slug, name=name)
        audit.record(
            copy,
            actor,
            AuditEntry.Action.CREATE,
            changes={"source": source.slug},
            summary=_("Sao chép mẫu báo cáo %(name)s") % {"name": source.name},
        )
    return copy


def save_outline(template: ReportTemplate, outline: list[dict[str, Any]], actor) -> None:
    """Replace an agency template's outline after validating it (ValidationError with Vietnamese messages)."""
    if template.agency_id is None:
        raise PermissionDenied(_("Mẫu dựng sẵn không sửa trực tiếp được; hãy sao chép để chỉnh sửa."))
    _require(actor, "report.edit", template.agency_id)
    validate_outline(outline, template.appendices)
    with transaction.atomic():
        before = template.outline
        template.outline = outline
        template.save(update_fields=["outline", "updated_at"])
        audit.record(
            template,
            actor,
            AuditEntry.Action.UPDATE,
            changes={"outline": [len(before), len(outline)]},
            summary=_("Sửa dàn ý mẫu báo cáo %(name)s") % {"name": template.name},
        )
