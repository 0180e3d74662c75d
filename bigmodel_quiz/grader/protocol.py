"""The files between the grader and the submission's process: values as JSON + ``.npy``.

Shared by both sides. The child (``harness.py``) loads this file by path, so it must
import nothing from the package and nothing heavy at module level: NumPy is imported
when an array is met, torch only when a tensor is met (and torch is already loaded).

A value becomes a JSON tree plus a dict of arrays. JSON covers ``None``, bools, ints,
finite floats, strings and lists; everything else is a one-key object whose key starts
with ``$``: ``$tuple``, ``$dict`` (pairs, so keys keep their types), ``$float``
(nan/inf), ``$nd`` (an array, by key), ``$np`` (a NumPy scalar, as a 0-d array),
``$rng`` (a ``np.random.Generator``), ``$torch`` (a tensor, with dtype and device),
``$call`` (a trusted builder the child runs), ``$unsupported`` (a value that cannot
travel, described). Nothing is ever pickled: arrays of Python objects are refused and
files are read back with ``allow_pickle=False``. Each array is its own
``.npy`` file; a record's JSON lists its keys and is written last.
"""

from __future__ import annotations

import json
import math
import os
import stat
import sys
from dataclasses import dataclass
from typing import Any, Callable, Union, cast

VERSION = 1
START = "start.json"  # written before the child starts: what to import
JOB = "job.json"  # written when the child may go: the cases
INPUTS = "inputs"  # the stem of the input arrays
OUTPUT_LIMIT = 256 * 1024 * 1024  # the most a result file may hold, in bytes
TOTAL_LIMIT = 512 * 1024 * 1024  # the most the grader reads back from one run, in bytes
READ_TIME_S = 10.0  # the most time the grader spends reading one run's results
MAX_ARRAYS = 4096  # arrays in one record
INT_BITS = 64  # a returned integer must fit in a signed 64-bit integer


class ProtocolError(Exception):
    """A file or a value does not follow the protocol."""


class Budget:
    """What the grader may still spend reading one run's results: bytes and time."""

    def __init__(self, total: int = TOTAL_LIMIT, seconds: float = READ_TIME_S) -> None:
        import time

        self.left = total
        self.deadline = time.monotonic() + seconds

    def charge(self, nbytes: int, name: str) -> None:
        """Count ``nbytes`` read from ``name``; ProtocolError once a bound is passed."""
        import time

        if time.monotonic() > self.deadline:
            raise ProtocolError("reading the results took too long")
        if nbytes > self.left:
            raise ProtocolError(f"{name} would take the results over {TOTAL_LIMIT // (1024 * 1024)} MB in all")
        self.left -= nbytes


def check_numbers(value: Any, depth: int = 0) -> None:
    """ProtocolError unless every integer in a decoded value fits in 64 bits (arrays carry their own dtype)."""
    if depth > 100:
        raise ProtocolError("the value is nested too deeply")
    if type(value) is int:
        if not -(1 << (INT_BITS - 1)) <= value < (1 << (INT_BITS - 1)):
            raise ProtocolError(f"a returned integer does not fit in {INT_BITS} bits ({value.bit_length()} bits)")
    elif isinstance(value, (list, tuple)):
        for v in value:
            check_numbers(v, depth + 1)
    elif isinstance(value, dict):
        for k, v in value.items():
            check_numbers(k, depth + 1)
            check_numbers(v, depth + 1)


@dataclass(frozen=True)
class TensorData:
    """A torch tensor as the parent sees it: the values, its dtype and its device."""

    array: Any
    dtype: str
    device: str
    requires_grad: bool = False


@dataclass(frozen=True)
class Unsupported:
    """A returned value that could not be sent back (e.g. a generator or an object array)."""

    type_name: str
    detail: str


def result_name(index: int, rank: int = 0) -> str:
    """The stem of case ``index``'s result files (rank > 0 only for distributed cases)."""
    return f"case-{index:04d}" if rank == 0 else f"case-{index:04d}-rank-{rank}"


# ---------------------------------------------------------------------------- encode


class Encoder:
    """Turns values into a JSON tree, collecting arrays under generated keys."""

    def __init__(self, *, strict: bool = True, prefix: str = "a") -> None:
        self.arrays: dict[str, Any] = {}
        self.strict = strict  # parent: refuse what cannot travel; child: describe it
        self._prefix = prefix

    def _key(self) -> str:
        return f"{self._prefix}{len(self.arrays)}"

    def _unsupported(self, value: Any, detail: str) -> dict[str, Any]:
        name = type(value).__module__ + "." + type(value).__qualname__
        name = name.removeprefix("builtins.")
        if self.strict:
            raise ProtocolError(f"cannot encode {name}: {detail}")
        return {"$unsupported": name, "detail": detail}

    def encode(self, value: Any, depth: int = 0) -> Any:
        """The JSON tree of ``value``."""
        if depth > 64:
            return self._unsupported(value, "nested more than 64 levels deep")
        if value is None or isinstance(value, (bool, str)):
            return value
        if type(value) is int:
            return value
        if type(value) is float:
            if math.isfinite(value):
                return value
            return {"$float": "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")}
        if type(value) is list:
            return [self.encode(v, depth + 1) for v in value]
        if type(value) is tuple:
            return {"$tuple": [self.encode(v, depth + 1) for v in value]}
        if type(value) is dict:
            return {"$dict": [[self.encode(k, depth + 1), self.encode(v, depth + 1)] for k, v in value.items()]}
        np = sys.modules.get("numpy")
        if np is not None:
            if isinstance(value, np.ndarray):
                return self._array(np.asarray(value), "$nd", value)
            if isinstance(value, np.generic):
                return self._array(np.asarray(value), "$np", value)
            if isinstance(value, np.random.Generator):
                bit = value.bit_generator
                return {"$rng": type(bit).__name__, "state": self.encode(bit.state, depth + 1)}
        torch = sys.modules.get("torch")
        if torch is not None and isinstance(value, torch.Tensor):
            return self._tensor(value, torch)
        if isinstance(value, (bool, int, float, str, list, tuple, dict)):
            # A subclass (an IntEnum, a namedtuple, ...): sent as its plain base type.
            for base in (bool, int, float, str, list, tuple, dict):
                if isinstance(value, base):
                    try:
                        return self.encode(cast(Any, base)(value), depth)
                    except Exception as exc:  # a hostile subclass may raise anywhere
                        return self._unsupported(value, f"could not be converted to {base.__name__}: {exc}")
        return self._unsupported(value, "not a number, string, list, tuple, dict, array or tensor")

    def _array(self, arr: Any, tag: str, original: Any) -> dict[str, Any]:
        if arr.dtype.hasobject:
            return self._unsupported(original, "an array of Python objects (dtype=object) cannot be compared")
        key = self._key()
        self.arrays[key] = arr
        return {tag: key}

    def _tensor(self, value: Any, torch: Any) -> dict[str, Any]:
        t = value.detach()
        dtype = str(t.dtype).removeprefix("torch.")
        if t.is_complex() or t.dtype in (torch.bfloat16,):
            t = t.to(torch.complex128 if t.is_complex() else torch.float32)
        key = self._key()
        self.arrays[key] = t.cpu().numpy()
        return {"$torch": key, "dtype": dtype, "device": str(value.device), "requires_grad": bool(value.requires_grad)}


def encode(value: Any, *, strict: bool = True) -> tuple[Any, dict[str, Any]]:
    """(JSON tree, arrays) of one value."""
    enc = Encoder(strict=strict)
    return enc.encode(value), enc.arrays


# ---------------------------------------------------------------------------- decode


class Decoder:
    """Rebuilds values from a JSON tree and its arrays.

    ``tensors`` says what ``$torch`` becomes: ``"data"`` (the parent: a TensorData) or a
    device string (the child: a real tensor there). ``builders`` maps ``$call`` names to
    trusted functions (the child only).
    """

    def __init__(self, arrays: Any, *, tensors: str = "data", builders: dict[str, Any] | None = None) -> None:
        self.arrays = arrays
        self.tensors = tensors
        self.builders = builders or {}

    def _get(self, key: Any) -> Any:
        if not isinstance(key, str) or key not in self.arrays:
            raise ProtocolError(f"missing array {key!r}")
        return self.arrays[key]

    def decode(self, tree: Any) -> Any:
        """The value of ``tree``."""
        if tree is None or isinstance(tree, (bool, int, float, str)):
            return tree
        if isinstance(tree, list):
            return [self.decode(v) for v in tree]
        if not isinstance(tree, dict) or len(tree) == 0:
            raise ProtocolError(f"unexpected node {type(tree).__name__}")
        tag = next(iter(tree))
        if tag == "$tuple":
            return tuple(self.decode(v) for v in _list(tree[tag]))
        if tag == "$dict":
            out = {}
            for pair in _list(tree[tag]):
                if not isinstance(pair, list) or len(pair) != 2:
                    raise ProtocolError("a $dict entry is not a pair")
                key = self.decode(pair[0])
                try:
                    out[key] = self.decode(pair[1])
                except TypeError:  # an unhashable key
                    raise ProtocolError("a $dict key is not hashable") from None
            return out
        if tag == "$float":
            if tree[tag] not in ("nan", "inf", "-inf"):
                raise ProtocolError(f"bad $float {tree[tag]!r}")
            return float(tree[tag])
        if tag == "$nd":
            return self._get(tree[tag])
        if tag == "$np":
            arr = self._get(tree[tag])
            if getattr(arr, "shape", None) != ():
                raise ProtocolError("a $np scalar is not 0-d")
            return arr[()]
        if tag == "$rng":
            return self._rng(tree)
        if tag == "$torch":
            return self._tensor(tree)
        if tag == "$call":
            name = tree[tag]
            if name not in self.builders:
                raise ProtocolError(f"unknown builder {name!r}")
            return self.builders[name](**self.decode(tree.get("kwargs", {"$dict": []})))
        if tag == "$unsupported":
            return Unsupported(str(tree[tag]), str(tree.get("detail", "")))
        raise ProtocolError(f"unknown tag {tag!r}")

    def _rng(self, tree: dict[str, Any]) -> Any:
        import numpy as np

        name = tree["$rng"]
        if name not in ("PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64"):
            raise ProtocolError(f"unknown bit generator {name!r}")
        bit = getattr(np.random, name)()
        bit.state = self.decode(tree["state"])
        return np.random.Generator(bit)

    def _tensor(self, tree: dict[str, Any]) -> Any:
        arr = self._get(tree["$torch"])
        dtype, device = str(tree.get("dtype", "")), str(tree.get("device", "cpu"))
        if self.tensors == "data":
            return TensorData(arr, dtype, device, bool(tree.get("requires_grad", False)))
        import torch

        t = torch.from_numpy(arr.copy()).to(getattr(torch, dtype, None) or torch.from_numpy(arr).dtype)
        t = t.to(self.tensors if device == "grading" else device)
        if tree.get("requires_grad"):
            t.requires_grad_(True)
        return t


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ProtocolError("expected a list")
    return value


def decode(tree: Any, arrays: Any, **kwargs: Any) -> Any:
    """The value of a JSON tree and its arrays."""
    return Decoder(arrays, **kwargs).decode(tree)


# ---------------------------------------------------------------------------- files


Folder = Union[str, int]  # a path, or a directory file descriptor (the grader's side)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _at(folder: Folder, name: str) -> tuple[str, int | None]:
    """(path, dir_fd) naming ``name`` inside ``folder``."""
    if isinstance(folder, int):
        return name, folder
    return os.path.join(folder, name), None


def _write_new(folder: Folder, name: str, write: Callable[[Any], None]) -> None:
    # A fresh, unguessable temporary name opened with O_EXCL|O_NOFOLLOW, then renamed
    # over ``name``: a link planted by the child is replaced, never followed.
    tmp_path, dir_fd = _at(folder, f".{name}.{os.urandom(8).hex()}.tmp")
    fd = os.open(tmp_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o644, dir_fd=dir_fd)
    with os.fdopen(fd, "wb") as f:
        write(f)
    os.replace(tmp_path, _at(folder, name)[0], src_dir_fd=dir_fd, dst_dir_fd=dir_fd)


def write_json(folder: Folder, name: str, doc: Any) -> None:
    """Write JSON atomically (a reader sees the old file or the whole new one)."""
    data = json.dumps(doc, allow_nan=False).encode("utf-8")
    _write_new(folder, name, lambda f: f.write(data))


def array_name(stem: str, key: str) -> str:
    """The file name of array ``key`` of record ``stem``."""
    return f"{stem}.{key}.npy"


def save_arrays(folder: Folder, stem: str, arrays: dict[str, Any]) -> list[str]:
    """Write each array as ``<stem>.<key>.npy`` (plain ``.npy``: no zip to unpack); returns the keys."""
    if not arrays:
        return []
    import numpy as np

    for key, arr in arrays.items():
        _write_new(folder, array_name(stem, key), _array_writer(np, arr))
    return list(arrays)


def _array_writer(np: Any, arr: Any) -> Callable[[Any], None]:
    """Writes ``arr`` as ``.npy`` (bound now: the caller loops over arrays)."""
    return lambda f: np.lib.format.write_array(f, np.asanyarray(arr), allow_pickle=False)


def _open_regular(folder: Folder, name: str, limit: int, budget: Budget | None = None) -> Any:
    # The child could leave a symlink, a FIFO (a reader would block), a huge file or one
    # file hard-linked under many names where a result belongs: refuse them all.
    path, dir_fd = _at(folder, name)
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0), dir_fd=dir_fd)
    except OSError as exc:
        raise ProtocolError(f"{name} cannot be opened: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ProtocolError(f"{name} is not a regular file")
        if info.st_nlink != 1:
            raise ProtocolError(f"{name} has {info.st_nlink} names (a hard link)")
        if info.st_size > limit:
            raise ProtocolError(f"{name} is larger than {limit} bytes")
        if budget is not None:
            budget.charge(info.st_size, name)
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def exists(folder: Folder, name: str) -> bool:
    """True when ``name`` is in ``folder`` (a link counts: reading it will refuse it)."""
    path, dir_fd = _at(folder, name)
    try:
        os.stat(path, dir_fd=dir_fd, follow_symlinks=False)
    except OSError:
        return False
    return True


def read_json(folder: Folder, name: str, limit: int = 64 * 1024 * 1024, budget: Budget | None = None) -> Any:
    """A JSON file, refusing links, non-regular files and files over ``limit`` bytes."""
    with _open_regular(folder, name, limit, budget) as f:
        data = f.read(limit + 1)
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise ProtocolError(f"{name} is not valid JSON: {exc}") from None


def load_arrays(folder: Folder, stem: str, keys: Any, limit: int = OUTPUT_LIMIT,
                budget: Budget | None = None) -> dict[str, Any]:
    """The arrays ``keys`` of record ``stem``, read without pickle, each within ``limit`` bytes."""
    if not keys:
        return {}
    import numpy as np

    if not isinstance(keys, list) or not all(isinstance(k, str) and k.isalnum() and len(k) < 32 for k in keys):
        raise ProtocolError("a record's array list is malformed")
    if len(keys) > MAX_ARRAYS or len(set(keys)) != len(keys):
        raise ProtocolError(f"a record lists {len(keys)} arrays (at most {MAX_ARRAYS}, each once)")
    out = {}
    for key in keys:
        name = array_name(stem, key)
        with _open_regular(folder, name, limit, budget) as f:
            if f.read(6) != b"\x93NUMPY":
                raise ProtocolError(f"{name} is not a .npy file")
            f.seek(0)
            try:
                out[key] = np.load(f, allow_pickle=False)
            except Exception as exc:  # a truncated or forged file
                raise ProtocolError(f"{name} is not a readable .npy: {exc}") from None
    return out
