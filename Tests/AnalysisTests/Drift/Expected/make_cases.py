#!/usr/bin/env python3
"""Writes the extra drift cases (edge cases beyond ../shared/oracles/examples) as pair files.

Each `case_NAME.json` is {"baseline": [...], "current": [...]}; `regenerate.sh` runs
oracle_drift.py on each and keeps the output as `drift_NAME.json`. The Swift tests
(DriftTests*.swift) build the same inputs, as literals or by the same integer formulas.
"""
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent


def write(name, baseline, current):
    (HERE / f"case_{name}.json").write_text(json.dumps({"baseline": baseline, "current": current}) + "\n")


# numeric
write("ties", [1, 2, 2, 3, 3, 3, 4, 4, 5, 5, 5, 5], [2, 3, 3, 4, 4, 4, 5, 5, 6, 6])
write("all_equal", [5.0] * 5, [5.0] * 3)
write("one_element", [3.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0])
write("single_each", [2.5], [7.5])
write("exact_mwu", [1.1, 2.3, 3.7, 4.2, 5.9, 6.1, 7.4], [3.3, 4.8, 6.6, 8.2, 9.5, 10.1])
write("few_values", [1.0] * 30 + [2.0] * 40 + [3.0] * 20 + [4.0] * 10,
      [1.0] * 20 + [2.0] * 35 + [3.0] * 30 + [4.0] * 15)
write("few_values_large", [0.0] * 700 + [1.0] * 500 + [2.0] * 300, [0.0] * 500 + [1.0] * 500 + [2.0] * 500)
# asymptotic KS (max(n) > 10000): integers from fixed formulas, exactly representable
write("large_shift", [(i * 7919) % 10007 for i in range(12000)],
      [((i * 104729) % 10007) * 1.02 + 50 for i in range(9000)])
write("large_same", [(i * 7919) % 10007 for i in range(12000)],
      [(i * 104729) % 10007 for i in range(9000)])
# categorical
write("category_new", ["stop"] * 60 + ["length"] * 40,
      ["stop"] * 50 + ["length"] * 30 + ["content_filter"] * 20)
write("categories_large", ["stop"] * 900 + ["length"] * 400 + ["tool_calls"] * 200,
      ["stop"] * 800 + ["length"] * 450 + ["tool_calls"] * 250)
# boolean
write("rate_zero", [False] * 40, [False] * 60)
write("rate_zero_vs_some", [False] * 200, [True] * 7 + [False] * 143)
write("rate_all_true", [True] * 30, [True] * 25 + [False] * 5)
write("refused_large", [True] * 30 + [False] * 1470, [True] * 60 + [False] * 1440)
