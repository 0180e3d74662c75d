"""Reading YAML with line numbers: mappings remember where each key stood.

Uses the C loader when PyYAML has it. Duplicate keys, which PyYAML would silently
overwrite, are reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class LineDict(dict):
    """A mapping from YAML that knows its own line and each key's line (1-based)."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        """The line of ``key``, or of the mapping itself when the key is absent."""
        return self.key_lines.get(key, self.line)


@dataclass(frozen=True)
class YamlProblem:
    """A problem found while reading: its line and message."""

    line: int
    field: str
    message: str


def _loader_class():
    import yaml

    base = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader

    class Loader(base):  # type: ignore[misc, valid-type]
        problems: list[YamlProblem]

    def construct_map(loader, node):  # type: ignore[no-untyped-def]
        loader.flatten_mapping(node)
        result = LineDict()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            try:
                hash(key)
            except TypeError:
                loader.problems.append(YamlProblem(line, "?", "a mapping key must be a plain value"))
                continue
            if key in result:
                loader.problems.append(YamlProblem(line, str(key), "duplicate key"))
            result[key] = loader.construct_object(value_node, deep=True)
            result.key_lines[key] = line
        return result

    Loader.add_constructor("tag:yaml.org,2002:map", construct_map)
    return Loader


_LOADER = None


def _one_line(message: str) -> str:
    return " ".join(message.split())


def read_yaml(path: Path) -> tuple[object, list[YamlProblem]]:
    """Parse ``path``; malformed YAML becomes a problem with its line, never an exception."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [YamlProblem(1, "file", f"not UTF-8 text ({exc.reason})")]
    except OSError as exc:
        return None, [YamlProblem(1, "file", f"cannot read: {exc.strerror or exc}")]
    return parse_yaml(text)


def parse_yaml(text: str) -> tuple[object, list[YamlProblem]]:
    """Parse YAML text already read; malformed YAML becomes a problem with its line, never an exception."""
    import yaml

    global _LOADER
    if _LOADER is None:
        _LOADER = _loader_class()
    loader = _LOADER(text)
    loader.problems = []
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        what = exc.problem or exc.context or "malformed YAML"
        return None, [YamlProblem(line, "yaml", f"malformed YAML: {_one_line(what)}")]
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (NUL, control codes)
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        char = chr(exc.character) if isinstance(exc.character, int) else exc.character
        return None, [YamlProblem(line, "yaml", f"malformed YAML: character {char!r} is not allowed")]
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError) as exc:
        return None, [YamlProblem(1, "yaml", f"malformed YAML: {_one_line(str(exc))}")]
    finally:
        loader.dispose()
    return data, loader.problems
