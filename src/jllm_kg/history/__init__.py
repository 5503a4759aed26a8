"""The list's history: when each model was first and last listed, what changed, how it grew.

``jllm-kg history REPO [--rev REV]`` walks the list's repository and writes the history graph
(:func:`build_history`); it comes after the map stage (it reads and maps every version with
their public functions) and before validation, which checks its output with the rest.
"""

from jllm_kg.history.build import HistoryError, HistorySummary, build_history, history_graph

__all__ = ["HistoryError", "HistorySummary", "build_history", "history_graph"]
