# exercise: mlp-param-count
# Result files the grader does not expect: wrong types, missing fields, forged arrays, bad numbers.
import json
import os

OUT = os.path.normpath(os.path.join(os.getcwd(), "..", "io", "out"))
FORGED = [
    {"status": "ok"},
    {"status": "ok", "value": {"$nd": "zz"}, "arrays": ["zz"]},
    [1, 2, 3],
    {"status": {"nested": 1}, "value": 3},
    {"status": "ok", "value": {"$float": "1e999"}},
    {"status": "ok", "value": {"$dict": [[[1], 2]]}},
    {"status": "raised", "error": "not a dict"},
    {"status": "ok", "value": 1, "args_after": [1]},
    {"status": "ok", "value": {"$torch": "a0", "dtype": 5}, "arrays": ["a0"]},
    {"status": "ok", "value": 1, "arrays": ["a" * 5000]},
]


def count_mlp_params(layer_sizes, bias=True):
    for i, doc in enumerate(FORGED):
        with open(os.path.join(OUT, f"case-{i:04d}.json"), "w") as f:
            json.dump(doc, f)
    for name in ("case-0001.zz.npy", "case-0008.a0.npy"):
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(b"\x93NUMPY\x01\x00\xff\xff{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999,), }")
    with open(os.path.join(OUT, "ready.json"), "w") as f:
        f.write("{not json")
    os._exit(0)
