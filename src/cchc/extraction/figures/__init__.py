"""Figures a report states, under the keys of vocabulary.FIGURE_LABELS, each with the sentence it came from.

The reader generalises over wordings instead of listing them: a number is found as Vietnamese writes it
(numbers.py), a sentence is cut into clauses with lists and parentheses (clauses.py), the words on both sides of the
number within its clause say what it counts and how (lexicon.py, classify.py), the scope says whether it is the
subject's figure for the period (scope.py), negations state zeros (negations.py), and conflicting readings are
resolved precision first (resolve.py). Time is linear in the text. See docs/extraction.md.
"""

from .numbers import parse_number
from .reading import read_figures
from .text import sentences

__all__ = ["read_figures", "parse_number", "sentences"]
