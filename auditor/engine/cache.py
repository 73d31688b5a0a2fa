"""A cache of loaded rule packs on disk, holding data only: a planted or damaged file is a miss, never code.

Loading the built-in packs (parsing every expression, checking every name and type) takes
several tenths of a second, longer than checking a sheet; a gate run on one changed sheet
should not pay it each time. The loaded rules are kept as JSON under the user's cache directory
(``$AUDITOR_CACHE_DIR``, else ``$XDG_CACHE_HOME/auditor``, else ``~/.cache/auditor``), named by a
hash of everything the result depends on: the Python and auditor versions, the size and
modification time of auditor's own engine and model sources, and the exact bytes of every pack
and vocabulary file. ``AUDITOR_NO_CACHE=1`` (or ``AUDITOR_CACHE_DIR=""``) turns the cache off.

What a cache file can do is bounded three ways, since CI systems restore cache directories from
shared storage and anyone who can write there could plant a file:

- **Data only.** The file is JSON whose every object is one tagged value: a tuple, a dict, an
  exact number (Fraction, Decimal), a severity, a node of a rule expression's tree (its kind and
  items, rebuilt as that kind's class of :mod:`auditor.engine.expr`, or a reference to an equal
  node written before it), or one of a few engine
  classes named in :func:`_classes`, built through their own constructors. Nothing in it names a
  module, a function or code; the rules' code is generated afresh from the checked trees at each load.
  A rule's documentation (``RuleDoc``, two thirds of the file) is kept as a string of the same
  tagged JSON, decoded through the same hook when a field of it is first read
  (:meth:`~auditor.engine.doc.RuleDoc.later`): most runs never read it.
- **Signed by its writer.** Its first line is an HMAC-SHA256 of the rest under a per-user
  secret kept outside the cache directory (``$XDG_STATE_HOME/auditor/cache-secret``, else
  ``~/.local/state/auditor/cache-secret``), which must be a regular file owned by the user and
  readable by nobody else. A file the user's own runs did not write fails the check before any
  of it is parsed: a planted file cannot quietly weaken a rule (an ``assert`` made ``true``),
  which plain JSON alone would allow. Where the secret cannot be kept safely, the cache is off.
  (A CI job that restores only the cache directory, not the secret, starts with misses.)
- **Checked before use.** The key is stored inside and compared; the file must be a regular
  file (no FIFO, device or symlink) of at most :data:`MAX_BYTES`. Anything else (an unwritable
  directory, a damaged, foreign, oversized or mismatched file) is a miss: the packs are loaded
  as usual and nothing fails.

The cross-document rules (those that name ``사업``) are kept apart in the same signed file: their
expression trees are more than half of it, and a run with one document never runs them. A load
(:func:`load_parts`) decodes every other rule, and of each cross rule only what selecting,
configuring and documenting it reads (code, name, severity, params, doc …); their trees are
decoded when a run has a second document (:meth:`Deferred.trees`, through
:meth:`auditor.engine.RuleSet.complete`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

# _secret, _signature and secret_path stay importable from here (the tests sign files with them)
from auditor.signed import _secret, _signature, cache_dir, read_signed, secret_path, write_signed  # noqa: F401

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["cache_dir", "cache_key", "load", "load_parts", "store", "Deferred", "HEAVY", "MAX_BYTES"]

#: Bump when the stored shape changes in a way the source hash would not show.
FORMAT = "auditor-rules/5"
#: The fields of a cross-document rule kept on the file's second line, decoded only when a run needs them:
#: its expression trees and templates. Everything else of the rule is on the first line.
HEAVY = ("when", "assertion", "actual", "expected", "at", "related", "show_actual", "show_expected", "key",
         "message_ko", "message_en")
#: The largest cache file read (the built-in packs take about 100 KB).
MAX_BYTES = 16 * 1024 * 1024
_PACKAGE = Path(__file__).resolve().parent.parent
#: The sources a loaded rule set is made of: the engine, and the model it names.
_SOURCES = ("engine", "model.py", "source.py", "findings.py", "crossdoc/model.py")


def _source_files() -> list[Path]:
    files: list[Path] = []
    for name in _SOURCES:
        path = _PACKAGE / name
        files.extend(sorted(path.glob("*.py")) if path.is_dir() else [path])
    return files


def cache_key(files: Sequence[Path], extra: Sequence[str] = ()) -> str | None:
    """The name of the cached rule set made of ``files`` (packs and vocabularies, in load order)."""
    from auditor import __version__

    digest = hashlib.sha256()
    for part in (FORMAT, sys.version, __version__, *extra):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    try:
        for path in _source_files():
            st = path.stat()
            digest.update(f"{path.name}:{st.st_size}:{st.st_mtime_ns}\0".encode())
        for path in files:
            digest.update(os.fsencode(os.path.abspath(path)) + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    except OSError:
        return None  # a file that cannot be read: let the loader report it
    return digest.hexdigest()


# --- the data format ---------------------------------------------------------------------------


def _classes() -> dict[str, type]:
    """The only classes a cache file may name, by name: what a loaded rule set is made of."""
    from auditor.engine.errors import PackWarning
    from auditor.engine.rule import Rule, Template
    from auditor.engine.doc import Example, RuleDoc

    return {cls.__name__: cls for cls in (Rule, Template, RuleDoc, Example, PackWarning)}


def _encode(value: Any, classes: dict[type, str], nodes: dict[tuple, int]) -> Any:
    """``value`` as JSON data: every object a one-key tag (see the module docstring).

    A node of a rule's tree is written in full once, as ``{"n": [kind, fields…]}``; a node equal
    to one written before is ``{"r": i}``, the ``i``-th node written in full (counted as each is
    finished, its own nodes first: the order in which the reader finishes them too). A rule set's
    trees share most of their subtrees (a binding used in several expressions), so the file holds
    each once and the reader makes each once."""
    kind = type(value)
    if value is None or kind is bool or kind is int or kind is str:
        return value
    if kind is list:
        return [_encode(x, classes, nodes) for x in value]
    if kind is tuple:
        return {"t": [_encode(x, classes, nodes) for x in value]}
    if classes.get(kind) == _NODE:  # a node of a rule's tree: its kind first, then its fields
        found = nodes.get(value)
        if found is not None:
            return {"r": found}
        written = {"n": [_encode(x, classes, nodes) for x in value]}
        nodes[value] = len(nodes)
        return written
    if kind is dict:
        return {"d": [[_encode(k, classes, nodes), _encode(v, classes, nodes)] for k, v in value.items()]}
    if kind is Fraction:
        return {"q": [value.numerator, value.denominator]}
    if kind is Decimal:
        return {"m": str(value)}
    if kind is _Light:  # a cross rule without its trees (the first line of a file: dump_file)
        rule = value.rule
        return {"o": [classes[type(rule)], [[n, _encode(getattr(rule, n), classes, nodes)] for n in fields_of(rule)
                                             if n not in HEAVY]]}
    name = classes.get(kind)
    if name == "RuleDoc":  # kept as its own JSON text, decoded when first read (RuleDoc.later)
        whole = {"o": [name, [[n, _encode(getattr(value, n), classes, {})] for n in fields_of(value)]]}
        return {"D": json.dumps(whole, ensure_ascii=False, separators=(",", ":"))}
    if name is not None:
        return {"o": [name, [[n, _encode(getattr(value, n), classes, nodes)] for n in fields_of(value)]]}
    from auditor.findings import Severity

    if kind is Severity:
        return {"s": value.value}
    raise TypeError(f"a cached rule set cannot hold a {kind.__name__}")


def _decoder(classes: dict[str, type]) -> Any:
    """The ``object_hook`` that turns tagged JSON objects back into values, and refuses any other."""
    from auditor.engine.expr import make
    from auditor.findings import Severity

    same: dict[tuple, tuple] = {}
    nodes: list[tuple] = []  # the nodes written in full, in the order they were finished

    def hook(obj: dict[str, Any]) -> Any:
        if len(obj) != 1:
            raise ValueError("not a tagged value")
        (tag, body), = obj.items()
        if tag == "r" and type(body) is int and 0 <= body < len(nodes):
            return nodes[body]
        if tag == "n" and type(body) is list:
            made = make(body)  # ValueError for what is not a node
            nodes.append(made)
            return made
        if tag == "t" and type(body) is list:
            made = tuple(body)
            try:  # equal tuples are one object again, as the loader made them (intern_tree)
                return same.setdefault(made, made)
            except TypeError:
                return made
        if tag == "d" and type(body) is list:
            return {_key(k): v for k, v in body}
        if tag == "q" and type(body) is list and len(body) == 2 and all(type(x) is int for x in body):
            return Fraction(body[0], body[1])
        if tag == "m" and type(body) is str:
            return Decimal(body)
        if tag == "s" and type(body) is str:
            return Severity(body)
        if tag == "o" and type(body) is list and len(body) == 2:
            cls = classes[body[0]]  # KeyError for any other name: a miss
            return cls(**{str(name): field for name, field in body[1]})
        if tag == "D" and type(body) is str:
            return classes["RuleDoc"].later(functools.partial(_rule_doc, body, classes))
        raise ValueError(f"unknown tag {tag!r}")

    return hook


def _rule_doc(text: str, classes: dict[str, type]) -> Any:
    """The RuleDoc a ``{"D": text}`` holds (its own tagged JSON, in a file already signed and checked)."""
    made = json.loads(text, object_hook=_decoder(classes))
    if type(made) is not classes["RuleDoc"]:
        raise ValueError("not a rule's documentation")
    return made


def _key(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        raise ValueError("an unhashable key")
    return value


#: What :func:`_encode`'s table says of a node class of a rule's tree.
_NODE = "node"


def dumps(value: Any) -> bytes:
    """``value`` (a loaded rule set) as the JSON a cache file holds; TypeError for what it cannot hold."""
    from auditor.engine.expr import NODES

    classes = {cls: name for name, cls in _classes().items()}
    classes.update((cls, _NODE) for cls in NODES.values())
    return json.dumps(_encode(value, classes, {}), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def loads(payload: bytes) -> Any:
    """The value :func:`dumps` wrote; any other text raises (ValueError, TypeError, KeyError …)."""
    return json.loads(payload.decode("utf-8"), object_hook=_decoder(_classes()))


# --- the two lines of a file: every rule (cross rules without their trees), then the cross rules' trees ---


class _Light:
    """A cross rule as the first line holds it: every field but :data:`HEAVY`."""

    __slots__ = ("rule",)

    def __init__(self, rule: Any) -> None:
        self.rule = rule


def fields_of(rule: Any) -> list[str]:
    from auditor.plain import fields

    return [f.name for f in fields(type(rule)) if f.init]


def _is_cross(rule: Any) -> bool:
    return not rule.reader and rule.cross


def dump_file(key: str, value: Any) -> bytes:
    """The payload of a cache file for ``value`` (a loaded rule set): two JSON lines (a JSON text holds no
    raw newline). The first is ``{format, key, value, cross}``, the rule set with each cross rule's
    :data:`HEAVY` fields left out and ``cross`` the codes of those rules; the second maps each of those
    codes to its heavy fields. TypeError for what a file cannot hold."""
    rules, vocab, warnings = value
    cross = [r for r in rules if _is_cross(r)]
    light = [_Light(r) if _is_cross(r) else r for r in rules]
    head = dumps({"format": FORMAT, "key": key, "value": (light, vocab, warnings),
                  "cross": tuple(r.code for r in cross)})
    trees = dumps({r.code: {name: getattr(r, name) for name in HEAVY} for r in cross})
    return head + b"\n" + trees


class Deferred:
    """The cross rules' trees of a cache file (its second line), decoded on first use: :meth:`trees`."""

    def __init__(self, codes: frozenset[str], data: bytes, files: Any = None) -> None:
        self.codes = codes
        self.data = data
        #: The ``(packs, vocabularies)`` lists the set was loaded from, to load afresh if the line is bad.
        self.files = files
        self._trees: dict[str, dict[str, Any]] | None = None

    def trees(self) -> dict[str, dict[str, Any]]:
        """``{code: {field: value}}`` for every deferred rule. A line that is not what :func:`dump_file`
        wrote (it was signed with the first, so only a bug makes it so) is a miss: the packs are loaded
        afresh from :attr:`files`; without them, ValueError."""
        if self._trees is None:
            try:
                found = loads(self.data)
                if (type(found) is not dict or set(found) != self.codes
                        or not all(type(v) is dict and set(v) == set(HEAVY) for v in found.values())):
                    raise ValueError("not what was stored")
            except Exception as e:
                if self.files is None:
                    raise ValueError(f"the cross rules of a cached rule set cannot be read: {e}") from None
                from auditor.engine.loader import load_found

                found = {r.code: {name: getattr(r, name) for name in HEAVY}
                         for r in load_found(self.files)[0] if r.code in self.codes}
                if set(found) != self.codes:
                    raise ValueError("the cross rules of a cached rule set are not in its packs") from None
            self._trees = found
            self.data = b""
        return self._trees

    def complete(self, rule: Any) -> Any:
        """``rule`` (a cross rule as the first line held it, perhaps with another severity or params) whole."""
        from auditor.plain import evolve

        whole = evolve(rule, **self.trees()[rule.code])
        object.__setattr__(whole, "_cross", True)
        return whole


# --- load and store ----------------------------------------------------------------------------


def _path(directory: Path, key: str) -> Path:
    return directory / f"{key}.json"


def _is_rule_set(value: Any) -> bool:
    """``value`` has the shape of what :func:`auditor.engine.loader.load_found` returns."""
    from auditor.engine.errors import PackWarning
    from auditor.engine.rule import Rule

    if type(value) is not tuple or len(value) != 3:
        return False
    rules, vocab, warnings = value
    return (type(rules) is list and all(type(r) is Rule for r in rules)
            and type(vocab) is dict and all(type(k) is str and type(v) is tuple for k, v in vocab.items())
            and type(warnings) is list and all(type(w) is PackWarning for w in warnings))


def load_file(payload: bytes, key: str) -> tuple[list[Any], dict[str, tuple[str, ...]], list[Any], Deferred] | None:
    """The rule set of a (signed and checked) payload, its cross rules without their trees, and those
    trees to decode on demand; None for anything else."""
    head, newline, trees = payload.partition(b"\n")
    if not newline:
        return None
    stored = loads(head)
    if type(stored) is not dict or stored.get("format") != FORMAT or stored.get("key") != key:
        return None
    value, codes = stored["value"], stored["cross"]
    if not _is_rule_set(value) or type(codes) is not tuple or not all(type(c) is str for c in codes):
        return None
    rules, vocab, warnings = value
    cross = frozenset(codes)
    for rule in rules:  # known without walking every tree (Rule.cross)
        object.__setattr__(rule, "_cross", rule.code in cross and not rule.reader)
    if len(cross) != len(codes) or cross - {r.code for r in rules if not r.reader}:
        return None
    return rules, vocab, warnings, Deferred(cross, trees)


def load_parts(key: str | None) -> tuple[list[Any], dict[str, tuple[str, ...]], list[Any], Deferred] | None:
    """The cached rule set for ``key`` with its cross rules' trees still to decode (:class:`Deferred`),
    or None (missing, unreadable, damaged, unsigned, foreign, or from elsewhere)."""
    directory = cache_dir()
    if key is None or directory is None:
        return None
    payload = read_signed(_path(directory, key), directory, MAX_BYTES)
    if payload is None:
        return None  # missing, or not written by this user's runs: nothing of it is parsed
    try:
        return load_file(payload, key)
    except Exception:  # a miss, whatever went wrong: the packs are simply loaded again
        return None


def load(key: str | None) -> Any | None:
    """The cached value for ``key``, whole (cross rules with their trees), or None (see :func:`load_parts`)."""
    found = load_parts(key)
    if found is None:
        return None
    rules, vocab, warnings, deferred = found
    try:
        return [deferred.complete(r) if r.code in deferred.codes else r for r in rules], vocab, warnings
    except ValueError:
        return None


def store(key: str | None, value: Any) -> None:
    """Keep ``value`` for ``key``; a cache that cannot be written is silently skipped."""
    directory = cache_dir()
    if key is None or directory is None:
        return
    try:
        payload = dump_file(key, value)
    except Exception:
        return
    if len(payload) + 65 > MAX_BYTES:
        return
    write_signed(_path(directory, key), directory, payload, prefix=".rules-")
