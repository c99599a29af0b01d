from analytics.anomaly_rule import MIN_ORDERS, WINDOW, K, scan, threshold


def test_the_rule_on_numbers():
    assert (K, WINDOW, MIN_ORDERS) == (6, 28, 20)
    baseline = [30, 28, 33, 31, 27, 35, 29] * 4  # median 30, MAD 2
    assert threshold(30, 2) == 42
    assert scan(baseline + [43], WINDOW) == [(28, 43, 30.0, 2.0)]
    assert scan(baseline + [42], WINDOW) == []  # must exceed the threshold


def test_an_earlier_spike_does_not_hide_the_next_one():
    counts = [30, 28, 33, 31, 27, 35, 29] * 4 + [500] + [30] * 5 + [60]
    assert [i for i, *_ in scan(counts, WINDOW)] == [28, 34]


def test_a_flat_quiet_region_needs_the_minimum():
    counts = [2] * 28 + [19, 2, 20]
    assert [(i, n) for i, n, *_ in scan(counts, WINDOW)] == [(30, 20)]  # 19 is below the minimum of 20


def test_days_without_history_are_not_judged():
    counts = [0] * 28 + [50, 50]
    assert scan(counts, WINDOW, judge_from=29) == [(29, 50, 0.0, 0.0)]
    assert scan(counts, WINDOW, judge_from=30) == []
