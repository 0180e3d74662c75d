"""The grader's file protocol: values survive the trip, forged files are refused, nothing is pickled."""

from __future__ import annotations

import json
import os
import sys

import numpy as np
import pytest

from bigmodel_quiz.grader import protocol
from bigmodel_quiz.grader.protocol import Decoder, Encoder, ProtocolError, TensorData, Unsupported


def roundtrip(value, tmp_path, *, strict=True, tensors="data"):
    enc = Encoder(strict=strict)
    tree = enc.encode(value)
    keys = protocol.save_arrays(str(tmp_path), "rec", enc.arrays)
    protocol.write_json(str(tmp_path), "rec.json", {"tree": tree, "arrays": keys})
    doc = protocol.read_json(str(tmp_path), "rec.json")
    arrays = protocol.load_arrays(str(tmp_path), "rec", doc["arrays"])
    return Decoder(arrays, tensors=tensors).decode(doc["tree"])


def test_plain_values_survive(tmp_path):
    value = {"a": [1, 2.5, None, True, "x"], 3: (1, (2, 3)), "big": 2**70, "nan": float("nan"), "inf": -float("inf")}
    back = roundtrip(value, tmp_path)
    assert back["a"] == [1, 2.5, None, True, "x"]
    assert back[3] == (1, (2, 3)) and isinstance(back[3], tuple)
    assert back["big"] == 2**70
    assert np.isnan(back["nan"]) and back["inf"] == -float("inf")
    assert list(back) == list(value)  # key order and key types kept


def test_arrays_and_numpy_scalars_keep_dtype_and_shape(tmp_path):
    value = (np.arange(6, dtype=np.int8).reshape(2, 3), np.float32(1.5), np.bool_(True), np.zeros((0, 4)))
    arr, f32, flag, empty = roundtrip(value, tmp_path)
    assert arr.dtype == np.int8 and arr.shape == (2, 3) and arr.tolist() == [[0, 1, 2], [3, 4, 5]]
    assert isinstance(f32, np.float32) and f32 == 1.5
    assert isinstance(flag, np.bool_) and flag
    assert empty.shape == (0, 4)


def test_generator_state_travels(tmp_path):
    rng = np.random.default_rng(42)
    rng.random(3)
    back = roundtrip({"rng": rng}, tmp_path)["rng"]
    assert isinstance(back, np.random.Generator)
    assert back.random() == rng.random()


def test_subclasses_travel_as_their_base_type(tmp_path):
    from collections import OrderedDict, namedtuple
    from enum import IntEnum

    class Level(IntEnum):
        HIGH = 3

    pair = namedtuple("pair", "a b")
    back = roundtrip([Level.HIGH, pair(1, 2), OrderedDict(x=1)], tmp_path)
    assert back == [3, (1, 2), {"x": 1}] and type(back[0]) is int and type(back[2]) is dict


def test_unsupported_values_are_described_by_the_child_and_refused_by_the_parent(tmp_path):
    gen = (i for i in range(3))
    back = roundtrip({"g": gen, "o": np.array([object()], dtype=object)}, tmp_path, strict=False)
    assert isinstance(back["g"], Unsupported) and back["g"].type_name == "generator"
    assert isinstance(back["o"], Unsupported) and "dtype=object" in back["o"].detail
    with pytest.raises(ProtocolError):
        Encoder(strict=True).encode(gen)


def test_torch_tensors_carry_dtype_and_device(tmp_path):
    torch = pytest.importorskip("torch")
    t = torch.arange(4, dtype=torch.float32).reshape(2, 2)
    back = roundtrip({"t": t, "b": t.to(torch.bfloat16)}, tmp_path)
    assert isinstance(back["t"], TensorData) and back["t"].dtype == "float32" and back["t"].device == "cpu"
    assert back["t"].array.tolist() == [[0, 1], [2, 3]]
    assert back["b"].dtype == "bfloat16"  # sent as float32 values, named by its own dtype
    again = roundtrip({"t": t}, tmp_path, tensors="cpu")["t"]
    assert isinstance(again, torch.Tensor) and again.dtype == torch.float32 and again.tolist() == t.tolist()


def test_builders_run_only_when_named():
    tree = {"$call": "make", "kwargs": {"$dict": [["n", 3]]}}
    assert Decoder({}, builders={"make": lambda n: [0] * n}).decode(tree) == [0, 0, 0]
    with pytest.raises(ProtocolError, match="unknown builder"):
        Decoder({}).decode(tree)


@pytest.mark.parametrize(
    "tree",
    [{"$nope": 1}, {"$nd": "missing"}, {"$float": "zero"}, {"$dict": [[1]]}, {"$dict": [[[1], 2]]}, {}, {"$tuple": 5},
     {"$rng": "RandomState", "state": {}}],
)
def test_malformed_trees_are_protocol_errors(tree):
    with pytest.raises(ProtocolError):
        Decoder({}).decode(tree)


def test_read_json_refuses_links_fifos_and_huge_files(tmp_path):
    target = tmp_path / "real.json"
    target.write_text("{}")
    (tmp_path / "link.json").symlink_to(target)
    with pytest.raises(ProtocolError, match="cannot be opened"):
        protocol.read_json(str(tmp_path), "link.json")
    os.link(target, tmp_path / "hard.json")
    with pytest.raises(ProtocolError, match="hard link"):
        protocol.read_json(str(tmp_path), "hard.json")  # one big array under many names: read once at most
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "fifo.json")
        with pytest.raises(ProtocolError, match="not a regular file"):
            protocol.read_json(str(tmp_path), "fifo.json")  # would block forever if opened for reading
    (tmp_path / "big.json").write_text("[" + "1," * 1000 + "1]")
    with pytest.raises(ProtocolError, match="larger than"):
        protocol.read_json(str(tmp_path), "big.json", limit=100)
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(ProtocolError, match="not valid JSON"):
        protocol.read_json(str(tmp_path), "deep.json")


def test_a_budget_bounds_the_bytes_read_back_and_integers_must_fit_64_bits(tmp_path):
    for i in range(3):
        (tmp_path / f"r{i}.json").write_text("[" + "1," * 400 + "1]")
    budget = protocol.Budget(total=2000)
    protocol.read_json(str(tmp_path), "r0.json", budget=budget)
    protocol.read_json(str(tmp_path), "r1.json", budget=budget)
    with pytest.raises(ProtocolError, match="in all"):
        protocol.read_json(str(tmp_path), "r2.json", budget=budget)
    with pytest.raises(ProtocolError, match="took too long"):
        protocol.Budget(seconds=-1).charge(1, "x")
    protocol.check_numbers([2**63 - 1, -(2**63), {"a": (1, 2.5e300)}])
    for bad in (2**63, [10**400], {"k": -(2**63) - 1}):
        with pytest.raises(ProtocolError, match="64 bits"):
            protocol.check_numbers(bad)


def test_load_arrays_never_unpickles(tmp_path):
    np.save(tmp_path / "rec.a0.npy", np.array([{"x": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(ProtocolError, match="not a readable .npy"):
        protocol.load_arrays(str(tmp_path), "rec", ["a0"])
    with open(tmp_path / "rec.a1.npy", "wb") as f:
        np.savez(f, x=np.zeros(3))  # a zip where a .npy belongs
    with pytest.raises(ProtocolError, match="not a .npy"):
        protocol.load_arrays(str(tmp_path), "rec", ["a1"])
    (tmp_path / "rec.a2.npy").write_bytes(b"\x93NUMPY" + b"\x01\x00" + b"garbage")
    with pytest.raises(ProtocolError):
        protocol.load_arrays(str(tmp_path), "rec", ["a2"])
    with pytest.raises(ProtocolError, match="malformed"):
        protocol.load_arrays(str(tmp_path), "rec", ["../../etc/passwd"])


def test_load_arrays_bounds_the_size(tmp_path):
    protocol.save_arrays(str(tmp_path), "rec", {"a0": np.zeros(1000)})
    with pytest.raises(ProtocolError, match="larger than"):
        protocol.load_arrays(str(tmp_path), "rec", ["a0"], limit=1000)


def test_writes_are_atomic_and_json_is_strict(tmp_path):
    protocol.write_json(str(tmp_path), "x.json", {"a": 1})
    assert json.loads((tmp_path / "x.json").read_text()) == {"a": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]  # no temporary file left
    with pytest.raises(ValueError):
        protocol.write_json(str(tmp_path), "y.json", {"a": float("nan")})  # NaN goes through $float


@pytest.mark.skipif(os.open not in os.supports_dir_fd, reason="no directory file descriptors here")
def test_a_planted_link_is_replaced_never_followed(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    box = tmp_path / "box"
    box.mkdir()
    (box / "job.json").symlink_to(victim)  # what a child could plant before the grader writes
    fd = os.open(box, os.O_RDONLY | os.O_DIRECTORY)
    try:
        protocol.write_json(fd, "job.json", {"cases": []})
        box.rename(tmp_path / "moved")  # and a folder swapped for a link later on
        (tmp_path / "box").symlink_to(tmp_path)
        protocol.write_json(fd, "job2.json", {})
        assert protocol.read_json(fd, "job.json") == {"cases": []}
    finally:
        os.close(fd)
    assert victim.read_text() == "precious"
    assert not (box / "job.json").is_symlink() and (tmp_path / "moved" / "job2.json").is_file()


def test_protocol_imports_nothing_heavy():
    import subprocess

    code = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('p', {protocol.__file__!r})\n"
        "m = importlib.util.module_from_spec(spec); sys.modules['p'] = m; spec.loader.exec_module(m)\n"
        "print(sorted(n for n in ('numpy', 'torch', 'yaml', 'bigmodel_quiz') if n in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-I", "-S", "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
