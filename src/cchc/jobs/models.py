"""A job a person started and follows on its page, the files it works on or produced, and the workers' heartbeats
by which a job left behind by a dead worker is found (recovery.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    DOSSIER_IMPORT = "dossier_import", _("Nhập hồ sơ từ tệp")
    REPORT_IMPORT = "report_import", _("Đọc báo cáo tải lên")


class JobState(models.TextChoices):
    QUEUED = "queued", _("chờ chạy")
    RUNNING = "running", _("đang chạy")
    DONE = "done", _("xong")
    FAILED = "failed", _("lỗi")


FINISHED = (JobState.DONE, JobState.FAILED)


class Job(models.Model):
    kind = models.CharField(_("loại công việc"), max_length=32, choices=JobKind.choices)
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.CASCADE, related_name="jobs", verbose_name=_("cơ quan")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("người tạo"),
    )  # fmt: skip
    title = models.CharField(_("tên công việc"), max_length=255)
    state = models.CharField(_("trạng thái"), max_length=16, choices=JobState.choices, default=JobState.QUEUED)
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    done = models.PositiveIntegerField(_("đã xử lý"), default=0)
    total = models.PositiveIntegerField(_("tổng số"), null=True, blank=True)
    message = models.CharField(_("diễn biến"), max_length=500, blank=True)
    result = models.JSONField(_("kết quả"), null=True, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    task_id = models.CharField(_("mã tác vụ"), max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["agency", "-created_at"], name="job_agency_recent")]
        verbose_name = _("công việc nền")
        verbose_name_plural = _("công việc nền")

    def __str__(self) -> str:
        return self.title

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    @property
    def percent(self) -> int | None:
        if not self.total:
            return 100 if self.state == JobState.DONE else None
        return min(100, round(100 * self.done / self.total))


class JobFile(models.Model):
    """A file a job reads (the upload, kept as it came: nothing is lost on a bad file) or wrote (the rejected rows).
    Kept in the database, so that a worker on another machine reads the very bytes the web server received."""

    class Role(models.TextChoices):
        INPUT = "input", _("tệp tải lên")
        OUTPUT = "output", _("tệp kết quả")

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="files", verbose_name=_("công việc"))
    role = models.CharField(_("vai trò"), max_length=8, choices=Role.choices)
    name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(_("kiểu nội dung"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("dung lượng (byte)"), default=0)
    content = models.BinaryField(_("nội dung"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("tệp của công việc")
        verbose_name_plural = _("tệp của công việc")

    def __str__(self) -> str:
        return self.name


class WorkerBeat(models.Model):
    """A running worker process says it is alive every few seconds; a task left "running" by a worker whose beat
    stopped belongs to a dead worker."""

    worker_id = models.CharField(_("mã bộ xử lý"), max_length=64, primary_key=True)
    host = models.CharField(_("máy"), max_length=255)
    pid = models.PositiveIntegerField(_("mã tiến trình"))
    started_at = models.DateTimeField(_("khởi động lúc"))
    beat_at = models.DateTimeField(_("báo còn chạy lúc"), db_index=True)

    class Meta:
        verbose_name = _("bộ xử lý công việc")
        verbose_name_plural = _("bộ xử lý công việc")

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"


class PeriodicRun(models.Model):
    """When a periodic task (jobs/periodic.py) was last enqueued, by whichever worker claimed it."""

    name = models.CharField(_("công việc định kỳ"), max_length=100, primary_key=True)
    last_at = models.DateTimeField(_("lần chạy gần nhất"))

    class Meta:
        verbose_name = _("công việc định kỳ")
        verbose_name_plural = _("công việc định kỳ")

    def __str__(self) -> str:
        return self.name
