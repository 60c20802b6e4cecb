#!/usr/bin/env python3
"""Truth check on a large corpus (issue 6): for each incident of a gen_traces.py truth file, does
`explain` rank the injected cause first, and does `changes` find a change point within one
daily bucket of the onset? The same slices and rules as Tests/InvestigateTests/TruthCorpusTests
(two days before the onset against the day after the full rollout, the incident's intent and
condition as the scope; for `latency`, the series starts once prompt v2's rollout completed).

Usage:  Benchmarks/truth.py RELOPS_BINARY STORE TRUTH_JSON
Prints a Markdown table.
"""
import datetime as dt
import json
import subprocess
import sys
import time

DAY = dt.timedelta(days=1)


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse(text):
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ")


def run(relops, store, command):
    t0 = time.time()
    out = subprocess.run([relops, "--db", store, "--format", "json", "-c", command], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"{command}: {out.stderr}")
    return json.loads(out.stdout), time.time() - t0


def scope(incident):
    parts = []
    if incident.get("intent"):
        parts.append(f'intent == "{incident["intent"]}"')
    c = incident.get("condition")
    if c:
        parts.append(f'{c["field"]} {c["op"]} {c["value"]}')
    return parts


def main():
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    relops, store, truth_path = sys.argv[1:]
    truth = json.load(open(truth_path))
    print("| scenario | signal | injected cause | explain: first cause | aliases | ok | explain s | onset | changes found | within 1 d | changes s |")
    print("| --- | --- | --- | --- | --- | :-: | ---: | --- | --- | :-: | ---: |")
    for inc in truth["incidents"]:
        onset, full = parse(inc["onset"]), parse(inc["full_rollout"])
        s = scope(inc)
        pre = "".join(p + " and " for p in s)
        command = (f'explain {inc["signal"]} between ({pre}ts >= "{iso(onset - 2 * DAY)}" and ts < "{iso(onset)}") '
                   f'and ({pre}ts >= "{iso(full)}" and ts < "{iso(full + DAY)}")')
        doc, explain_s = run(relops, store, command)
        first = doc["root_causes"][0] if doc["root_causes"] else {}
        value, previous = inc["value"], inc["previous_value"]
        ok = first.get("dimension") == inc["dimension"] and first.get("role") == "change" and (
            value in first.get("values", []) or (previous in first.get("values", []) and value in first["evidence"]["values"]))
        since = []
        if inc["scenario"] == "latency":
            prompt = next(r for r in truth["rollouts"] if r["dimension"] == "prompt_version")
            since = [f'ts >= "{prompt["full_rollout"]}"']
        where = " and ".join(s + since)
        changes, changes_s = run(relops, store, f'changes {inc["signal"]} every 1d' + (f" where {where}" if where else ""))
        onsets = [parse(c["onset"]) for c in changes["series"][0]["changes"]] if changes["series"] else []
        near = any(abs(o - onset) <= DAY for o in onsets)
        aliases = ", ".join(a["dimension"] for a in first.get("aliases", []))
        shown = f'{first.get("dimension")} = {", ".join(first.get("values", []))}'
        print(f'| {inc["scenario"]} | {inc["signal"]} | {inc["dimension"]} = {value} | {shown} | {aliases} | {"✓" if ok else "✗"} | '
              f'{explain_s:.2f} | {inc["onset"][:10]} | {", ".join(o.strftime("%m-%d") for o in onsets)} | {"✓" if near else "✗"} | {changes_s:.2f} |')


main()
