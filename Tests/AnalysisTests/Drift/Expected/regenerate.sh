#!/bin/sh
# Re-creates the extra drift cases and their oracle outputs (the expected values pasted into
# Tests/AnalysisTests/Drift/DriftTests*.swift). Needs the oracles' venv (requirements.txt there).
#   PY=/work/oracles-venv/bin/python ORACLES=/work/shared/oracles sh regenerate.sh
set -e
cd "$(dirname "$0")"
PY=${PY:-python3}
ORACLES=${ORACLES:-../../../../../shared/oracles}
"$PY" make_cases.py
for f in case_*.json; do
    name=${f#case_}
    name=${name%.json}
    case $name in
        category_new|categories_large) type=categorical ;;
        rate_*|refused_*) type=boolean ;;
        *) type=numeric ;;
    esac
    extra=""
    # scipy's bootstrap refuses a one-value sample
    case $name in one_element|single_each) extra="--bootstrap 0" ;; esac
    "$PY" "$ORACLES/oracle_drift.py" --pair "$f" --type "$type" $extra > "drift_$name.json"
    echo "drift_$name.json"
done
"$PY" special_functions.py > special_functions.txt
