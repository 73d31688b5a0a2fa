"""The HTML report's style sheet: inline, no web fonts, readable on screen and on paper.

Text wraps at spaces (Korean words kept whole: ``word-break: keep-all``) and breaks inside a word only
when the word alone is wider than its box (``overflow-wrap: break-word``, which, unlike ``anywhere``,
never lets a table squeeze a column below its longest word). Figures, codes, line numbers, the
marked cell and table headings never wrap at all.
"""

CSS = """
:root { --err: #b42318; --err-bg: #fde8e6; --warn: #9a6700; --warn-bg: #fff4d6; --info: #1f5fa8;
  --info-bg: #e6f0fb; --rel-bg: #eef1f5; --line: #d0d7de; --muted: #57606a; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1200px; padding: 24px; color: #1f2328; background: #fff;
  font: 15px/1.55 "Noto Sans CJK KR", "Noto Sans KR", "Malgun Gothic", "Apple SD Gothic Neo", sans-serif;
  word-break: keep-all; overflow-wrap: break-word; }
h1 { font-size: 1.6em; margin: 0 0 4px; }
h2 { font-size: 1.25em; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.05em; margin: 20px 0 6px; }
a { color: var(--info); }
.meta, .muted { color: var(--muted); }
.totals { display: flex; flex-wrap: wrap; gap: 8px; margin: 12px 0; padding: 0; list-style: none; }
.totals li { border: 1px solid var(--line); border-radius: 6px; padding: 6px 12px; }
.totals b { font-size: 1.2em; margin-left: 4px; }
table { border-collapse: collapse; }
.grid { margin: 6px 0 12px; }
.grid th, .grid td { border: 1px solid var(--line); padding: 4px 10px; text-align: left; vertical-align: top; }
.grid th { background: #f6f8fa; }
.grid td.n { text-align: right; font-variant-numeric: tabular-nums; }
.grid th, td.n, td.ln, .code, .sev, .cmp .k, .index td:first-child, .index td:nth-child(3) { white-space: nowrap; }
.grid th.sorted { background: #e6ebf1; }
.grid th a { color: inherit; }
.orders { margin: 4px 0 8px; }
.index { scroll-margin-top: 8px; }
/* The index in the ordering its address names (#index-rule …), by severity otherwise: no script. */
.orderings > table { display: none; }
.orderings > table:target, .orderings > #index-severity { display: table; }
.orderings > table:target ~ #index-severity { display: none; }
.index td:nth-child(3) a { font-variant-numeric: tabular-nums; }
.clean { color: var(--muted); font-size: .9em; }
/* A book has hundreds of sheets: the browser lays out only those near the screen (still found by
   find-in-page, and all drawn for print). */
.sheet, table.index { content-visibility: auto; contain-intrinsic-size: auto 1200px; }
.sev { display: inline-block; border-radius: 4px; padding: 0 6px; font-size: .85em; font-weight: 600; }
.sev-error .sev, .sev.sev-error { color: var(--err); background: var(--err-bg); }
.sev-warning .sev, .sev.sev-warning { color: var(--warn); background: var(--warn-bg); }
.sev-info .sev, .sev.sev-info { color: var(--info); background: var(--info-bg); }
code, .code { font-family: "Noto Sans Mono CJK KR", "D2Coding", ui-monospace, monospace; font-size: .92em; }
.src { width: 100%; border: 1px solid var(--line); font-variant-numeric: tabular-nums; }
.src td { padding: 1px 8px; vertical-align: top; }
.src th { text-align: left; padding: 2px 8px; background: #f6f8fa; border-bottom: 1px solid var(--line); }
.src td.ln { width: 1%; white-space: nowrap; text-align: right; color: var(--muted); border-right: 1px solid var(--line);
  background: #f6f8fa; user-select: none; }
.src td.ln a { color: inherit; text-decoration: none; }
.src td.tx { white-space: pre-wrap; }
.src .c { display: inline-block; min-width: 1.5em; vertical-align: top; }
.src .c + .c { margin-left: .5em; padding-left: .6em; border-left: 1px solid #afb8c1; }
.src tr.hit.sev-error td.tx { background: var(--err-bg); }
.src tr.hit.sev-warning td.tx { background: var(--warn-bg); }
.src tr.hit.sev-info td.tx { background: var(--info-bg); }
.src tr.hit td.ln { font-weight: 700; color: #1f2328; }
.src tr.rel td.tx { background: var(--rel-bg); }
.src tr.note td { padding: 2px 8px 10px; }
.src tr.gap td { color: var(--muted); background: #f6f8fa; font-size: .85em; padding: 0 8px; }
.src mark { color: inherit; background: none; border-bottom: 3px solid var(--err); padding: 0 1px;
  white-space: nowrap; font-weight: 600; }
.src tr.hit.sev-warning mark { border-bottom-color: var(--warn); }
.src tr.hit.sev-info mark { border-bottom-color: var(--info); }
.finding { border-left: 4px solid var(--line); background: #fff; padding: 6px 12px; margin: 2px 0;
  white-space: normal; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
.finding.sev-error { border-left-color: var(--err); }
.finding.sev-warning { border-left-color: var(--warn); }
.finding.sev-info { border-left-color: var(--info); }
.finding .msg { margin: 4px 0; white-space: pre-wrap; }
.cmp { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 8px; margin: 6px 0; }
.cmp div { border: 1px solid var(--line); border-radius: 4px; padding: 4px 8px; }
.cmp .k { display: block; font-size: .8em; color: var(--muted); }
.cmp .v { font-weight: 600; font-variant-numeric: tabular-nums; white-space: pre-wrap; }
.cmp .act .v { color: var(--err); }
.related { margin: 4px 0 0; padding-left: 18px; }
.rule { border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; margin: 10px 0; }
.rule pre { background: #f6f8fa; padding: 6px 10px; white-space: pre-wrap; }
footer { margin-top: 40px; color: var(--muted); font-size: .85em; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
  .sheet { break-before: page; }
  .src tr, .finding, .rule, .grid tr { break-inside: avoid; }
  /* the index once on paper, by severity: the other orderings hold the same rows */
  .orders, .orderings > table:not(#index-severity) { display: none; }
  .orderings > #index-severity, .orderings > table:target ~ #index-severity { display: table; }
  h2, h3 { break-after: avoid; }
  .finding { box-shadow: none; }
}
@page { size: A4; margin: 12mm; }
"""
