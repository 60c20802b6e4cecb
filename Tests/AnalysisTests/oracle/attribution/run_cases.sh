#!/usr/bin/env bash
# Runs the attribution oracle on the examples and on make_cases.py's cases; writes out/*.json.
set -euo pipefail
PY="${PYTHON:-/work/oracles-venv/bin/python}"
O="${ORACLES:-/work/shared/oracles}"
X=$O/examples
cd "$(dirname "$0")"
mkdir -p out
$PY make_cases.py   # the attr_case_*.json inputs (generated, not kept)
$PY $O/oracle_attribution.py $X/attr_prompt_baseline.csv $X/attr_prompt_current.csv --metric refused               > out/prompt_rate.json
$PY $O/oracle_attribution.py $X/attr_prompt_baseline.csv $X/attr_prompt_current.csv --metric refused --measure sum > out/prompt_sum.json
$PY $O/oracle_attribution.py --pair $X/attr_mix_shift_pair.json --metric refused                                   > out/mix_shift_rate.json
$PY $O/oracle_attribution.py --pair attr_case_both.json --metric m                                                 > out/both.json
$PY $O/oracle_attribution.py --pair attr_case_both.json --metric m --teep 0.2 --tep 0.5 --top 2                    > out/both_thresholds.json
$PY $O/oracle_attribution.py --pair attr_case_nochange.json --metric m                                             > out/nochange.json
$PY $O/oracle_attribution.py --pair attr_case_volume70.json --metric m                                             > out/volume70.json
$PY $O/oracle_attribution.py --pair attr_case_single.json --metric m                                               > out/single.json
$PY $O/oracle_attribution.py --pair attr_case_missing.json --metric m --dims intent,model,region                   > out/missing.json
$PY $O/oracle_attribution.py --pair attr_case_mean.json --metric m                                                 > out/mean.json
$PY $O/oracle_attribution.py --pair attr_case_sum.json --metric m --measure sum                                    > out/sum.json
$PY $O/oracle_attribution.py --pair attr_case_sum.json --metric m --measure sum --forecast raw                     > out/sum_raw.json
$PY $O/oracle_attribution.py --pair attr_case_volume.json --metric m                                               > out/volume.json
$PY $O/oracle_attribution.py --pair attr_case_volume.json --metric m --forecast raw                                > out/volume_raw.json
