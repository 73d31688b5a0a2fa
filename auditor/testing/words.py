"""The words of generated sheets: titles, 통계목, labels with numbers and brackets, periods, prose."""

from __future__ import annotations

import random

#: 통계목 names of the official vocabulary (rules/vocabulary/통계목.toml) that 사업설명서 use most.
CATEGORIES = [
    "사무관리비", "공공운영비", "행사운영비", "국내여비", "국외업무여비", "시책추진업무추진비",
    "부서운영업무추진비", "특정업무경비", "재료비", "기간제근로자등보수", "민간위탁금",
    "민간경상사업보조", "자치단체경상보조금", "연구용역비", "시설비", "시설부대비",
    "자산및물품취득비", "행사실비지원금", "포상금", "기타보상금", "사회단체보조금", "전산개발비",
]

_GROUPS = {
    "사무관리비": ["위원회 운영", "회의 참석수당", "자료 인쇄비", "홍보물 제작", "워크숍 개최", "사무용품 구입"],
    "국내여비": ["국내 출장여비", "현장 점검 여비"],
    "국외업무여비": ["해외 선진사례 조사", "국제회의 참석 여비"],
    "시책추진업무추진비": ["사업추진활동비", "유관기관 간담회", "시책 홍보 활동"],
    "특정업무경비": ["특정업무수행활동비(행정동향)", "대민업무수당(5급이하 158명)", "현장업무수당(6급 이하)"],
    "기간제근로자등보수": ["기간제근로자 인건비", "기간제근로자등보수(2명)"],
}
_GENERIC = [
    "사업 운영", "자치구 현장복구 운영매뉴얼 제작", "제8회 대한민국 박람회 참가", "교육 프로그램 운영",
    "시민 참여단 운영", "성과 공유회 개최", "홍보 캠페인", "2차 설명회 개최", "전문가 자문", "시설 유지관리",
    "실태조사(15인 이하 사업장)", "31인 이상(31인) 사업장 지원", "공동협력 사업 추진", "물품 구입",
]
_ITEMS = [
    "회의 참석수당", "숙박료 및 회의자료 인쇄비 등 부대비", "박람회 부스 설치비", "강사료", "다과",
    "1차 회의 참석수당", "2024년 워크숍 대관료", "현수막 제작", "기념품", "교재 인쇄(A4)", "차량 임차",
    "자문료(외부위원)", "운영 물품비", "통역비", "우편 발송료", "시·자치구 공동협력", "정책 조정 및 협의",
    "제3기 위원 위촉식", "2·3분기 점검", "안전관리 요원", "CCTV 유지보수", "LED 전광판 임차", "A4 용지 구입",
    "USB 메모리 구입", "GPR탐사 용역",
]
_TITLE_A = ["시·자치구간", "지역균형발전", "청년 일자리", "어르신 돌봄", "생활안전", "탄소중립",
            "전통시장", "공공도서관", "마을공동체", "재난안전", "디지털 행정", "도시재생"]
_TITLE_B = ["협력체계 강화", "추진", "지원", "활성화", "기반 조성", "운영", "역량 강화", "확충"]
_SENTENCES = [
    "시·자치구 회의 및 워크숍 개최", "분야별 추진실적 및 실태 점검", "시민 의견 수렴을 위한 토론회 개최",
    "관련 기관과의 협력 체계 구축", "우수사례 발굴 및 확산", "현장 중심의 지원 체계 운영",
    "자치구 현안 및 협력사업 협의", "정책 효과 분석 및 개선 과제 도출",
]
_DIVISIONS = [("행정국", "자치행정과"), ("균형발전본부", "균형발전정책과"), ("경제정책실", "일자리정책과"),
              ("복지정책실", "어르신복지과"), ("안전총괄실", "재난안전과"), ("기후환경본부", "기후변화정책과")]
_SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
_GIVEN = "종빈나연승기봉숙영은지현민수정호진아우서준"


def title(rng: random.Random) -> str:
    return f"{rng.choice(_TITLE_A)} {rng.choice(_TITLE_B)}"


def group_labels(rng: random.Random, category: str, n: int) -> list[str]:
    pool = _GROUPS.get(category, []) + _GENERIC
    return rng.sample(pool, min(n, len(pool)))


def item_labels(rng: random.Random, n: int) -> list[str]:
    return rng.sample(_ITEMS, n)


def sentence(rng: random.Random) -> str:
    return rng.choice(_SENTENCES)


def step_name(rng: random.Random) -> str:
    return rng.choice(_SENTENCES + _GENERIC)


def details(rng: random.Random) -> list[str]:
    out = [f"시기 : {rng.choice(('연중 수시', '{Y}. 10~11월', '상반기', '연중 1회'))}"]
    if rng.random() < 0.5:
        out.append("장소 : 미정(공모 접수 및 심사 후 결정)")
    out.append(f"내용 : {rng.choice(_SENTENCES)}, {rng.choice(_SENTENCES)} 등")
    return out


#: 추진기간 as sheets write it; ``{Y}`` is the budget year (the periods without one name no year).
PERIODS = [
    "{Y}.01~{Y}.12", "{Y}.01~{Y}.12", "{Y}.01~{Y}.12", "{Y}.03~{Y}.11", "{Y}.10~{Y}.11",
    "{Y}.1~{Y}.12", "{Y}.03.~{Y}.12.", "{Y}. 3. ~ {Y}. 12.", "{Y}. 3.~12.", "{Y}년 상반기", "{Y} 하반기",
    "{Y}년 3분기", "{Y}년 연중", "연중", "연중 수시", "3~12월",
]


def period(rng: random.Random) -> str:
    return rng.choice(PERIODS)


def person(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + rng.choice(_GIVEN) + rng.choice(_GIVEN)


def phone(rng: random.Random) -> str:
    return f"2133-{rng.randint(1000, 9999)}"


def division(rng: random.Random) -> tuple[str, str]:
    return rng.choice(_DIVISIONS)
