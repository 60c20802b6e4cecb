#!/usr/bin/env python3
"""Expected values for the AnalysisTests (paired deltas, flip tables, intervals).

Every number is computed by scipy 1.17 / numpy 2.x on fixed data made here
deterministically (seeded numpy generator, or formulas that Swift reproduces
bit for bit through the same libm). The output is Swift source: the literals in
Tests/AnalysisTests/*Tests.swift were pasted from it. Re-run after changing a case:

    python3 Tests/AnalysisTests/oracle/paired_oracle.py > /tmp/oracle.swift

(any python with scipy 1.17 and numpy 2.x; the first line printed names the versions used).
"""
from __future__ import annotations

import math

import numpy as np
import scipy
from scipy import special, stats


def lit(x: float) -> str:
    """A Swift literal that parses to the same double (repr is the shortest round-trip form)."""
    if math.isnan(x):
        return ".nan"
    if math.isinf(x):
        return ".infinity" if x > 0 else "-.infinity"
    return repr(float(x))


def array(name: str, xs) -> str:
    body = ", ".join(lit(x) for x in xs)
    return f"let {name}: [Double] = [{body}]"


# --- data sets ----------------------------------------------------------------------------

def latency_data():
    """n = 50, right-skewed like latencies (ms), rounded to 0.1 so the literals are short."""
    rng = np.random.default_rng(20260101)
    a = np.round(rng.lognormal(mean=6.0, sigma=0.5, size=50), 1)
    factor = rng.lognormal(mean=0.05, sigma=0.2, size=50)
    b = np.round(a * factor, 1)
    return [float(x) for x in a], [float(x) for x in b]


def long_data(n=2000):
    """n = 2000 from formulas Swift reproduces exactly (Glibc sin/cos, same evaluation order)."""
    a = [math.sin(i) * 100.0 + float(i % 7) + 500.0 for i in range(n)]
    b = [a[i] + math.cos(0.37 * i) * 20.0 + 3.0 + float(i % 5) for i in range(n)]
    return a, b


SMALL_A = [120.0, 95.5, 143.25]
SMALL_B = [118.5, 101.0, 150.0]
# Ties: differences take few distinct values (median interval lands on tied order statistics).
TIES_A = [10.0, 12.0, 9.0, 11.0, 10.0, 13.0, 8.0, 10.0, 12.0, 11.0, 9.0, 10.0]
TIES_B = [11.0, 13.0, 10.0, 11.0, 12.0, 14.0, 9.0, 10.0, 13.0, 12.0, 10.0, 12.0]


def median_interval(d, confidence):
    """Order-statistic interval for the median: the largest k with 2*binom.cdf(k-1, n, 1/2) <= 1-conf."""
    n = len(d)
    s = sorted(d)
    alpha = 1.0 - confidence
    best = None
    for k in range(1, (n + 1) // 2 + 1):
        if 2.0 * stats.binom.cdf(k - 1, n, 0.5) <= alpha:
            best = k
        else:
            break
    if best is None:
        return None
    # Cross-check with the quantile form used in textbooks: k = binom.ppf(alpha/2, n, 1/2).
    k_ppf = int(stats.binom.ppf(alpha / 2, n, 0.5))
    assert k_ppf == best, (k_ppf, best)
    coverage = 1.0 - 2.0 * stats.binom.cdf(best - 1, n, 0.5)
    return best, s[best - 1], s[n - best], coverage


def paired_case(name, a, b, confidence=0.95):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    d = b - a
    r = stats.ttest_rel(b, a)
    ci = r.confidence_interval(confidence)
    print(f"// {name}: n={len(a)}, confidence={confidence}")
    print(f"//   meanA={lit(np.mean(a))} meanB={lit(np.mean(b))} meanDelta={lit(np.mean(d))}"
          f" relativeDelta={lit(np.mean(d) / np.mean(a))}")
    print(f"//   ttest_rel(b, a): t={lit(r.statistic)} p={lit(r.pvalue)} df={int(r.df)}")
    print(f"//   confidence_interval: [{lit(ci.low)}, {lit(ci.high)}]")
    print(f"//   median(d)={lit(np.median(d))}")
    mi = median_interval(list(d), confidence)
    if mi is None:
        print("//   median interval: none (coverage below confidence even at [min, max])")
    else:
        k, lo, hi, cov = mi
        print(f"//   median interval: k={k} [{lit(lo)}, {lit(hi)}] coverage={lit(cov)}")


def main():
    print(f"// scipy {scipy.__version__}, numpy {np.__version__}")
    print("// ---- data ----")
    la, lb = latency_data()
    print(array("latencyA", la))
    print(array("latencyB", lb))
    print("// ---- paired deltas ----")
    paired_case("latency", la, lb)
    paired_case("latency", la, lb, confidence=0.99)
    paired_case("latency", la, lb, confidence=0.90)
    paired_case("small", SMALL_A, SMALL_B)
    paired_case("ties", TIES_A, TIES_B)
    ga, gb = long_data()
    print(f"// long: a[0..2]={[lit(x) for x in ga[:3]]} b[0..2]={[lit(x) for x in gb[:3]]}")
    paired_case("long", ga, gb)

    print("// ---- descriptive: np.percentile(latencyA, q) (method='linear'), np.std(ddof=1) ----")
    for q in [0, 10, 25, 50, 90, 99, 100]:
        print(f"({q}, {lit(np.percentile(la, q))}),")
    print(f"// mean={lit(np.mean(la))} std={lit(np.std(la, ddof=1))} median={lit(np.median(la))}")
    print("// ---- Student t quantile: stats.t.ppf(p, df) ----")
    for df in [1, 2, 3, 4, 5, 7, 10, 29, 49, 100, 1999, 100000]:
        row = ", ".join(f"({p}, {lit(stats.t.ppf(p, df))})"
                        for p in [0.6, 0.9, 0.975, 0.995, 0.9995, 1e-6])
        print(f"({df}, [{row}]),")
    print("// ---- Student t two-sided p: 2 * stats.t.sf(|t|, df) ----")
    for t, df in [(0.0, 5), (0.5, 1), (1.96, 10), (-2.5, 3), (3.7, 49), (12.0, 7), (40.0, 1999), (0.01, 100000)]:
        print(f"({t}, {df}, {lit(2 * stats.t.sf(abs(t), df))}),")
    print("// ---- normal quantile: special.ndtri(p) ----")
    for p in [1e-300, 1e-20, 1e-10, 0.001, 0.025, 0.3, 0.5, 0.6, 0.975, 0.995, 0.999999]:
        print(f"({p}, {lit(special.ndtri(p))}),")
    print("// ---- regularized incomplete beta: special.betainc(a, b, x) ----")
    for a, b, x in [(0.5, 0.5, 0.3), (2.0, 3.0, 0.4), (1000.0, 0.5, 0.999), (0.5, 1000.0, 0.001),
                    (50.0, 60.0, 0.45), (5.0, 2.0, 0.999), (999.5, 0.5, 0.98), (5e5, 5e5, 0.499)]:
        print(f"({a}, {b}, {x}, {lit(special.betainc(a, b, x))}),")
    print("// ---- binomial(n, 1/2): log cdf ----")
    for k, n in [(0, 1), (3, 15), (25, 65), (430, 930), (499000, 1000000), (0, 1000000), (956, 2000)]:
        v = stats.binom.logcdf(k, n, 0.5)
        if not math.isfinite(v):
            v = n * math.log(0.5) if k == 0 else v
        print(f"({k}, {n}, {lit(v)}),")
    print("// ---- McNemar exact: binomtest(min(b, c), b + c, 0.5).pvalue ----")
    for b, c in [(0, 0), (3, 12), (40, 25), (500, 430), (7, 7), (0, 9), (499700, 500300), (499000, 501000)]:
        p = 1.0 if b + c == 0 else stats.binomtest(min(b, c), b + c, 0.5).pvalue
        print(f"({b}, {c}, {lit(p)}),")
    print("// ---- Wilson: binomtest(k, n).proportion_ci(confidence, method='wilson') ----")
    for k, n, conf in [(0, 10, 0.95), (10, 10, 0.95), (3, 12, 0.95), (40, 100, 0.95), (1, 1, 0.95),
                       (500, 930, 0.95), (0, 1, 0.95), (40, 100, 0.99), (17, 250, 0.90),
                       (38, 100, 0.95), (47, 100, 0.95)]:
        ci = stats.binomtest(k, n).proportion_ci(confidence_level=conf, method="wilson")
        print(f"({k}, {n}, {conf}, {lit(ci.low)}, {lit(ci.high)}),")


if __name__ == "__main__":
    main()
