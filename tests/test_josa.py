"""Korean particles in rule messages follow the last sound of the value before them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auditor.josa import PAIRS, attach


@pytest.mark.parametrize(("value", "following", "expected"), [
    ("행사운영비", "은(는) 편성되지", "는 편성되지"),
    ("기간제근로자등보수", "은(는)", "는"),
    ("사무관리비", "을(를)", "를"),
    ("예산현액", "이(가)", "이"),
    ("특정업무경비", "이(가)", "가"),
    ("'사비", "'을(를) 알 수 없습니다", "'를 알 수 없습니다"),
    ("시책추진업무추진비", "'이(가) 없습니다", "'가 없습니다"),
    ("계획", "과(와)", "과"),
    ("교육", "(으)로", "으로"),
    ("서울", "(으)로", "로"),          # ㄹ takes 로
    ("2,240천원", "이(가)", "이"),      # 원 ends in ㄴ
    ("2017", "년", "년"),               # no pair: unchanged
    ("3", "(으)로", "으로"),            # 삼
    ("2", "을(를)", "를"),              # 이
    ("7", "(으)로", "로"),              # 칠: ㄹ
    ("27.9%", "이(가)", "가"),          # 퍼센트
    ("GPR", "은(는)", "은(는)"),        # unknown sound: keep the pair
])
def test_paired_particle_becomes_the_form_that_fits(value, following, expected):
    assert attach(value, following) == expected


@given(st.text(alphabet=st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), min_size=1, max_size=5),
       st.sampled_from(sorted(PAIRS)), st.text(max_size=10))
def test_a_hangul_value_always_resolves_the_pair_to_one_of_its_forms(word, pair, rest):
    out = attach(word, pair + rest)
    assert out.endswith(rest)
    assert out[: len(out) - len(rest)] in PAIRS[pair]


def test_rule_messages_use_the_resolved_particle():
    from auditor.engine import load_ruleset
    from auditor.readers import read_text
    sheet = read_text(
        "(단위 : 천원, %)\n구 분\t2019예산액 (A)\t2020예산액 (B)\t증감 (B-A)\t(B-A)*100/A\n"
        "계\t(x-) 10,900\t(x-) 0\t(x-) △10,900\t(x-) △100\n"
        "행사운영비\t(x-) 10,900\t(x-) 0\t(x-) △10,900\t(x-) △100\n", "s.txt")
    messages = [f.message_ko for f in load_ruleset().check(sheet) if f.code == "REVIEW004"]
    assert messages and all("행사운영비는" in m for m in messages)
