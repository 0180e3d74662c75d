"""The progress store: every answer, grade and scheduling state, in SQLite."""

from bigmodel_quiz.store.db import Store, open_store

__all__ = ["Store", "open_store"]
