"""The days a dashboard covers, per shop in the shop's own zone, and the two comparison periods."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Q

from orders.date_ranges import Preset, preset_days


@dataclass(frozen=True)
class Days:
    first: date
    last: date

    @property
    def length(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> "Days":
        return Days(self.first - timedelta(days=self.length), self.first - timedelta(days=1))

    def last_year(self) -> "Days":
        return Days(_year_before(self.first), _year_before(self.last))

    def shifted(self, days_before: int) -> "Days":
        return Days(self.first - timedelta(days=days_before), self.last)


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


# shop id -> its local days
Period = dict[int, Days]


def current_period(shops, preset: str, start: date | None, end: date | None, now: datetime) -> Period:
    if preset == Preset.CUSTOM:
        return {shop.pk: Days(start, end) for shop in shops}
    return {shop.pk: Days(*preset_days(preset, now.astimezone(shop.tzinfo).date())) for shop in shops}


def previous(period: Period) -> Period:
    return {shop_id: days.previous() for shop_id, days in period.items()}


def last_year(period: Period) -> Period:
    return {shop_id: days.last_year() for shop_id, days in period.items()}


def widened(period: Period, days_before: int) -> Period:
    return {shop_id: days.shifted(days_before) for shop_id, days in period.items()}


def in_period(period: Period) -> Q:
    """Rollup rows of each shop's own days (an index range per shop)."""
    cond = Q(pk__in=[])
    for shop_id, days in period.items():
        cond |= Q(shop_id=shop_id, day__gte=days.first, day__lte=days.last)
    return cond


def span(period: Period) -> Days:
    """The union of the shops' days (they differ by a day at most, as their zones' today may)."""
    return Days(min(d.first for d in period.values()), max(d.last for d in period.values()))


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def by_months(period: Period) -> tuple[Q, Q]:
    """(whole months, remaining days): a long range reads the monthly rollup for its whole months and
    the daily one for the edges. The first selects on `month`, the second on `day`."""
    months, days = Q(pk__in=[]), Q(pk__in=[])
    for shop_id, span_ in period.items():
        whole = []
        month = span_.first.replace(day=1)
        while month <= span_.last:
            following = _next_month(month)
            low, high = max(month, span_.first), min(following - timedelta(days=1), span_.last)
            if low == month and high == following - timedelta(days=1):
                whole.append(month)
            else:
                days |= Q(shop_id=shop_id, day__gte=low, day__lte=high)
            month = following
        if whole:
            months |= Q(shop_id=shop_id, month__in=whole)
    return months, days
