"""The PAR Index (Chỉ số CCHC) of a province's agencies: criteria sets as data (frameworks.py) and the agencies' score
sheets with their evidence (sheets.py)."""

from .frameworks import AgencyGroup, AppraiserRole, Framework, FrameworkAppraiser, Item, RuleKind, Section, Tier
from .sheets import Basis, Evidence, EvidenceKind, EvidenceStage, ItemScore, Phase, Sheet

__all__ = [
    "AgencyGroup",
    "AppraiserRole",
    "Basis",
    "Evidence",
    "EvidenceKind",
    "EvidenceStage",
    "Framework",
    "FrameworkAppraiser",
    "Item",
    "ItemScore",
    "Phase",
    "RuleKind",
    "Section",
    "Sheet",
    "Tier",
]
