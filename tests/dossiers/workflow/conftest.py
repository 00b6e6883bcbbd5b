from workflow_setup import dossier, people, process, units  # noqa: F401 - the fixtures of this directory
