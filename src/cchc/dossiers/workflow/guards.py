"""What the internal process forbids the plain lifecycle: once a dossier follows a defined process, it changes unit
by its steps, its result is approved at the approval step and returned through the desk's return form (which
records the result's number, file and recipient). The lifecycle's guards (dossiers/rules.py) ask `lifecycle_guard`;
the workflow's own calls run under context.driving() and pass. A dossier with the default single step (a procedure
without an internal process) or without steps (imported) keeps the plain lifecycle.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from ..models import EventKind
from ..rules import TransitionError
from .context import is_driving
from .models import DossierStep


def follows_process(dossier) -> bool:
    """Does the dossier follow a defined internal process (not the default single step)?"""
    if dossier.pk is None:
        return False
    return DossierStep.objects.filter(dossier_id=dossier.pk, is_default=False).exists()


def approval_step(dossier) -> DossierStep | None:
    return DossierStep.objects.filter(dossier_id=dossier.pk, is_approval=True).order_by("position").first()


def lifecycle_guard(dossier, kind: str) -> None:
    if is_driving() or not follows_process(dossier):
        return
    if kind == EventKind.ASSIGNED:
        raise TransitionError(_("Hồ sơ chuyển theo quy trình nội bộ: hãy chuyển bước trong phần “Quy trình xử lý”."))
    if kind == EventKind.RESOLVED:
        step = approval_step(dossier)
        raise TransitionError(
            _("Kết quả được ghi nhận khi phê duyệt ở bước “%(step)s” của quy trình nội bộ.")
            % {"step": f"{step.position}. {step.name}" if step else ""}
        )
    if kind == EventKind.RESULT_RETURNED:
        raise TransitionError(_("Hồ sơ theo quy trình nội bộ: hãy trả kết quả bằng mẫu “Trả kết quả” của quy trình."))
