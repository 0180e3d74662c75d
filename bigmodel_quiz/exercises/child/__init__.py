"""The exercises' child side: code that runs in the submission's process.

An exercise whose ``ExerciseSpec`` names ``child="<module>"`` has a module here, which the
grader's harness imports (with what it imports from this package) before the
submission, then blocks the package. A child module may export:

- ``prepare(device) -> None``: called once, before the submission is imported;
- ``run(entry, kwargs, device) -> value``: drives one case and returns plain data;
- ``BUILDERS``: a mapping of the constructors a case's ``$call`` input may name.

Whatever is here is reachable by the submission (stack frames, ``gc``), so nothing
here computes an expected value, a reference result or a verdict: those stay in the
parent-side case modules. A child module imports only the standard library, NumPy,
torch and this package (``tests/test_exercise_contract.py`` enforces it).
"""
