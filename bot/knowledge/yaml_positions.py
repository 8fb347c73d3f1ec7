"""YAML → dicts and lists that remember where each key, value and item stands in the file.

Parsed with PyYAML's libyaml-based composer (fast, and it keeps the positions of every node);
the Python values are built here, so that a key given twice in one mapping is an error (loaders
silently keep the last one) and dates stay text (an impossible date becomes a positioned error
later, not an exception without a line number).
"""

from __future__ import annotations

from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeLoader as _Loader

_BOOL = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}


class Positions:
    """0-based line and column of a mapping or sequence, of its keys, values and items."""

    __slots__ = ("line", "col", "keys", "values", "items")

    def __init__(self, line: int, col: int, keys: dict | None = None, values: dict | None = None,
                 items: list | None = None):
        # A plain class with slots: a 10k-entry faq.yaml has 200,000 nodes, and a dataclass with three
        # default factories per node cost a third of building the values.
        self.line, self.col = line, col
        self.keys = {} if keys is None else keys
        self.values = {} if values is None else values
        self.items = [] if items is None else items

    def key(self, key: Any) -> tuple[int, int]:
        return self.keys[key]

    def value(self, key: Any) -> tuple[int, int]:
        return self.values[key]

    def item(self, index: int) -> tuple[int, int]:
        return self.items[index]


class PosDict(dict):
    __slots__ = ("lc",)
    lc: Positions


class PosList(list):
    __slots__ = ("lc",)
    lc: Positions


class DuplicateKey(yaml.MarkedYAMLError):
    """A key given twice in one mapping; `context_mark` is the first, `problem_mark` the second."""

    def __init__(self, key: str, first: yaml.Mark, second: yaml.Mark):
        super().__init__(context=f'found duplicate key "{key}"', context_mark=first,
                         problem=f'duplicate key "{key}"', problem_mark=second)
        self.key = key


def load(text: str) -> Any:
    node = yaml.compose(text, Loader=_Loader)
    return None if node is None else _build(node)


_STR = "tag:yaml.org,2002:str"


def _scalar(node: yaml.ScalarNode) -> Any:
    value, tag = node.value, node.tag
    if tag == _STR:
        return value
    if tag.endswith(":int"):
        try:
            return int(value.replace("_", ""), 0) if value[:2].lower() in ("0x", "0o") else int(value.replace("_", ""))
        except ValueError:
            return value
    if tag.endswith(":float"):
        try:
            return float(value.replace("_", ""))
        except ValueError:
            return value
    if tag.endswith(":bool"):
        return _BOOL.get(value.lower(), value)
    if tag.endswith(":null"):
        return None
    return value  # str, and timestamps kept as text


def _build(node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    mark = node.start_mark
    if isinstance(node, yaml.SequenceNode):
        out = PosList([_build(item) for item in node.value])
        out.lc = Positions(mark.line, mark.column, items=[(m.line, m.column) for m in
                                                          (item.start_mark for item in node.value)])
        return out
    out = PosDict()
    keys: dict = {}
    values: dict = {}
    out.lc = Positions(mark.line, mark.column, keys, values)
    first: dict[Any, yaml.Mark] = {}
    for key_node, value_node in node.value:
        key = _scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else _build(key_node)
        key_mark = key_node.start_mark
        if isinstance(key, (list, dict)):
            raise yaml.MarkedYAMLError(problem="a key must be a simple value", problem_mark=key_mark)
        if key in first:
            raise DuplicateKey(str(key), first[key], key_mark)
        first[key] = key_mark
        out[key] = _build(value_node)
        keys[key] = (key_mark.line, key_mark.column)
        value_mark = value_node.start_mark
        values[key] = (value_mark.line, value_mark.column)
    return out
