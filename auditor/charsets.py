"""Character classes of regular expressions built with one slice per range, not a loop per code point.

``re`` builds the set of every character class in Python (``re._compiler._optimize_charset``): each
range is walked one code point at a time into a 64K map, so a class of Hangul syllables
(``[가-힣]``, 11,172 of them) costs about 5 M instructions wherever it appears, and the patterns of
the readers and the formula grammar hold some 25 of them, all compiled before the first sheet
(docs/performance.md, *Start-up*). :func:`install` replaces that function with :func:`optimize_charset`,
the same function but for that one step, which sets a range's bytes with one slice assignment: the
same map, so the same compiled patterns (tests/test_charsets.py compares both functions on generated
classes, and the compiled code of every pattern of auditor's modules).

It is installed only where the function is the one it was copied from (CPython 3.11 to 3.13, whose
``_optimize_charset`` is the same text), and changes nothing of what any pattern matches, ours or
another library's: a faster route to the same bytes. ``AUDITOR_STOCK_RE=1`` leaves ``re`` alone.
"""

from __future__ import annotations

import os
import sys
from re import _compiler
from re._constants import BIGCHARSET, CHARSET, LITERAL, NEGATE, RANGE, RANGE_UNI_IGNORE

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["install", "installed", "optimize_charset", "STOCK"]

#: ``re``'s own function, as it was before :func:`install`.
STOCK = _compiler._optimize_charset

_mk_bitmap = _compiler._mk_bitmap
_bytes_to_codes = _compiler._bytes_to_codes


def optimize_charset(charset: list[tuple[Any, Any]], iscased: Any = None, fixup: Any = None,
                     fixes: Any = None) -> tuple[list[tuple[Any, Any]], bool]:
    """``re._compiler._optimize_charset`` (CPython 3.11–3.13), but for a range without case folding,
    whose bytes of the map are set by one slice assignment instead of a loop over its code points.

    A range that runs past the end of the map sets what fits and raises ``IndexError`` as the loop
    did at its first code point past the end, so the map grows (or the range goes to the tail) as
    before. The rest is ``re``'s text, unchanged.
    """
    out = []
    tail = []
    charmap = bytearray(256)
    hascased = False
    for op, av in charset:
        while True:
            try:
                if op is LITERAL:
                    if fixup:
                        lo = fixup(av)
                        charmap[lo] = 1
                        if fixes and lo in fixes:
                            for k in fixes[lo]:
                                charmap[k] = 1
                        if not hascased and iscased(av):
                            hascased = True
                    else:
                        charmap[av] = 1
                elif op is RANGE:
                    r = range(av[0], av[1]+1)
                    if fixup:
                        if fixes:
                            for i in map(fixup, r):
                                charmap[i] = 1
                                if i in fixes:
                                    for k in fixes[i]:
                                        charmap[k] = 1
                        else:
                            for i in map(fixup, r):
                                charmap[i] = 1
                        if not hascased:
                            hascased = any(map(iscased, r))
                    else:
                        # The one change: ``for i in r: charmap[i] = 1``, by slices.
                        lo, hi, size = av[0], av[1], len(charmap)
                        if hi < size:
                            if lo <= hi:
                                charmap[lo:hi + 1] = b"\x01" * (hi + 1 - lo)
                        else:
                            if lo < size:
                                charmap[lo:size] = b"\x01" * (size - lo)
                            raise IndexError(size)
                elif op is NEGATE:
                    out.append((op, av))
                else:
                    tail.append((op, av))
            except IndexError:
                if len(charmap) == 256:
                    # character set contains non-UCS1 character codes
                    charmap += b'\0' * 0xff00
                    continue
                # Character set contains non-BMP character codes.
                # For range, all BMP characters in the range are already
                # proceeded.
                if fixup:
                    hascased = True
                    # For now, IN_UNI_IGNORE+LITERAL and
                    # IN_UNI_IGNORE+RANGE_UNI_IGNORE work for all non-BMP
                    # characters, because two characters (at least one of
                    # which is not in the BMP) match case-insensitively
                    # if and only if:
                    # 1) c1.lower() == c2.lower()
                    # 2) c1.lower() == c2 or c1.lower().upper() == c2
                    # Also, both c.lower() and c.lower().upper() are single
                    # characters for every non-BMP character.
                    if op is RANGE:
                        op = RANGE_UNI_IGNORE
                tail.append((op, av))
            break

    # compress character map
    runs = []
    q = 0
    while True:
        p = charmap.find(1, q)
        if p < 0:
            break
        if len(runs) >= 2:
            runs = None
            break
        q = charmap.find(0, p)
        if q < 0:
            runs.append((p, len(charmap)))
            break
        runs.append((p, q))
    if runs is not None:
        # use literal/range
        for p, q in runs:
            if q - p == 1:
                out.append((LITERAL, p))
            else:
                out.append((RANGE, (p, q - 1)))
        out += tail
        # if the case was changed or new representation is more compact
        if hascased or len(out) < len(charset):
            return out, hascased
        # else original character set is good enough
        return charset, hascased

    # use bitmap
    if len(charmap) == 256:
        data = _mk_bitmap(charmap)
        out.append((CHARSET, data))
        out += tail
        return out, hascased

    # To represent a big charset, first a bitmap of all characters in the
    # set is constructed. Then, this bitmap is sliced into chunks of 256
    # characters, duplicate chunks are eliminated, and each chunk is
    # given a number. In the compiled expression, the charset is
    # represented by a 32-bit word sequence, consisting of one word for
    # the number of different chunks, a sequence of 256 bytes (64 words)
    # of chunk numbers indexed by their original chunk position, and a
    # sequence of 256-bit chunks (8 words each).

    charmap = bytes(charmap)  # should be hashable
    comps = {}
    mapping = bytearray(256)
    block = 0
    data = bytearray()
    for i in range(0, 65536, 256):
        chunk = charmap[i: i + 256]
        if chunk in comps:
            mapping[i // 256] = comps[chunk]
        else:
            mapping[i // 256] = comps[chunk] = block
            block += 1
            data += chunk
    data = _mk_bitmap(data)
    data[0:0] = [block] + _bytes_to_codes(mapping)
    out.append((BIGCHARSET, data))
    out += tail
    return out, hascased


def _copied_from() -> bool:
    """Whether ``re``'s function is the one :func:`optimize_charset` was copied from."""
    code = STOCK.__code__
    return (sys.implementation.name == "cpython" and (3, 11) <= sys.version_info[:2] <= (3, 13)
            and code.co_varnames[:4] == ("charset", "iscased", "fixup", "fixes")
            and code.co_names[:6] == ("bytearray", "LITERAL", "RANGE", "range", "map", "any"))


def installed() -> bool:
    """Whether ``re`` builds its character classes with :func:`optimize_charset`."""
    return _compiler._optimize_charset is optimize_charset


def install() -> bool:
    """Have ``re`` build character classes with :func:`optimize_charset` (see the module's docstring);
    returns whether it does."""
    if not installed() and _copied_from() and os.environ.get("AUDITOR_STOCK_RE") != "1":
        _compiler._optimize_charset = optimize_charset
    return installed()
