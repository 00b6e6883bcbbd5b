"""cchc: administrative-reform (CCHC) work and periodic reports for Vietnamese provincial departments."""

__version__ = "0.1.0"
