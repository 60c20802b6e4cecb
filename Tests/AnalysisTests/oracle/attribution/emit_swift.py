#!/usr/bin/env python3
"""Writes AttributionOracleCases.swift: the cases' inputs as aggregated AttributionRow literals
(one row per dimension and stored value, as a GROUP BY over both slices gives them) and the
oracle's outputs (out/*.json from run_cases.sh) as OracleAttribution literals."""
import csv
import os
import json
import sys
from pathlib import Path

HERE = Path(__file__).parent
X = Path(os.environ.get("ORACLES", "/work/shared/oracles")) / "examples"
ORACLE = "oracles/oracle_attribution.py"

# name -> (input id, command as documented)
INPUTS = {
    "prompt": ("csv", X / "attr_prompt_baseline.csv", X / "attr_prompt_current.csv", "refused", None),
    "mixShift": ("pair", X / "attr_mix_shift_pair.json", None, "refused", None),
    "both": ("pair", HERE / "attr_case_both.json", None, "m", None),
    "noChange": ("pair", HERE / "attr_case_nochange.json", None, "m", None),
    "volume70": ("pair", HERE / "attr_case_volume70.json", None, "m", None),
    "single": ("pair", HERE / "attr_case_single.json", None, "m", None),
    "missing": ("pair", HERE / "attr_case_missing.json", None, "m", ["intent", "model", "region"]),
    "mean": ("pair", HERE / "attr_case_mean.json", None, "m", None),
    "sum": ("pair", HERE / "attr_case_sum.json", None, "m", None),
    "volume": ("pair", HERE / "attr_case_volume.json", None, "m", None),
}
# expected name -> (input, out file, command line)
CASES = [
    ("promptRate", "prompt", "prompt_rate", "examples/attr_prompt_baseline.csv examples/attr_prompt_current.csv --metric refused"),
    ("promptSum", "prompt", "prompt_sum", "examples/attr_prompt_baseline.csv examples/attr_prompt_current.csv --metric refused --measure sum"),
    ("mixShiftRate", "mixShift", "mix_shift_rate", "--pair examples/attr_mix_shift_pair.json --metric refused"),
    ("both", "both", "both", "--pair attr_case_both.json --metric m"),
    ("bothThresholds", "both", "both_thresholds", "--pair attr_case_both.json --metric m --teep 0.2 --tep 0.5 --top 2"),
    ("noChange", "noChange", "nochange", "--pair attr_case_nochange.json --metric m"),
    ("volume70", "volume70", "volume70", "--pair attr_case_volume70.json --metric m"),
    ("single", "single", "single", "--pair attr_case_single.json --metric m"),
    ("missing", "missing", "missing", "--pair attr_case_missing.json --metric m --dims intent,model,region"),
    ("mean", "mean", "mean", "--pair attr_case_mean.json --metric m"),
    ("sum", "sum", "sum", "--pair attr_case_sum.json --metric m --measure sum"),
    ("sumRaw", "sum", "sum_raw", "--pair attr_case_sum.json --metric m --measure sum --forecast raw"),
    ("volume", "volume", "volume", "--pair attr_case_volume.json --metric m"),
    ("volumeRaw", "volume", "volume_raw", "--pair attr_case_volume.json --metric m --forecast raw"),
]


def load(kind, a, b):
    if kind == "csv":
        return [list(csv.DictReader(open(p, newline=""))) for p in (a, b)]
    obj = json.loads(a.read_text())
    return obj["baseline"], obj["current"]


def mval(v):
    if isinstance(v, bool):
        return float(v)
    s = str(v).strip().lower()
    return {"true": 1.0, "t": 1.0, "yes": 1.0, "false": 0.0, "f": 0.0, "no": 0.0}.get(s, None) if s in (
        "true", "t", "yes", "false", "f", "no") else float(s)


def num(x):
    if x is None:
        return "nil"
    r = repr(float(x))
    return r


def sstr(s):
    return "nil" if s is None else json.dumps(s, ensure_ascii=False)


def rows_literal(kind, a, b, metric, dims):
    base, cur = load(kind, a, b)
    dims = dims or [k for k in base[0].keys() if k != metric]
    out = []
    for d in dims:
        groups = {}  # raw stored value (None for absent/null) -> [n1, s1, n2, s2], in order of first appearance
        for side, rows in ((0, base), (1, cur)):
            for r in rows:
                g = groups.setdefault(r.get(d), [0, 0.0, 0, 0.0])
                g[2 * side] += 1
                g[2 * side + 1] += mval(r[metric])
        for v in sorted(groups, key=lambda v: (v is not None, v or "")):
            n1, s1, n2, s2 = groups[v]
            out.append(f"        AttributionRow(dimension: {sstr(d)}, element: {sstr(v)}, baselineCount: {n1}, "
                       f"baselineSum: {num(s1)}, currentCount: {n2}, currentSum: {num(s2)}),")
    return "\n".join(out)


def candidate(c, indent):
    if c is None:
        return "nil"
    els = ", ".join(sstr(e) for e in c["elements"])
    return (f"OracleCandidate(dimension: {sstr(c['dimension'])}, elements: [{els}], "
            f"explains: {num(c['explains'])}, surprise: {num(c['surprise'])})")


def element(e, measure):
    if measure == "sum":
        return (f"OracleElement(value: {sstr(e['value'])}, forecast: {num(e['forecast'])}, actual: {num(e['actual'])}, "
                f"ep: {num(e['ep'])}, surprise: {num(e['surprise'])}, p: {num(e['p'])}, q: {num(e['q'])})")
    f, a = e["forecast"], e["actual"]
    return (f"OracleElement(value: {sstr(e['value'])}, forecast: {num(f['m1_sum'])}, forecastCount: {num(f['m2_rows'])}, "
            f"forecastRate: {num(f['rate'])}, actual: {num(a['m1_sum'])}, actualCount: {num(a['m2_rows'])}, "
            f"actualRate: {num(a['rate'])}, epRaw: {num(e['ep_raw'])}, ep: {num(e['ep'])}, surprise: {num(e['surprise'])}, "
            f"surpriseM1: {num(e['surprise_m1'])}, surpriseM2: {num(e['surprise_m2'])})")


def expected_literal(d):
    inp = d["input"]
    measure = inp["measure"]
    L = []
    L.append(f"OracleAttribution(")
    L.append(f"        baselineRows: {inp['n_baseline_rows']}, currentRows: {inp['n_current_rows']}, scale: {num(inp['forecast_scale'])},")
    L.append(f"        rootCauses: [")
    for c in d["root_causes"]:
        L.append(f"            {candidate(c, 12)},")
    L.append(f"        ],")
    L.append(f"        dimensions: [")
    for dim in d["dimensions"]:
        t = dim["totals"]
        L.append(f"            OracleDimension(")
        L.append(f"                name: {sstr(dim['dimension'])},")
        L.append(f"                totals: [{num(t['forecast_m1'])}, {num(t['forecast_m2'])}, {num(t['actual_m1'])}, "
                 f"{num(t['actual_m2'])}, {num(t['total_change'])}],")
        L.append(f"                surpriseSum: {num(dim['dimension_surprise_sum_all_elements'])},")
        L.append(f"                elements: [")
        for e in dim["elements_sorted_by_surprise"]:
            L.append(f"                    {element(e, measure)},")
        L.append(f"                ],")
        L.append(f"                candidate: {candidate(dim['candidate'], 16)}),")
    L.append(f"        ],")
    sl = d.get("slices_two_proportion_bh")
    if sl is None:
        L.append(f"        slices: nil)")
    else:
        L.append(f"        slices: [")
        for s in sl:
            L.append(f"            OracleSlice(dimension: {sstr(s['dimension'])}, value: {sstr(s['value'])}, "
                     f"baselineN: {s['baseline_n']}, baselineRate: {num(s['baseline_rate'])}, currentN: {s['current_n']}, "
                     f"currentRate: {num(s['current_rate'])}, z: {num(s['z'])}, p: {num(s['pvalue'])}, q: {num(s.get('bh_qvalue'))}),")
        L.append(f"        ])")
    return "\n".join(L)


def main():
    out = []
    out.append("// The attribution oracle's cases: inputs as the aggregated rows a GROUP BY per dimension gives")
    out.append("// (one row per stored value, NULL and blanks apart), expected values as the oracle printed them.")
    out.append("// Written by Tests/AnalysisTests/oracle/attribution/emit_swift.py from the JSON that")
    out.append("// oracle_attribution.py (scipy 1.17.1, Python 3.11) printed for each command named below")
    out.append("// (run_cases.sh there runs them all); examples/ is ../shared/oracles/examples, the")
    out.append("// attr_case_*.json inputs are written by make_cases.py. Do not edit by hand: regenerate.")
    out.append("import Analysis")
    out.append("")
    out.append("enum AttributionOracle {")
    for name, (kind, a, b, metric, dims) in INPUTS.items():
        out.append(f"    /// The rows of {a.name if kind == 'pair' else a.name + ' / ' + b.name}, metric `{metric}`"
                   + (f", dimensions {', '.join(dims)}." if dims else "."))
        out.append(f"    static let {name}Rows: [AttributionRow] = [")
        out.append(rows_literal(kind, a, b, metric, dims))
        out.append("    ]")
        out.append("")
    for name, _, f, cmd in CASES:
        d = json.loads((HERE / "out" / f"{f}.json").read_text())
        out.append(f"    /// `python {ORACLE} {cmd}`")
        out.append(f"    static let {name} = " + expected_literal(d).replace("\n", "\n    "))
        out.append("")
    out[-1] = "}"
    sys.stdout.write("\n".join(out) + "\n")


main()
