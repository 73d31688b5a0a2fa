"""Write a :class:`~auditor.testing.plan.Plan` as 사업설명서 text, with the layout noise of the real sheets."""

from __future__ import annotations

import random
from fractions import Fraction

from auditor.testing import words as W
from auditor.testing.doc import Doc, Tok
from auditor.testing.formulas import Operand, render as render_formula
from auditor.testing.plan import Basis, Plan, rate_value, stated_rate

RATE_FORMULAS = ("(B-A)*100/A", "(B-A)*100/A", "(B-A)/A*100", "(B-A)/A×100")


def num(v: int | Fraction, places: int = 0) -> str:
    """``1234`` → ``1,234``; with ``places`` decimals, ``10.5``."""
    if places:
        q = Fraction(10) ** places
        whole, rest = divmod(abs(v) * q, q)
        return f"{int(whole):,}.{int(rest):0{places}d}"
    return f"{int(abs(v)):,}"


class Writer:
    """Renders one plan; every layout and syntax choice is drawn from ``rng``."""

    def __init__(self, plan: Plan, rng: random.Random) -> None:
        self.plan, self.rng, self.doc = plan, rng, Doc()
        self.markdown = rng.random() < 0.5
        self.minus = rng.choice(("△", "△", "Δ", "-"))
        self.stray = rng.choice((0, 0, 0.08, 0.2))  # chance of a stray leading tab on a table row
        self.gaps = rng.random() < 0.35  # blank and ----- lines inside tables
        self.amount_style = rng.choice(("one", "one", "two", "inline"))
        self.odd_blank = rng.random() < 0.06

    # -- small pieces -------------------------------------------------------------------------
    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def signed(self, v: int | Fraction, role: str, places: int = 0, **meta) -> Tok:
        """A signed figure: △, Δ or - for minus (both △ and Δ may appear in one sheet)."""
        sign = ""
        if v < 0:
            sign = self.minus
            if self.rng.random() < 0.15:
                sign = self.rng.choice(("△", "Δ", "-") + (("−",) if self.plan.utf8 else ()))
        return Tok(sign + num(v, places), role, meta)

    def marker(self, mode: str) -> str:
        if mode == "all" or (mode == "some" and self.rng.random() < 0.5):
            return "(x-) "
        return ""

    def lead(self) -> str:
        return "\t" if self.chance(self.stray) else ""

    def gap(self) -> None:
        if self.gaps and self.rng.random() < 0.2:
            if self.rng.random() < 0.5:
                self.doc.blank()
            else:
                self.doc.add("\t".join("-" * self.rng.randint(5, 14) for _ in range(self.rng.randint(1, 5))))

    def part(self, n: int, name: str) -> None:
        self.doc.blank()
        if self.markdown and n <= 2:
            self.doc.add(f"## {n} {name}")
        elif self.markdown or self.rng.random() < 0.2:
            self.doc.add(f"**{n}** {name}")
        else:
            self.doc.add(f"{n} {name}")
        self.doc.blank()

    def box(self, name: str, **kw) -> int:
        self.doc.blank()
        line = self.doc.add(f"### □ {name}" if self.markdown and self.rng.random() < 0.7 else f"□ {name}", **kw)
        self.doc.blank()
        return line

    def unit_note(self, units: str) -> str:
        return self.rng.choice(("(단위 : {})", "(단위 : {})", "(단위: {})", "(단위:{})")).format(units)

    def label(self, text: str) -> str:
        if self.odd_blank and " " in text and self.rng.random() < 0.3:
            blank = self.rng.choice(("\u3000", "\u00a0") if self.plan.utf8 else ("\u3000",))
            return text.replace(" ", blank, 1)
        return text

    # -- parts --------------------------------------------------------------------------------
    def render(self) -> Doc:
        plan, doc = self.plan, self.doc
        for _ in range(self.rng.randint(0, 2)):
            doc.blank()
        doc.add(f"# {plan.title}" if self.markdown else plan.title)
        self.part(1, "기본 현황")
        self.overview()
        if plan.department is not None or self.rng.random() < 0.9:
            self.department()
        self.part(2, "예산 설명")
        self.summary()
        self.basis()
        self.part(3, "사업설명")
        self.prose("사업목적", 1)
        self.prose("사업근거", 1)
        self.activities()
        if self.rng.random() < 0.3:
            self.prose("추진경위", self.rng.randint(2, 5))
        if plan.schedule is not None:
            self.schedule()
        self.part(4, "사업효과")
        if self.rng.random() < 0.7:
            self.achievements()
        self.box("향후 기대효과")
        doc.add(f"○ {W.sentence(self.rng)}")
        if plan.settlement:
            self.settlement()
        if self.chance(0.1):  # blanks left at the end of some lines by the extraction
            for i, line in enumerate(doc.lines):
                if line and self.chance(0.2):
                    doc.lines[i] = line + " " * self.rng.randint(1, 3)
        return doc

    def overview(self) -> None:
        plan, doc, rng = self.plan, self.doc, self.rng
        self.box("사업개요")
        doc.add("회 계\t", plan.account or rng.choice(("일반회계", "일반회계", "균형발전특별회계")), "\t\t")
        if rng.random() < 0.8:
            doc.add('사업기간\t<input checked="" type="checkbox"/> 연례반복\t\t')
        else:
            doc.add(f"사업기간\t{plan.year}~{plan.year + 2}\t\t")
        doc.add(f"사업내용\t○ {W.sentence(rng)} ○ {W.sentence(rng)}\t\t")
        unit = "천원" if rng.random() < 0.85 else ""

        def bracket(i: int) -> list[str | Tok]:
            label, amount = plan.funding[i]
            name: list[str | Tok] = ["[", Tok(label, "funding.label", {"label": label}), "]"]
            if amount is None:
                return name
            return [*name, Tok(num(amount), "funding.amount", {"label": label, "line": "first" if i < 2 else "second"}), unit]

        label = rng.choice(("사업비 (당해년도)", "사업비 (당해년도)", "사업비(당해년도)"))
        doc.add(label, "\t", Tok(num(plan.total_b), "overview.cost"), unit, "\t", *bracket(0), "\t", *bracket(1),
                mark="overview")
        doc.add("\t\t기타 (예산 외) ", *bracket(2), "\t", *bracket(3))

    def department(self) -> None:
        doc, rng = self.doc, self.rng
        self.box("사업 담당자")
        doc.add("실·국\t부서명\t과 장\t팀장\t주무관")
        division, name = self.plan.department or W.division(rng)
        doc.add(f"{division}\t{name}\t" + "\t".join(f"{W.person(rng)} {W.phone(rng)}" for _ in range(3)))
        doc.blank()
        doc.add("※실국 및 부서명은 예산서 기준으로 작성되어 현재부서와 다를 수 있습니다.")

    def summary(self) -> None:
        plan, doc, rng = self.plan, self.doc, self.rng
        self.box("예산 총괄")
        if rng.random() < 0.9:
            doc.add(self.unit_note("천원, %"))
            doc.blank()
        formula = rng.choice(RATE_FORMULAS)
        head = f"{rng.choice(('구 분', '구 분', '구분'))}\t{plan.year - 1}예산액 (A)\t{plan.year}예산액 (B)\t증감 (B-A)\t"
        if self.chance(0.4):
            doc.add(head)
            doc.add("\t\t\t\t" + formula)
        else:
            doc.add(head + formula)
        mode = rng.choice(("all", "all", "all", "none", "some"))
        rows = [(f"c{i}", c.name, c.previous, c.current) for i, c in enumerate(plan.categories)]
        for j, (name, a) in enumerate(plan.ended):
            rows.insert(rng.randint(1, len(rows)), (f"e{j}", name, a, 0))
        total = rng.choice(("계", "계", "계", "합계", "합 계"))
        last = self.chance(0.05)  # 계 under the rows instead of above them
        if not last:
            self.summary_row("total", total, plan.total_a, plan.total_b, mode)
        for key, name, a, b in rows:
            self.gap()
            self.summary_row(key, name, a, b, mode)
        if last:
            self.summary_row("total", total, plan.total_a, plan.total_b, mode)
        if self.gaps and rng.random() < 0.3:
            doc.add("-----------\t-------------\t--------\t--------------\t-----------")

    def summary_row(self, key: str, name: str, a: int, b: int, mode: str) -> None:
        plan = self.plan
        rate = stated_rate(rate_value(a, b), plan.rate_rule, plan.rate_places)
        meta = {"row": key, "name": name, "A": a, "B": b}
        cells: list[str | Tok] = [self.lead(), name]
        cells += ["\t", self.marker(mode), Tok(num(a), "summary.A", meta)]
        cells += ["\t", self.marker(mode), Tok(num(b), "summary.B", meta)]
        cells += ["\t", self.marker(mode), self.signed(b - a, "summary.change", **meta)]
        cells += ["\t", self.marker(mode), self.signed(rate, "summary.rate", plan.rate_places, **meta, rate=rate)]
        self.doc.add(*cells, mark=f"summary.{key}")

    def basis(self) -> None:
        plan, doc, rng = self.plan, self.doc, self.rng
        doc.blank()
        doc.add("산출근거" if rng.random() < 0.8 else "□ 산출근거")
        doc.blank()
        doc.add(rng.choice(("과목구분", "과목구분", "과목 구분")), "\t", Tok(str(plan.year), "basis.year"), "년 예산내역\t\t")
        for ci, c in enumerate(plan.categories):
            own_line = self.chance(0.1)
            name = c.name
            if len(name) > 4 and self.chance(0.03):  # 시책추진 업무추진비: the rules compare names without blanks
                name = name[:len(name) // 2] + " " + name[len(name) // 2:]
            if own_line:
                doc.add(self.lead(), Tok(name, "basis.category", {"cat": ci}), mark=f"category.{ci}")
            for gi, g in enumerate(c.groups):
                first = gi == 0 and not own_line
                if first:
                    shift = "\t" if self.chance(0.1) else ""
                    head: list[str | Tok] = [shift, Tok(name, "basis.category", {"cat": ci}), "\t"]
                else:
                    head = ["\t"]
                meta = {"cat": ci, "group": gi, "item": None}
                self.basis_line(head, "○", g, meta, mark=f"group.{ci}.{gi}" + (f"|category.{ci}" if first else ""))
                for ii, item in enumerate(g.items):
                    tabs = rng.choice(("\t", "\t", "\t", "\t", "", "\t\t"))  # or in the 통계목 column, or shifted
                    self.basis_line([tabs], "-", item, {"cat": ci, "group": gi, "item": ii})
                self.gap_basis()

    def gap_basis(self) -> None:
        if self.gaps and self.rng.random() < 0.1:
            self.doc.blank()

    def basis_line(self, head: list, marker: str, b: Basis, meta: dict, mark: str = "") -> None:
        rng = self.rng
        desc: list[str | Tok] = [f"{marker} "]
        label = self.label(b.label)
        if b.formula is not None:
            text, spans = render_formula(b.formula, self.plan.style.spaced or rng.random() < 0.05)
            if rng.random() < 0.03 and not isinstance(b.formula, Operand) and not self.plan.named:  # ``- 5,000원`` reads as a number
                label = ""
            elif rng.random() < 0.06:  # 운영비 - 3,000원*2회, 회의비 : 5,000원*2회
                # Not a dash after a count (``수당(2명) -``, ``워크숍 2회 -``): the reader takes that for a
                # subtraction, ``(2명) - 3,000원*2회`` (reported to the lead as a split_label bug).
                counted = label.endswith(")") or label.split()[-1][:1].isdigit()
                label += rng.choice((" :", ":") if counted else (" -", " :", ":"))
            if label:
                desc.append(label if label.endswith(":") and rng.random() < 0.5 else label + " ")
            at = 0
            for k, (s, e) in enumerate(spans):
                desc += [text[at:s], Tok(text[s:e], "formula.operand", {**meta, "index": k, "formula": b.formula,
                                                                        "amount": b.amount, "label": b.label})]
                at = e
            desc.append(text[at:])
        else:
            desc.append(label)
        style = self.amount_style if rng.random() < 0.85 else rng.choice(("one", "two", "inline"))
        unit = rng.choice(("천원",) * 30 + ("", "", " 천원"))  # none: the unit note's; or after a blank
        amount = Tok(num(b.amount), "basis.amount", {**meta, "formula": b.formula, "items": len(b.items),
                                                      "value": b.amount, "label": b.label})
        if style == "inline":
            tail = [" = ", amount, unit]
        elif style == "two":
            tail = ["\t=\t", amount, unit]
        else:
            tail = [rng.choice(("\t", "\t", "\t\t")), rng.choice(("= ", "= ", "=")), amount, unit]
        trailing = "\t" if rng.random() < 0.3 else ""
        marks = [m for m in mark.split("|") if m]
        no = self.doc.add(*head, *desc, *tail, trailing)
        for m in marks:
            self.doc.marks[m] = no

    def prose(self, heading: str, n: int) -> None:
        self.doc.blank()
        self.doc.add(heading)
        self.doc.blank()
        bullet = self.rng.choice(("○", "-"))
        for k in range(n):
            if k and self.rng.random() < 0.2:
                self.doc.blank()
            self.doc.add(f"{bullet} {W.sentence(self.rng)}")

    def activities(self) -> None:
        doc, rng, year = self.doc, self.rng, self.plan.year
        if rng.random() < 0.5:
            self.box("사업내용")
        else:
            doc.blank()
            doc.add("사업내용")
            doc.blank()
        for ai, a in enumerate(self.plan.activities):
            doc.add(f"- {a.title}")
            for d in a.details:
                doc.add(f"  - {d.replace('{Y}', str(year))}")
            if a.budget is not None:
                doc.add("  - 소요예산 : ", Tok(num(a.budget), "activity.budget", {"activity": ai, "value": a.budget}),
                        "천원")

    def schedule(self) -> None:
        plan, doc, rng = self.plan, self.doc, self.rng
        doc.blank()
        doc.add("□ ", Tok(str(plan.year), "schedule.year"), "년도 추진일정")
        doc.blank()
        if rng.random() < 0.9:
            doc.add(self.unit_note("천원"))
            doc.blank()
        doc.add("사업추진절차\t추진기간\t예산집행금액\t추진세부내용")
        total = sum(s.amount for s in plan.schedule or ())
        doc.add(self.lead(), rng.choice(("계", "계", "합계")), "\t\t", Tok(num(total), "schedule.total"), "\t",
                mark="schedule.total")
        for si, s in enumerate(plan.schedule or ()):
            self.gap()
            period: list[str | Tok] = []
            pieces = s.period.split("{Y}")
            for k, piece in enumerate(pieces):
                if k:
                    period.append(Tok(str(plan.year), "period.year", {"step": si, "which": k}))
                period.append(piece)
            doc.add(self.lead(), s.name, "\t", *period, "\t", Tok(num(s.amount), "schedule.amount", {"step": si}),
                    "\t", s.detail, mark=f"schedule.{si}")

    def achievements(self) -> None:
        doc, rng, year = self.doc, self.rng, self.plan.year
        self.box("최근 3년 추진실적")
        for y in range(year - 4, year - 1):
            items = [f"○ {W.sentence(rng)} : {rng.randint(1, 90)}회" for _ in range(rng.randint(1, 6))]
            style = rng.random()
            if style < 0.65:
                body = " ".join(f"<li>{i}</li>" for i in items)
                doc.add(f'{y}년도\t<ul style="list-style-type: none"> {body} </ul>')
            elif style < 0.85:  # a list left open, its items marked ○ only
                doc.add(f'{y}년도\t<ul style="list-style-type: none"> ' + " ".join(items))
            else:
                doc.add(f"{y}년도\t" + " ".join(items))

    def settlement(self) -> None:
        plan, doc, rng = self.plan, self.doc, self.rng
        self.part(5, "최근 3년 결산 현황")
        if rng.random() < 0.9:
            doc.add(self.unit_note("천원"))
            doc.blank()
        doc.add("연도\t최종예산\t전년이월\t예산변경\t예산현액\t집행액\t차년이월\t집행잔액")
        if rng.random() < 0.4:
            doc.blank()
        mode = rng.choice(("all", "all", "all", "none", "some"))
        fields = ("final_budget", "carried_in", "adjustment", "available", "spent", "carried_over", "unspent")
        for ri, row in enumerate(plan.settlement):
            self.gap()
            year = Tok(str(row.year), "settlement.year", {"row": ri})
            cells: list[str | Tok] = [self.lead(), year, "년" if self.chance(0.03) else ""]
            for f in fields:
                v = getattr(row, f)
                cells += ["\t", self.marker(mode), self.signed(v, f"settlement.{f}", row=ri, value=v)]
            doc.add(*cells, mark=f"settlement.{ri}")


def render(plan: Plan, rng: random.Random) -> Doc:
    return Writer(plan, rng).render()
