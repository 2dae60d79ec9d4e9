"""The report's tables as Markdown, a self-contained HTML page, CSV or JSON.

CSV: with ``--out DIR`` each table is its own file (``DIR/metricas.csv``, …, named by
``Table.name``); without it, one stream where each table starts with a ``# título`` line
and ends with a blank line. JSON is the report's data itself (``report.as_dict``), not the
tables: English keys, rates from 0 to 1.
"""

from __future__ import annotations

import csv
import html
import io
import json
from pathlib import Path

from bot.analytics.report import Report, as_dict
from bot.analytics.tables import DECIMAL, DURATION, NUMBER, PERCENT, Table, report_tables

FORMATS = ("md", "html", "csv", "json")


def cell(value: object, kind: str) -> str:
    """A value as a reader sees it: 41,2 %, 1.234, 3 min 20 s; an empty value is a dash."""
    if value is None or value == "":
        return "—"
    if kind == PERCENT and isinstance(value, int | float):
        return f"{value * 100:.1f} %".replace(".", ",")
    if kind == DECIMAL and isinstance(value, int | float):
        return f"{value:.2f}".replace(".", ",")
    if kind == NUMBER and isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    if kind == DURATION and isinstance(value, int | float):
        minutes, seconds = divmod(round(value), 60)
        return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"
    return str(value)


def title_of(report: Report) -> str:
    period = report.period
    channel = f", canal {period.channel}" if period.channel else ""
    return (
        f"Informe de puntos de dolor del {period.since:%d/%m/%Y} "
        f"al {period.until:%d/%m/%Y}{channel}"
    )


def to_markdown(report: Report) -> str:
    out = [f"# {title_of(report)}", ""]
    for table in report_tables(report):
        out += [f"## {table.title}", ""]
        if table.note:
            out += [table.note, ""]
        if not table.rows:
            out += ["Sin datos en este periodo.", ""]
            continue
        out.append("| " + " | ".join(h for h, _ in table.columns) + " |")
        out.append("|" + "|".join(" --- " for _ in table.columns) + "|")
        for row in table.rows:
            cells = [_md(cell(v, k)) for v, (_, k) in zip(row, table.columns, strict=True)]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    return "\n".join(out)


def _md(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#1d2733;max-width:1400px}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0 1rem}
th,td{border:1px solid #d5dbe3;padding:.3rem .5rem;vertical-align:top}
th{background:#eef2f6;text-align:left}td.n{text-align:right;white-space:nowrap}
p.nota{color:#52606d;font-size:.85rem;max-width:70rem}
"""


def to_html(report: Report) -> str:
    title = html.escape(title_of(report))
    parts = [
        "<!doctype html>",
        '<html lang="es"><head><meta charset="utf-8">',
        f"<title>{title}</title><style>{STYLE}</style></head><body>",
        f"<h1>{title}</h1>",
    ]
    for table in report_tables(report):
        parts.append(f'<section id="{table.name}"><h2>{html.escape(table.title)}</h2>')
        if table.note:
            parts.append(f'<p class="nota">{html.escape(table.note)}</p>')
        if not table.rows:
            parts.append("<p>Sin datos en este periodo.</p></section>")
            continue
        head = "".join(f"<th>{html.escape(h)}</th>" for h, _ in table.columns)
        parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>")
        for row in table.rows:
            cells = "".join(
                f"<td{' class=n' if k != 'text' else ''}>{html.escape(cell(v, k))}</td>"
                for v, (_, k) in zip(row, table.columns, strict=True)
            )
            parts.append(f"<tr>{cells}</tr>")
        parts.append("</tbody></table></section>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _csv_rows(table: Table) -> list[list[object]]:
    return [["" if v is None else v for v in row] for row in table.rows]


def to_csv(report: Report) -> str:
    """One stream, each table headed by a ``# título`` line and followed by a blank line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for table in report_tables(report):
        buffer.write(f"# {table.title}\n")
        writer.writerow([h for h, _ in table.columns])
        writer.writerows(_csv_rows(table))
        buffer.write("\n")
    return buffer.getvalue()


def table_csv(table: Table) -> str:
    """One table as a CSV file's text: the headings, then the rows (rates as 0–1 decimals)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([h for h, _ in table.columns])
    writer.writerows(_csv_rows(table))
    return buffer.getvalue()


def write_csv_folder(report: Report, folder: Path) -> list[Path]:
    """One UTF-8 CSV per table in ``folder`` (created if needed); the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in report_tables(report):
        path = folder / f"{table.name}.csv"
        path.write_text(table_csv(table), encoding="utf-8", newline="")
        written.append(path)
    return written


def to_json(report: Report) -> str:
    return json.dumps(as_dict(report), ensure_ascii=False, indent=2, default=str)


def render(report: Report, fmt: str) -> str:
    return {"md": to_markdown, "html": to_html, "csv": to_csv, "json": to_json}[fmt](report)
