#!/usr/bin/env python3
"""The peers of the drift and explain benchmark (issue 6): what an analyst runs today for the
same questions, DuckDB reading its own store of the same corpus (peers.py builds it) and scipy
doing the statistics.

  drift:   both slices' signals fetched from DuckDB into numpy; per numeric signal scipy's
           ks_2samp and wasserstein_distance, PSI on 10 baseline-quantile bins and the
           Jensen-Shannon distance on the same bins; per 0/1 signal the two-proportion z-test
           and Fisher's exact test; chi-square for finish_reason. No bootstrap intervals (relops
           computes 2,000 resamples of p50 and p95 per numeric signal), and only the 10 signals
           DuckDB's table has (relops: 13).
  explain: DuckDB's GROUP BY GROUPING SETS over the 8 dimensions its table has (relops: 15),
           counts and sums per value for both slices: the data work of Adtributor, whose
           arithmetic on a few hundred aggregates takes microseconds.

Usage:  investigate_peer.py drift|explain DUCKDB_STORE
Prints a short JSON summary (so answers can be compared by eye).
"""
import json
import sys

import duckdb
import numpy as np
from scipy import stats
from scipy.spatial.distance import jensenshannon

NUMERIC = ["latency_ms", "cost_usd", "input_tokens", "output_tokens", "top_score", "tool_errors"]
BOOLEAN = {"refused": "refused", "error": "error::INTEGER", "tool_error": "(tool_errors > 0)::INTEGER"}
DIMENSIONS = ["prompt_version", "model", "index_version", "release", "environment", "cohort", "intent", "finish_reason"]


def psi_and_js(a, b):
    edges = np.unique(np.quantile(a, np.linspace(0, 1, 11)))
    if len(edges) < 2:
        return 0.0, 0.0
    pa = np.histogram(a, bins=edges)[0] / len(a)
    pb = np.histogram(b, bins=edges)[0] / len(b)
    pa, pb = np.clip(pa, 1e-4, None), np.clip(pb, 1e-4, None)
    return float(np.sum((pb - pa) * np.log(pb / pa))), float(jensenshannon(pa, pb, base=2))


def drift(con):
    cols = ", ".join(NUMERIC + list(BOOLEAN.values()))
    a = con.execute(f"SELECT {cols} FROM traces WHERE prompt_version = 'v1'").fetchnumpy()
    b = con.execute(f"SELECT {cols} FROM traces WHERE prompt_version = 'v2'").fetchnumpy()
    out = {}
    for name in NUMERIC:
        x = np.asarray(a[name], dtype=float); y = np.asarray(b[name], dtype=float)
        x, y = x[~np.isnan(x)], y[~np.isnan(y)]
        ks = stats.ks_2samp(x, y)
        psi, js = psi_and_js(x, y)
        w = stats.wasserstein_distance(x, y) / (np.std(x) or 1)
        out[name] = {"ks": float(ks.statistic), "p": float(ks.pvalue), "psi": psi, "js": js, "wasserstein": float(w)}
    for i, name in enumerate(BOOLEAN):
        col = list(a.keys())[len(NUMERIC) + i]
        x = np.asarray(a[col], dtype=float); y = np.asarray(b[col], dtype=float)
        x, y = x[~np.isnan(x)], y[~np.isnan(y)]
        k1, n1, k2, n2 = x.sum(), len(x), y.sum(), len(y)
        p = (k1 + k2) / (n1 + n2)
        z = (k2 / n2 - k1 / n1) / np.sqrt(p * (1 - p) * (1 / n1 + 1 / n2)) if 0 < p < 1 else 0.0
        fisher = stats.fisher_exact([[k1, n1 - k1], [k2, n2 - k2]])[1]
        out[name] = {"rate_a": k1 / n1, "rate_b": k2 / n2, "z": float(z), "fisher_p": float(fisher)}
    counts = con.execute("""
        SELECT finish_reason, count(*) FILTER (WHERE prompt_version = 'v1'), count(*) FILTER (WHERE prompt_version = 'v2')
        FROM traces WHERE prompt_version IN ('v1', 'v2') AND finish_reason IS NOT NULL GROUP BY 1""").fetchall()
    table = np.array([[c[1] for c in counts], [c[2] for c in counts]])
    out["finish_reason"] = {"chi2_p": float(stats.chi2_contingency(table, correction=False)[1])}
    return out


def explain(con):
    sets = ", ".join(f"({d})" for d in DIMENSIONS)
    rows = con.execute(f"""
        SELECT {", ".join(DIMENSIONS)},
               count(*) FILTER (WHERE ts < TIMESTAMP '2026-11-05'), sum(refused) FILTER (WHERE ts < TIMESTAMP '2026-11-05'),
               count(*) FILTER (WHERE ts >= TIMESTAMP '2026-11-07 12:00:00'), sum(refused) FILTER (WHERE ts >= TIMESTAMP '2026-11-07 12:00:00')
        FROM traces WHERE ts < TIMESTAMP '2026-11-05' OR ts >= TIMESTAMP '2026-11-07 12:00:00'
        GROUP BY GROUPING SETS ({sets})
        """).fetchall()
    return {"groups": len(rows)}


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("drift", "explain"):
        sys.exit(__doc__)
    con = duckdb.connect(sys.argv[2], read_only=True)
    print(json.dumps((drift if sys.argv[1] == "drift" else explain)(con), default=float)[:2000])
