"""Cases for `kmeans`: Lloyd's iterations from given centroids, ties to the lower index, empty clusters kept."""

from __future__ import annotations

from bigmodel_quiz.exercises.diagnose import mismatch, recognise
from bigmodel_quiz.exercises.spec import Case, ExerciseSpec

NAMES = ("centroids", "labels")


def _lloyd(x, init_centroids, n_iter, *, empty="keep", ties_high=False, no_stop=False, move_first=False):
    """Lloyd's algorithm with knobs for the classic mistakes (defaults: the contract)."""
    import numpy as np

    c = np.array(init_centroids, dtype=np.float64)
    previous, labels = None, None

    def assign(c):
        d = ((x[:, None, :] - c[None, :, :]) ** 2).sum(-1)
        if ties_high:
            return d.shape[1] - 1 - d[:, ::-1].argmin(1)
        return d.argmin(1)

    def move(c, labels):
        rows = []
        for j in range(len(c)):
            members = x[labels == j]
            if len(members):
                rows.append(members.mean(0))
            elif empty == "keep":
                rows.append(c[j])
            elif empty == "nan":
                rows.append(np.full(x.shape[1], np.nan))
            elif empty == "zero":
                rows.append(np.zeros(x.shape[1]))
            # empty == "drop": the cluster disappears
        return np.array(rows).reshape(-1, x.shape[1])

    for _ in range(n_iter):
        labels = assign(c)
        if not no_stop and previous is not None and np.array_equal(labels, previous):
            break
        c = move(c, labels)
        previous = labels
    if move_first:  # labels of the moved centroids instead of the assignment the centroids came from
        labels = assign(c)
    return c, labels


def _variant(**knobs):
    def run(x, init_centroids, n_iter):
        import warnings

        import numpy as np

        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return _lloyd(x, init_centroids, n_iter, **knobs)

    return run


DROP = ("empty clusters dropped: a cluster that receives no point must keep its centroid (and its index), so"
        " the result still has K rows; building the centroids only from the non-empty clusters shrinks K and"
        " renumbers the labels")
MISTAKES = (
    (DROP, _variant(empty="drop")),
    ("an empty cluster's centroid became NaN (the mean of no points); an empty cluster keeps its centroid",
     _variant(empty="nan")),
    ("an empty cluster's centroid was reset to 0; an empty cluster keeps its centroid", _variant(empty="zero")),
    ("ties go to the higher index: a point equally close to two centroids belongs to the lower index"
     " (np.argmin returns the first minimum)", _variant(ties_high=True)),
    ("the labels were recomputed after the last move; return the assignment the final centroids were"
     " computed from (the last assignment)", _variant(move_first=True)),
)


def check_kmeans(case: Case, got, expected) -> str | None:
    """K centroid rows, then the values; a wrong result is matched against the known mistakes."""
    import numpy as np

    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return f"expected a tuple (centroids, labels), got a {type(got).__name__}"
    k = len(case.kwargs["init_centroids"])
    try:
        rows = np.asarray(got[0]).shape[0] if np.asarray(got[0]).ndim else 0
    except Exception:
        rows = None
    if rows is not None and rows < k:
        return f"{DROP}\ncentroids: expected {k} rows, got {rows}"
    problem = mismatch(tuple(expected), tuple(got), 1e-9, 1e-12, NAMES)
    if problem is None:
        return None
    label = recognise(case, tuple(got), MISTAKES, 1e-9, 1e-12)
    return problem if label is None else f"{label}\n{problem}"


def _blobs(rng, centers, per, spread=0.3):
    import numpy as np

    centers = np.asarray(centers, dtype=np.float64)
    return np.concatenate([c + spread * rng.normal(size=(per, centers.shape[1])) for c in centers])


def cases(seed: int) -> list[Case]:
    """Separated blobs, an empty cluster, exact ties, converged start, one iteration, K = 1, K = N, invalid n_iter."""
    import numpy as np

    fixed = np.random.default_rng(2718)
    c = check_kmeans
    blobs = _blobs(fixed, [[0, 0], [5, 5], [0, 6]], 6)
    line = np.array([[0.0], [1.0], [2.0], [10.0], [11.0], [12.0]])
    ties = np.array([[1.0, 0.0], [3.0, 0.0], [2.0, 0.0], [2.0, 1.0]])
    out = [
        Case("three-blobs", {"x": blobs, "init_centroids": blobs[[0, 1, 2]].copy(), "n_iter": 20}, check=c,
             note="18 points in 3 blobs, started from 3 points of the first blob"),
        Case("empty-cluster", {"x": line, "init_centroids": np.array([[1.0], [11.0], [100.0]]), "n_iter": 10},
             kind="edge", check=c, note="centroid 2 (at 100) never gets a point: it stays at 100"),
        Case("empty-cluster-first", {"x": line, "init_centroids": np.array([[-50.0], [1.0], [11.0]]), "n_iter": 10},
             kind="edge", check=c, note="centroid 0 is empty: dropping it would renumber every label"),
        Case("ties", {"x": ties, "init_centroids": np.array([[2.0, 0.5], [2.0, -0.5], [1.0, 0.0]]), "n_iter": 1},
             kind="edge", check=c, note="points at equal distance from two centroids: the lower index"),
        Case("one-iteration", {"x": line, "init_centroids": np.array([[0.0], [1.0]]), "n_iter": 1}, kind="edge",
             check=c, note="n_iter = 1: one assignment, one move; the labels are those of that assignment"),
        Case("two-iterations", {"x": blobs, "init_centroids": np.array([[-1.0, 0.0], [0.5, 0.5], [0.0, 6.0]]),
                                "n_iter": 2}, check=c, note="stopped before convergence"),
        Case("converged-start", {"x": line, "init_centroids": np.array([[1.0], [11.0]]), "n_iter": 5}, kind="edge",
             check=c, note="already at the means: stops after the second assignment"),
        Case("one-cluster", {"x": blobs, "init_centroids": np.array([[3.0, -2.0]]), "n_iter": 3}, kind="edge",
             check=c, note="K = 1: the centroid is the mean of every point"),
        Case("k-equals-n", {"x": line[:4], "init_centroids": line[:4] + 0.25, "n_iter": 4}, kind="edge", check=c,
             note="K = N: every point its own cluster"),
        Case("n-iter-zero", {"x": line, "init_centroids": np.array([[1.0], [11.0]]), "n_iter": 0}, kind="edge",
             raises="ValueError", note="n_iter < 1"),
    ]
    rng = np.random.default_rng(seed)
    for i in range(3):
        k, d = int(rng.integers(2, 6)), int(rng.integers(1, 4))
        x = _blobs(rng, rng.normal(size=(k, d)) * 4.0, int(rng.integers(2, 8)), spread=1.0)
        init = x[rng.choice(len(x), size=k, replace=False)].copy()
        if i == 2:  # a far-away starting centroid: an empty cluster
            init[-1] = 100.0
        n_iter = int(rng.integers(1, 12))
        out.append(Case(f"random-{i}", {"x": x, "init_centroids": init, "n_iter": n_iter}, kind="random", seed=seed,
                        check=c, note=f"N = {len(x)}, K = {k}, D = {d}, n_iter = {n_iter}"))
    return out


SPEC = ExerciseSpec(cases=cases, result_names=NAMES)
