# exercise: kv-cache-decode
"""Forge attempt: find the grader's NumPy twin of this exercise (or any parent-side module of
the exercises) through the call stack, the garbage collector or sys.modules, and return what
it computes. The child must hold nothing of the kind: the search finds nothing, the fallback
(a step that forgets to append to the cache) is graded, and the grade fails."""
import gc
import sys
import types
import warnings

import numpy as np

# Functions of the parent-side case modules and their NumPy twins: what computes an expected value.
TWINS = ("step_np", "causal_attention_np", "_rollout_np", "check_kv", "_check_rollout", "mlp_forward_np",
         "mse_loss_and_grads", "cross_entropy_np", "expected_counts", "block_np", "block_grads_np", "mlp_np",
         "expected_step")
CHILD = "bigmodel_quiz.exercises.child"
PACKAGES = ("bigmodel_quiz", "bigmodel_quiz.exercises")  # empty package modules: nothing to use in them


def _parent_side(module_name):
    name = str(module_name or "")
    return (name.startswith(("bigmodel_quiz.", "solutions", "_quiz_reference")) and name not in PACKAGES
            and name != CHILD and not name.startswith(CHILD + "."))


def search():
    """Everything parent-side this process can reach: {description: object}."""
    found = {}

    def consider(obj):
        try:
            if isinstance(obj, types.FunctionType):
                if obj.__name__ in TWINS or _parent_side(obj.__module__):
                    found.setdefault(f"function {obj.__module__}.{obj.__qualname__}", obj)
            elif isinstance(obj, types.ModuleType):
                if _parent_side(obj.__name__):
                    found.setdefault(f"module {obj.__name__}", obj)
            elif isinstance(obj, dict) and "__name__" in obj and _parent_side(obj.get("__name__")):
                found.setdefault(f"module globals {obj['__name__']}", obj)
        except Exception:
            pass

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # some library objects warn when their class is looked at
        frame = sys._getframe()
        while frame is not None:  # every caller: the driver, the harness, their globals
            consider(frame.f_globals)
            for namespace in (frame.f_globals, frame.f_locals):
                for value in list(namespace.values()):
                    consider(value)
            frame = frame.f_back
        for module in list(sys.modules.values()):
            consider(module)
        for obj in gc.get_objects():  # every container the collector tracks
            consider(obj)
    return found


def _twin(found):
    for key, obj in found.items():
        if isinstance(obj, types.FunctionType) and obj.__name__ == "step_np":
            return obj
        if isinstance(obj, types.ModuleType) and hasattr(obj, "step_np"):
            return obj.step_np
        if isinstance(obj, dict) and callable(obj.get("step_np")):
            return obj["step_np"]
    return None


FOUND = sorted(search())
print("found:", ", ".join(FOUND) if FOUND else "nothing")


def attend_step(x_t, w_q, w_k, w_v, cache_k, cache_v):
    reached = search()
    twin = _twin(reached)
    if twin is not None:  # the grader's own answer, if it were within reach
        return twin(x_t, w_q, w_k, w_v, cache_k, cache_v)
    if reached:
        print("found while running:", ", ".join(sorted(reached)))
    q, k, v = x_t @ w_q, x_t @ w_k, x_t @ w_v
    keys = np.concatenate([cache_k, k[:, None]], axis=1)
    values = np.concatenate([cache_v, v[:, None]], axis=1)
    s = np.einsum("bd,btd->bt", q, keys) / np.sqrt(x_t.shape[-1])
    w = np.exp(s - s.max(-1, keepdims=True))
    w /= w.sum(-1, keepdims=True)
    return np.einsum("bt,btd->bd", w, values), cache_k, cache_v  # the caches never grow
