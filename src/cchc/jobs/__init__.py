"""Background jobs: long work (a dossier import, a batch of uploaded reports) that a page starts and then follows.

A Job row is what a person sees (what, who, which agency, state, progress, result or error); the work itself runs as
a django-tasks task on the database backend, picked up by `cchc worker` (or the worker `cchc serve` starts beside the
web server). docs/adr/0006-task-queue.md says why and how a job survives a restart.
"""
