"""Small server-side SVG charts: no script, no inline style (colours come from analytics.css classes).

Each chart carries <title> and <desc> referenced by aria-labelledby; the numbers are also in the
data table beside it, and in its CSV download.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 720, 240, 56, 12, 12, 28


def _head(chart_id: str, title: str, desc: str, width: int, height: int) -> list[str]:
    return [
        f'<svg class="chart" id="{chart_id}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 or value == int(value) else f"{value:,.2f}"


def line_chart(
    chart_id: str,
    title: str,
    desc: str,
    labels: list[str],
    now: list[float],
    then: list[float] | None = None,
    marks: set[int] = frozenset(),
    now_label="This period",
    then_label="Comparison",
) -> str:
    parts = _head(chart_id, title, desc, WIDTH, HEIGHT)
    top = _nice_max(max([*now, *(then or []), 0]))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    count = max(len(labels), 1)

    def x(i):
        return LEFT + (plot_w * (i + 0.5) / count)

    def y(v):
        return TOP + plot_h - plot_h * float(v) / top

    for fraction in (0, 0.5, 1):
        gy = TOP + plot_h - plot_h * fraction
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{gy:.1f}" y2="{gy:.1f}"/>')
        parts.append(
            f'<text class="tick" x="{LEFT - 6}" y="{gy + 4:.1f}" text-anchor="end">{_number(top * fraction)}</text>'
        )
    step = max(1, count // 8)
    for i in range(0, len(labels), step):
        parts.append(
            f'<text class="tick" x="{x(i):.1f}" y="{HEIGHT - 8}" text-anchor="middle">{escape(labels[i])}</text>'
        )
    for values, css, name in ((then, "series-then", then_label), (now, "series-now", now_label)):
        if values:
            points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
            parts.append(f'<polyline class="{css}" points="{points}"><title>{escape(name)}</title></polyline>')
    for i in sorted(marks):
        if 0 <= i < len(now):
            parts.append(
                f'<circle class="mark" cx="{x(i):.1f}" cy="{y(now[i]):.1f}" r="5">'
                f"<title>Anomaly: {escape(labels[i])}</title></circle>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def bar_chart(chart_id: str, title: str, desc: str, labels: list[str], values: list[float]) -> str:
    row, label_w, value_w = 22, 170, 80
    height = TOP + row * max(len(values), 1) + 8
    parts = _head(chart_id, title, desc, WIDTH, height)
    top = _nice_max(max([*values, 0]))
    plot_w = WIDTH - label_w - value_w
    for i, (label, value) in enumerate(zip(labels, values)):
        y = TOP + i * row
        w = plot_w * float(value) / top
        parts.append(f'<text class="tick" x="{label_w - 6}" y="{y + 15}" text-anchor="end">{escape(label[:28])}</text>')
        parts.append(f'<rect class="bar" x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row - 6}"/>')
        parts.append(f'<text class="tick" x="{label_w + w + 6:.1f}" y="{y + 15}">{_number(float(value))}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
