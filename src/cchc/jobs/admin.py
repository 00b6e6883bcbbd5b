"""django-tasks-db's own admin lists task rows in English with their internal paths and return values; people
follow their work on the job pages (/cong-viec/), so that admin is taken away."""

from django.contrib import admin
from django_tasks_db.models import DBTaskResult

if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
