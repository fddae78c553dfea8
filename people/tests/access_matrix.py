from .merge_matrix import MERGE_ENTRIES

ENTRIES = {**MERGE_ENTRIES}
