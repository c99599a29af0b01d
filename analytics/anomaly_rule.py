"""The anomaly rule, on plain numbers: a region's day is flagged when its orders are at least
MIN_ORDERS and exceed median + K x MAD of the WINDOW previous calendar days (days without orders
count as 0); the MAD is taken as at least 1, so that a flat baseline does not flag a small wobble.
A day is judged only when the shop has WINDOW days of history before it (its first orders are not
a spike). Robust: one earlier spike in the window moves neither the median nor the MAD.

K = 6 and MIN_ORDERS = 20: on the demo data (Poisson-like daily counts per state) a region with a
median of 30 a day needs about 52 to be flagged, some four standard deviations; a quiet region
(median 3) needs 20. The sale days of the demo (11.11, 12.12, Black Friday) are flagged, as they should."""

from bisect import insort
from statistics import median

K = 6
WINDOW = 28
MIN_ORDERS = 20


def threshold(baseline: float, mad: float) -> float:
    return baseline + K * max(mad, 1)


def scan(counts: list[int], start: int, judge_from: int = 0) -> list[tuple[int, int, float, float]]:
    """(index, orders, median, MAD) of the flagged days among counts[start:] from index `judge_from` on;
    counts[start - WINDOW:start] (zeros where the list does not reach) are the first day's baseline."""
    window = sorted(counts[i] if i >= 0 else 0 for i in range(start - WINDOW, start))
    half = WINDOW // 2
    out = []
    for i in range(start, len(counts)):
        n = counts[i]
        if n >= MIN_ORDERS and i >= judge_from:
            middle = (window[half - 1] + window[half]) / 2
            if n > middle + K:  # a cheap bound first: the MAD is at least 1
                mad = median([abs(x - middle) for x in window])
                if n > threshold(middle, mad):
                    out.append((i, n, middle, mad))
        leaving = i - WINDOW
        window.remove(counts[leaving] if leaving >= 0 else 0)
        insort(window, n)
    return out
