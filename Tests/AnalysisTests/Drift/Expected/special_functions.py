#!/usr/bin/env python3
"""Reference values for the special functions behind the drift statistics (scipy 1.17.1).

Prints Swift array literals of (inputs..., expected) tuples; DriftSpecialFunctionTests.swift
holds them pasted. Run with the oracles' venv:

    /work/oracles-venv/bin/python Tests/AnalysisTests/Drift/Expected/special_functions.py
"""
import math

import numpy as np
from scipy import special, stats
from scipy.stats import _stats_py


def lit(x):
    return repr(float(x)) if math.isfinite(x) else (".infinity" if x > 0 else "-.infinity")


def section(name, rows):
    print(f"    // {name}")
    print(f"    static let {name}: [[Double]] = [")
    for r in rows:
        print("        [" + ", ".join(lit(v) for v in r) + "],")
    print("    ]")


# kstwo.sf(x, n): every region of scipy's _kolmogn
kstwo = []
for n, x in [
    (1, 0.3), (1, 0.7), (3, 0.2), (3, 0.4), (5, 0.15), (5, 0.25), (10, 0.05), (10, 0.12),
    (10, 0.3), (10, 0.55), (10, 0.95), (50, 0.05), (50, 0.1), (50, 0.2), (50, 0.35), (140, 0.02),
    (140, 0.06), (140, 0.12), (140, 0.2), (141, 0.006), (141, 0.05), (141, 0.2), (500, 0.0015),
    (500, 0.01), (500, 0.03), (500, 0.08), (500, 0.3), (5143, 0.001), (5143, 0.003),
    (5143, 0.012), (5143, 0.025), (5143, 0.05), (5143, 0.2), (100000, 0.0002), (100000, 0.003),
    (100000, 0.006), (250000, 0.002), (250000, 0.004), (250000, 0.01), (2000000, 0.0015),
    (2000000, 0.002),
]:
    kstwo.append((n, x, stats.kstwo.sf(x, n)))
section("kstwoSurvival", kstwo)

smirnov = []
for n, x in [(2, 0.3), (5, 0.1), (5, 0.5), (10, 0.05), (10, 0.31), (10, 0.95), (100, 0.2),
             (1000, 0.05), (5000, 0.03), (60000, 0.01), (300000, 0.003), (2000000, 0.001)]:
    smirnov.append((n, x, special.smirnov(n, x)))
section("smirnov", smirnov)

# exact two-sample probabilities P(D >= h/lcm)
exact = []
for n1, n2, h in [(10, 10, 5), (10, 10, 1), (7, 13, 40), (7, 13, 91), (800, 600, 848),
                  (800, 600, 114), (50, 30, 40), (1, 7, 7), (1, 7, 4), (3000, 2000, 300),
                  (9999, 10000, 2000000), (9999, 10000, 3000000),
                  (9999, 10000, 15305000), (600, 800, 1200), (1000, 999, 300000)]:
    g = math.gcd(n1, n2)
    lcm = (n1 // g) * n2
    ok, d, p = _stats_py._attempt_exact_2kssamp(n1, n2, g, h / lcm, "two-sided")
    exact.append((n1, n2, h, p))
section("exactTwoSample", exact)

# chi-square survival and quantile
chi = []
for k, x in [(1, 0.5), (1, 3.8402457757296466), (1, 13.323464100666174), (1, 80.0), (2, 10.0),
             (2, 1e-3), (3, 2.5), (3, 40.0), (9, 5.0), (9, 40.0), (25, 20.0), (25, 80.0),
             (100, 90.0), (100, 300.0), (999, 1000.0), (999, 1500.0), (4, 1e-6), (30, 0.5)]:
    chi.append((k, x, stats.chi2.sf(x, k)))
section("chiSquareSurvival", chi)
ppf = []
for k in [1, 2, 3, 9, 10, 25, 100, 999]:
    for p in [0.95, 0.5, 0.01, 0.999999]:
        ppf.append((k, p, stats.chi2.ppf(p, k)))
section("chiSquareQuantile", ppf)

# hypergeometric pmf / cdf / sf (M, n, N, k)
hyp = []
for M, n, N, k in [(100, 50, 7, 1), (100, 50, 7, 6), (100, 50, 7, 3), (2000, 1000, 70, 20),
                   (2000, 1000, 70, 50), (2000000, 1000000, 3000, 1400), (2000000, 1000000, 3000, 1620),
                   (60, 10, 20, 0), (60, 10, 20, 10)]:
    hyp.append((M, n, N, k, stats.hypergeom.pmf(k, M, n, N), stats.hypergeom.cdf(k, M, n, N),
                stats.hypergeom.sf(k, M, n, N)))
section("hypergeometric", hyp)

# Fisher's exact test (a, b, c, d) -> odds ratio (nan -> -1), p
fisher = []
for t in [(1, 49, 6, 44), (20, 980, 50, 950), (0, 40, 0, 60), (0, 200, 7, 143), (3, 0, 0, 3),
          (5, 5, 5, 5), (10, 2, 3, 15), (2, 7, 8, 2), (0, 5, 5, 0), (12, 5, 3, 12), (100, 900, 130, 870),
          (1, 0, 0, 0), (4, 996, 12, 988)]:
    r = stats.fisher_exact([[t[0], t[1]], [t[2], t[3]]])
    o = float(r.statistic)
    fisher.append((*t, -1.0 if math.isnan(o) else o, r.pvalue))
section("fisher", fisher)
