"""Everything the Analytics page shows, as tables (which the CSV downloads repeat) and charts."""

from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import quote_plus

from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from .. import anomaly_rule as rule
from .. import charts
from .anomalies import find as find_anomalies
from .figures import FUNNEL, bucket_of, by_hour, by_weekday, daily, name_rows, products, regions, series, top, totals
from .periods import Period, last_year, previous, span

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
TOP = 10


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    chart: str = ""  # inline SVG, when the table has one
    links: list = field(default_factory=list)  # per row: a URL (shown in the page, not in the CSV)
    extra_charts: list = field(default_factory=list)

    @property
    def body(self) -> str:
        """The table's rows as HTML (built here: thousands of cells render ten times faster than in a template)."""
        if not self.rows:
            return format_html('<tr><td colspan="{}">Nothing in this range.</td></tr>', len(self.headers))
        link_cell = mark_safe("<td></td>")
        out = []
        for row, link in self.lines:
            cells = "".join(f"<td>{escape(cell)}</td>" for cell in row)
            if self.links:
                cells += format_html('<td><a href="{}">View orders</a></td>', link) if link else link_cell
            out.append(f"<tr>{cells}</tr>")
        return mark_safe("".join(out))

    @property
    def lines(self):
        """(row, link or None) pairs for the page."""
        return [(row, self.links[i] if i < len(self.links) else None) for i, row in enumerate(self.rows)]


def pick_grain(grain: str, days: int) -> str:
    if grain != "auto":
        return grain
    return "day" if days <= 62 else "week" if days <= 366 else "month"


def _change(now, then) -> str:
    if now is None or then in (None, 0):
        return ""
    return f"{(Decimal(now) - Decimal(then)) * 100 / Decimal(then):+.1f}"


def _points(now, then) -> str:
    if now is None or then is None:
        return ""
    return f"{Decimal(now) - Decimal(then):+.1f} pp"


def _text(value) -> str:
    return "" if value is None else str(value)


def build(shops, period: Period, grain: str, compare: str) -> dict:
    currency_of = {shop.pk: shop.currency for shop in shops}
    code_of = {shop.pk: shop.code for shop in shops}
    name_of = {shop.pk: shop.name for shop in shops}
    currencies = sorted(set(currency_of.values()))
    before, year_ago = previous(period), last_year(period)
    now_totals, prev_totals, ly_totals = (totals(p, currency_of) for p in (period, before, year_ago))
    tables = {"kpis": _kpis(now_totals, prev_totals, ly_totals)}

    found = find_anomalies(period)
    whole = span(period)
    grain = pick_grain(grain, whole.length)
    comparison = year_ago if compare == "last_year" else before
    shift = {s: (period[s].first - comparison[s].first).days for s in period}
    current_days = daily(period)
    buckets, now, then = series(current_days, daily(comparison), shift, grain, currency_of, whole.first, whole.last)
    tables["trend"] = _trend(buckets, now, then, currencies, grain, compare, found)

    sold = products(period, currency_of)
    for by in ("product", "sku"):
        tables[f"{by}s_revenue"] = _products(sold[by], by, "revenue", currencies)
        tables[f"{by}s_units"] = _products(sold[by], by, "units", currencies)
    countries, states = regions(period, currency_of)
    tables["countries"] = _regions(
        "Orders and GMV by ship-to country", ["Country"], countries, currencies, lambda key: [key]
    )
    tables["states"] = _regions(
        "Orders and GMV by ship-to state", ["Country", "State"], states, currencies, lambda key: list(key)
    )
    tables["funnel"] = _funnel(now_totals)
    tables["hours"] = _simple(
        "Orders by hour of day (shop time)", "Hour", [f"{h:02d}:00" for h in range(24)], by_hour(period), "hours"
    )
    tables["weekdays"] = _simple(
        "Orders by weekday (shop time)", "Weekday", WEEKDAYS, by_weekday(current_days), "weekdays"
    )
    tables["anomalies"] = _anomalies(found, code_of, name_of)
    return {
        "tables": tables,
        "currencies": currencies,
        "grain": grain,
        "anomalies": found,
        "totals": now_totals,
        "anomaly_k": rule.K,
        "anomaly_window": rule.WINDOW,
        "anomaly_min": rule.MIN_ORDERS,
        "kpi_cards": _cards(now_totals, prev_totals, ly_totals),
    }


# -- KPIs --------------------------------------------------------------------------------------------
def _kpi_values(t) -> list[tuple[str, str, object]]:
    rate = t.cancellation_rate
    rows = [("Orders", "", t.counts["orders"]), ("Units sold", "", t.units), ("Cancellation rate %", "", rate)]
    for currency in sorted(t.gmv):
        rows += [
            ("GMV", currency, t.gmv[currency]),
            ("Average order value", currency, t.aov[currency]),
            ("Refunded amount", currency, t.refunded[currency]),
        ]
    return rows


def _kpis(now, prev, ly) -> Table:
    table = Table(
        "Key figures",
        ["Metric", "Currency", "This period", "Previous period", "Change", "Same period last year", "Change"],
    )
    for (metric, currency, value), (_, _, p), (_, _, y) in zip(_kpi_values(now), _kpi_values(prev), _kpi_values(ly)):
        change = _points if metric.endswith("%") else _change  # a rate changes by percentage points
        table.rows.append([metric, currency, _text(value), _text(p), change(value, p), _text(y), change(value, y)])
    return table


def _cards(now, prev, ly) -> list[dict]:
    cards = {}
    for row in _kpis(now, prev, ly).rows:
        cards.setdefault(row[0], []).append(
            {
                "currency": row[1],
                "value": row[2],
                "previous": row[3],
                "unit": "" if row[4].endswith("pp") else "%",
                "vs_previous": row[4],
                "last_year": row[5],
                "vs_last_year": row[6],
            }
        )
    order = ["Orders", "GMV", "Average order value", "Units sold", "Cancellation rate %", "Refunded amount"]
    return [{"name": name, "figures": cards[name]} for name in order if name in cards]


# -- trend -------------------------------------------------------------------------------------------
def _trend(buckets, now, then, currencies, grain, compare, found) -> Table:
    against = "same period last year" if compare == "last_year" else "previous period"
    headers = [f"{grain.title()} starting", "Orders", f"Orders ({against})"]
    for c in currencies:
        headers += [f"GMV {c}", f"GMV {c} ({against})"]
    table = Table(f"Orders and GMV by {grain}", headers + ["Anomalies"])
    flagged = {}
    for a in found:
        flagged[bucket_of(a.day, grain)] = flagged.get(bucket_of(a.day, grain), 0) + 1
    for b in buckets:
        row = [b.isoformat(), now[b]["orders"], then[b]["orders"]]
        for c in currencies:
            row += [
                str(now[b]["gmv"].get(c, Decimal("0.00")).quantize(Decimal("0.01"))),
                str(then[b]["gmv"].get(c, Decimal("0.00")).quantize(Decimal("0.01"))),
            ]
        table.rows.append(row + [flagged.get(b, 0)])
    labels = [b.strftime("%d %b") if grain != "month" else b.strftime("%b %Y") for b in buckets]
    marks = {i for i, b in enumerate(buckets) if flagged.get(b)}
    table.chart = charts.line_chart(
        "chart-trend",
        f"Orders by {grain}",
        f"Orders per {grain} in the range (solid line) against the "
        f"{against} (dashed line); circles mark {grain}s with an anomaly.",
        labels,
        [now[b]["orders"] for b in buckets],
        [then[b]["orders"] for b in buckets],
        marks,
        then_label=f"Orders, {against}",
    )
    table.extra_charts = [
        charts.line_chart(
            f"chart-gmv-{c.lower()}",
            f"GMV in {c} by {grain}",
            f"Gross merchandise value in {c} per {grain} "
            f"(solid) against the {against} (dashed); other currencies are drawn separately, never added.",
            labels,
            [float(now[b]["gmv"].get(c, 0)) for b in buckets],
            [float(then[b]["gmv"].get(c, 0)) for b in buckets],
            then_label=f"GMV {c}, {against}",
        )
        for c in currencies
    ]
    return table


# -- products, regions, funnel, hours ----------------------------------------------------------------
def _products(rows, by, key, currencies) -> Table:
    what = "Products" if by == "product" else "SKUs"
    ident = ["Product ID", "Product"] if by == "product" else ["SKU ID", "Seller SKU", "Product", "Variation"]
    table = Table(
        f"Top {TOP} {what.lower()} by {'revenue' if key == 'revenue' else 'units sold'}",
        ["Rank", "Currency", *ident, "Units", "Revenue"],
    )
    groups = [[r for r in rows if r["currency"] == c] for c in currencies] if key == "revenue" else [rows]
    for group in groups:
        for rank, r in enumerate(name_rows(top(group, key), by), 1):
            names = (
                [r["product_id"], r.get("product_name", "")]
                if by == "product"
                else [r["sku_id"], r.get("seller_sku", ""), r.get("product_name", ""), r.get("sku_name", "")]
            )
            table.rows.append([rank, r["currency"], *names, r["units"], str(r["revenue"])])
    if key == "revenue" and len(currencies) > 1:
        table.title += " (ranked within each currency)"
    return table


def _regions(title, key_headers, items, currencies, key_cells) -> Table:
    table = Table(title, [*key_headers, "Orders", *[f"GMV {c}" for c in currencies]])
    for key, entry in items:
        table.rows.append(
            [
                *key_cells(key),
                entry["orders"],
                *[str(entry["gmv"].get(c, Decimal("0.00")).quantize(Decimal("0.01"))) for c in currencies],
            ]
        )
    shown = table.rows[:15]
    labels = [", ".join(str(c) for c in reversed(r[: len(key_headers)]) if c) for r in shown]
    chart_id = "chart-" + ("states" if len(key_headers) == 2 else "countries")
    table.chart = charts.bar_chart(
        chart_id,
        title.replace("and GMV ", ""),
        f"Orders per region, the {len(shown)} largest of {len(table.rows)}; GMV per currency is in the table.",
        labels,
        [r[len(key_headers)] for r in shown],
    )
    return table


def _funnel(t) -> Table:
    placed = t.counts["orders"]
    table = Table("Status funnel", ["Stage", "Orders", "Share of placed %"])
    for name, label in FUNNEL:
        n = t.counts[name]
        table.rows.append([label, n, f"{Decimal(n * 100) / placed:.1f}" if placed else ""])
    table.chart = charts.bar_chart(
        "chart-funnel",
        "Status funnel",
        "Orders placed in the range that were paid, shipped, delivered, completed, cancelled or refunded.",
        [r[0] for r in table.rows],
        [r[1] for r in table.rows],
    )
    return table


def _simple(title, head, labels, values, name) -> Table:
    table = Table(title, [head, "Orders"], [[label, v] for label, v in zip(labels, values)])
    table.chart = charts.bar_chart(f"chart-{name}", title, f"{title}, in each shop's own time zone.", labels, values)
    return table


def _anomalies(found, code_of, name_of) -> Table:
    table = Table("Anomalies", ["Day", "Shop", "Region", "Orders", "Baseline (median of 28 days)", "MAD", "Threshold"])
    orders = reverse("order_list")
    for a in found:
        table.rows.append(
            [
                a.day.isoformat(),
                name_of[a.shop_id],
                a.region,
                a.orders,
                f"{a.baseline:g}",
                f"{a.mad:g}",
                f"{a.threshold:g}",
            ]
        )
        day = a.day.isoformat()
        where = f"&state={quote_plus(a.state)}" if a.state else ""
        table.links.append(
            f"{orders}?preset=custom&date_from={day}&date_to={day}&country={quote_plus(a.country)}"
            f"{where}&shop={quote_plus(code_of[a.shop_id])}"
        )
    return table
