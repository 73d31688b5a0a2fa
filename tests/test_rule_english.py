"""English messages are English: no Korean words in their text and no Korean column names from label()."""

from __future__ import annotations

import re

import pytest

from auditor.engine import load_ruleset
from auditor.engine.bindings import unwrap
from auditor.readers import read_bytes

RULES = load_ruleset()
HANGUL = re.compile(r"[가-힣]+")
#: Korean allowed in the text of an English message: a file name.
ALLOWED = ("rules/vocabulary/통계목.toml",)


def _prints_label(tree) -> bool:
    """The expression's value is label()'s: the Korean name of a column (text has no other operators)."""
    return tree[:2] == ("call", "label") or (tree[0] == "once" and _prints_label(tree[1]))


@pytest.mark.parametrize("rule", [r for r in RULES.rules if not r.reader], ids=lambda r: r.code)
def test_an_english_message_has_no_korean_words_of_its_own(rule):
    text = "".join(p for p in rule.message_en.parts if isinstance(p, str))
    for allowed in ALLOWED:
        text = text.replace(allowed, "")
    assert not HANGUL.search(text), f"{rule.code}: {text}"
    for part in rule.message_en.parts:
        assert isinstance(part, str) or not _prints_label(unwrap(part)), \
            f"{rule.code}: label() gives the Korean column name"


COLUMNS = ["최종예산", "전년이월", "예산변경", "예산현액", "집행액", "차년이월", "집행잔액"]
ENGLISH = {"최종예산": "final budget", "전년이월": "carried in", "예산현액": "available budget", "집행액": "spent",
           "차년이월": "carried over", "집행잔액": "unspent balance"}
SETTLEMENT = "5 최근 3년 결산 현황\n\n(단위 : 천원)\n\n" + "\t".join(["연도", *COLUMNS]) + "\n2022\t{cells}\n"


@pytest.mark.parametrize("column", list(ENGLISH))
def test_a_negative_settlement_amount_is_named_in_english(column):
    values = {c: 0 for c in COLUMNS} | {column: "△5"}
    sheet = read_bytes(SETTLEMENT.format(cells="\t".join(f"(x-) {values[c]}" for c in COLUMNS)).encode(),
                       "s.txt", fragment=True)
    [found] = [f for f in RULES.check(sheet) if f.code == "SET005"]
    assert found.message_en == f"2022: {ENGLISH[column]} -5천원 is negative (only the adjustment may be negative)."
    assert found.message_ko.startswith(f"2022년 {column}(-5천원)")
