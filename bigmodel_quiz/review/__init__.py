"""Spaced review with FSRS: card state per question, due selection, review sittings.

``cards`` keeps the scheduling state in the store, ``queue`` decides what is due,
``session`` runs a sitting. Every function takes the time it needs as an argument
(or a clock), so tests can simulate days and weeks.
"""
