#!/usr/bin/env python3
"""The Monte-Carlo spread of scipy's p95-delta bootstrap (oracle_drift.py's call) over seeds.

For each numeric case (p95 delta; and the p50 delta of the latency example): the mean and the
standard deviation, over seeds 0..19, of the 95 % percentile interval's ends and of the bootstrap standard error, in the units of the data.
DriftTestsBootstrap compares relops' bootstrap, over its own seeds, with these.

    /work/oracles-venv/bin/python Tests/AnalysisTests/Drift/Expected/bootstrap_spread.py
"""
import csv
import json
from pathlib import Path

import numpy as np
from scipy import stats

HERE = Path(__file__).resolve().parent


def column(path):
    with open(path) as fh:
        return [float(r[0]) for r in list(csv.reader(fh))[1:] if r]


def pair(path):
    o = json.loads(Path(path).read_text())
    return [float(v) for v in o["baseline"]], [float(v) for v in o["current"]]


cases = {
    "tiny_numeric": pair(HERE / "examples/tiny_numeric_pair.json"),
    "latency": (column(HERE / "examples/latency_baseline.csv"), column(HERE / "examples/latency_current.csv")),
    "latency_same": (column(HERE / "examples/latency_baseline.csv"), column(HERE / "examples/latency_same_current.csv")),
    "latency_large": pair(HERE / "examples/latency_large_pair.json"),
    "ties": pair(HERE / "case_ties.json"),
    "exact_mwu": pair(HERE / "case_exact_mwu.json"),
    "few_values": pair(HERE / "case_few_values.json"),
    "large_shift": pair(HERE / "case_large_shift.json"),
}


def delta(q):
    def statistic(c, b, axis=-1):
        return np.percentile(c, q, axis=axis) - np.percentile(b, q, axis=axis)
    return statistic


runs = [(name, data, 95) for name, data in cases.items()] + [("latency_p50", cases["latency"], 50)]
for name, (b, c), q in runs:
    b, c = np.asarray(b), np.asarray(c)
    lows, highs, ses = [], [], []
    for seed in range(20):
        r = stats.bootstrap((c, b), delta(q), vectorized=True, paired=False, n_resamples=10000,
                            confidence_level=0.95, method="percentile", rng=np.random.default_rng(seed))
        lows.append(r.confidence_interval.low)
        highs.append(r.confidence_interval.high)
        ses.append(r.standard_error)
    row = [np.mean(lows), np.std(lows, ddof=1), np.mean(highs), np.std(highs, ddof=1), np.mean(ses), np.std(ses, ddof=1)]
    print(f'"{name}": [' + ", ".join(repr(float(v)) for v in row) + "],")
