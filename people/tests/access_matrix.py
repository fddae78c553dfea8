"""The people app's access-matrix entries."""

from .family_matrix import FAMILY_ENTRIES

ENTRIES = {**FAMILY_ENTRIES}
