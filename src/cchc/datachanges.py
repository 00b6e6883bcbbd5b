"""Writes that bypass Model.save(): the bulk methods of the dossier and procedure querysets and the COPY paths
announce here which agencies' data they changed, in the transaction of the change, so that what depends on that
data (statistics.versions) hears of every change without the writing apps importing it."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.dispatch import Signal

# Sent with sender=<the model written> and agency_ids=<set of agency ids>.
agencies_written = Signal()


def written(model, agency_ids: Iterable[int | None]) -> None:
    ids = {int(pk) for pk in agency_ids if pk is not None}
    if ids:
        agencies_written.send(sender=model, agency_ids=ids)


class AnnouncingQuerySet:
    """A QuerySet mixin for models with an agency_id: bulk_create, bulk_update, update and delete announce the
    agencies they touch (before and after the change) through `written`."""

    def _agencies(self) -> set[int]:
        return set(self.order_by().values_list("agency_id", flat=True).distinct())

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            written(self.model, (obj.agency_id for obj in objs))
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        with transaction.atomic(using=self.db):
            # An update may move a row to another agency: both the old and the new one change.
            ids = [obj.pk for obj in objs]
            before = set(self.model._base_manager.filter(pk__in=ids).values_list("agency_id", flat=True))
            updated = super().bulk_update(objs, fields, *args, **kwargs)
            written(self.model, before | {obj.agency_id for obj in objs})
        return updated

    def update(self, **kwargs):
        with transaction.atomic(using=self.db):
            agencies = self._agencies()
            updated = super().update(**kwargs)
            moved_to = kwargs.get("agency_id", kwargs.get("agency"))
            if moved_to is not None:
                agencies.add(getattr(moved_to, "pk", moved_to))
            written(self.model, agencies)
        return updated

    update.alters_data = True

    def delete(self):
        with transaction.atomic(using=self.db):
            agencies = self._agencies()
            deleted = super().delete()
            written(self.model, agencies)
        return deleted

    delete.alters_data = True
