"""The round's answers in long form, as CSV: one row per answer.

Columns: round, round_title, area, statement, kind, statement_text, rating (empty for "not
applicable"), comment; and `member`, `member_name` only in a named round.

Only submitted responses are exported (as for every figure). In an anonymous round:
- no column says who answered, and nothing links two rows of one person;
- rows are sorted by statement, then rating, then comment, so their order (which would follow
  the order people answered in) cannot point back to anyone;
- a statement whose figures the results page hides (fewer than 3 people rated it) is left out
  entirely, so the file never shows what the page does not.
Text cells that a spreadsheet would run as a formula (=, +, -, @ first) get a leading
apostrophe (OWASP's advice for CSV files).
"""

from __future__ import annotations

import csv
import io

from audits.models import Answer, Audit, Item
from audits.results import MIN_GROUP

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def answer_rows(audit: Audit, *, for_team: bool = False) -> tuple[list[str], list[list]]:
    """The header and the rows, with the privacy rules of the module docstring applied.

    `for_team` (a participant's download): as in an anonymous round, and without comments."""
    named = not audit.anonymous and not for_team
    items = {
        i.id: i
        for i in Item.objects.filter(area__instrument_id=audit.instrument_id).select_related("area")
    }
    order = {item_id: n for n, item_id in enumerate(items)}  # instrument order
    rows = list(
        Answer.objects.filter(response__audit=audit, response__submitted__isnull=False).values_list(
            "response__member_id", "item_id", "rating", "comment"
        )
    )
    names = dict(audit.team.members.values_list("id", "name")) if named else {}
    if named:
        rows.sort(key=lambda r: (names.get(r[0], "").casefold(), r[0], order.get(r[1], 0)))
    else:
        raters: dict[int, set[int]] = {}
        for member, item, rating, _ in rows:
            if rating is not None:
                raters.setdefault(item, set()).add(member)
        rows = [r for r in rows if len(raters.get(r[1], ())) >= MIN_GROUP]
        rows.sort(key=lambda r: (order.get(r[1], 0), r[2] is None, r[2] or 0, r[3]))
    header = ["round", "round_title", "area", "statement", "kind", "statement_text", "rating"]
    header += ["comment"] + (["member", "member_name"] if named else [])
    out = []
    for member, item_id, rating, comment in rows:
        item = items.get(item_id)
        if item is None:
            continue
        row = [
            audit.id,
            _safe(audit.title),
            item.area.key,
            item.id,
            item.kind,
            _safe(item.text),
            "" if rating is None else rating,
            "" if for_team else _safe(comment),
        ]
        if named:
            row += [member, _safe(names.get(member, "Former member"))]
        out.append(row)
    return header, out


def render_csv(audit: Audit, *, for_team: bool = False) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs read accents correctly."""
    header, rows = answer_rows(audit, for_team=for_team)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _safe(text: str) -> str:
    text = text or ""
    return "'" + text if text.startswith(FORMULA_START) else text
