"""Korean particles after a value in a message: 사업비는, 행사운영비를, 예산현액이 …

Rule messages write a particle in its paired form after a placeholder
(``{통계목}은(는)``); when the placeholder is filled in, the pair becomes the one
form that fits the last sound of the value. When that sound cannot be told
(a Latin letter, a symbol), the paired form stays as written.
"""

from __future__ import annotations

import re

from auditor import recache

#: paired form → (form after a final consonant, form after a vowel)
PAIRS: dict[str, tuple[str, str]] = {
    "은(는)": ("은", "는"), "는(은)": ("은", "는"),
    "이(가)": ("이", "가"), "가(이)": ("이", "가"),
    "을(를)": ("을", "를"), "를(을)": ("을", "를"),
    "과(와)": ("과", "와"), "와(과)": ("과", "와"),
    "(으)로": ("으로", "로"),
    "(이)라": ("이라", "라"),
}

_PAIRED = recache.compile(r"(?P<close>['\"’”)\]」』]*)(?P<pair>" + "|".join(re.escape(p) for p in PAIRS) + ")")

# Whether the Korean reading of each digit ends in a consonant (영 일 이 삼 사 오 육 칠 팔 구),
# and whether that consonant is ㄹ (일 칠 팔), which takes 로 rather than 으로.
_DIGIT_FINAL = {"0": True, "1": True, "2": False, "3": True, "4": False,
                "5": False, "6": True, "7": True, "8": True, "9": False}
_DIGIT_RIEUL = {"1", "7", "8"}
_RIEUL = 8  # index of ㄹ among the final consonants of a Hangul syllable


def _final(word: str) -> tuple[bool, bool] | None:
    """(has a final consonant, that consonant is ㄹ) for the last sound of *word*; None if unknown."""
    for ch in reversed(word.rstrip()):
        if "가" <= ch <= "힣":
            jong = (ord(ch) - 0xAC00) % 28
            return jong != 0, jong == _RIEUL
        if ch in _DIGIT_FINAL:
            return _DIGIT_FINAL[ch], ch in _DIGIT_RIEUL
        if ch in "%)]'\"’”」』 ":
            if ch == "%":  # read as 퍼센트
                return False, False
            continue
        return None
    return None


def attach(value: str, following: str) -> str:
    """*following* with a leading paired particle resolved against the end of *value*."""
    m = _PAIRED.match(following)
    if m is None:
        return following
    final = _final(value + m["close"])
    if final is None:
        return following
    has_final, rieul = final
    after_consonant, after_vowel = PAIRS[m["pair"]]
    if m["pair"] == "(으)로" and rieul:
        form = after_vowel
    else:
        form = after_consonant if has_final else after_vowel
    return m["close"] + form + following[m.end():]
