#!/usr/bin/env python3
"""Inputs for AttributionTests' own cases (pairs of row lists), written as attr_case_*.json."""
import json
from pathlib import Path

HERE = Path(__file__).parent


def cells(spec):
    """spec: list of (dims dict, n, metric) where metric is an int k (first k rows 1, rest 0) or a list of values."""
    rows = []
    for dims, n, metric in spec:
        vals = metric if isinstance(metric, list) else [int(i < metric) for i in range(n)]
        assert len(vals) == n
        for v in vals:
            r = dict(dims)
            r["m"] = v
            rows.append(r)
    return rows


def write(name, base, cur):
    (HERE / f"attr_case_{name}.json").write_text(json.dumps({"baseline": base, "current": cur}))


# two dimensions both explaining: model m3 is used only by cohort beta; m3 refusals 3% -> 20%.
def both():
    b, c = [], []
    for model, cohort, route, nb, kb, nc, kc in [
        ("m1", "free", "chat", 300, 6, 280, 6), ("m1", "pro", "rag", 200, 4, 220, 5),
        ("m2", "free", "rag", 250, 5, 260, 6), ("m2", "pro", "chat", 150, 3, 140, 3),
        ("m3", "beta", "chat", 60, 2, 90, 18), ("m3", "beta", "rag", 40, 1, 60, 12),
    ]:
        d = {"model": model, "cohort": cohort, "route": route}
        b += cells([(d, nb, kb)])
        c += cells([(d, nc, kc)])
    write("both", b, c)


# no change at all: identical slices; and the same mix at 70% of the volume.
def nochange():
    spec = [({"model": "a", "route": "chat"}, 400, 8), ({"model": "a", "route": "rag"}, 300, 9),
            ({"model": "b", "route": "chat"}, 200, 10), ({"model": "b", "route": "rag"}, 100, 3)]
    write("nochange", cells(spec), cells(spec))
    # 70%: positives scaled too (8*0.7 is not whole, so use counts divisible by 10)
    spec10 = [({"model": "a", "route": "chat"}, 400, 10), ({"model": "a", "route": "rag"}, 300, 30),
              ({"model": "b", "route": "chat"}, 200, 20), ({"model": "b", "route": "rag"}, 100, 10)]
    spec7 = [(d, n * 7 // 10, k * 7 // 10) for d, n, k in spec10]
    write("volume70", cells(spec10), cells(spec7))


# a dimension with a single element (env=prod) next to a real cause (tool=search breaks).
def single():
    b, c = [], []
    for tool, nb, kb, nc, kc in [("search", 300, 15, 310, 93), ("calc", 200, 10, 190, 9), ("none", 500, 20, 500, 21)]:
        d = {"env": "prod", "tool": tool}
        b += cells([(d, nb, kb)])
        c += cells([(d, nc, kc)])
    write("single", b, c)


# missing values: intent null / "" / "  " are one element "(missing)"; " refund " merges with "refund".
def missing():
    b, c = [], []
    for intent, model, nb, kb, nc, kc in [
        (None, "a", 100, 2, 150, 30), ("", "b", 50, 1, 60, 12), ("  ", "a", 20, 0, 30, 6),
        ("refund", "a", 300, 6, 250, 5), (" refund ", "b", 100, 2, 90, 2), ("billing", "b", 400, 8, 380, 8),
    ]:
        d = {"intent": intent, "model": model}
        b += cells([(d, nb, kb)])
        c += cells([(d, nc, kc)])
    # a dimension missing from some rows entirely (key absent) also becomes (missing)
    for r in b[:70]:
        r["region"] = "eu"
    for r in c[:40]:
        r["region"] = "us"
    for r in b[70:]:
        r["region"] = ""
    for r in c[40:]:
        r["region"] = "us" if len(r) % 2 else None
    write("missing", b, c)


def latency(n, base, step, slow=0):
    return [base + (i * step) % 97 + slow for i in range(n)]


# mean latency: region eu slows by 120 ms on model b only.
def mean():
    b, c = [], []
    for model, region, nb, nc, base, slow in [
        ("a", "us", 200, 210, 400, 0), ("a", "eu", 150, 140, 420, 0),
        ("b", "us", 180, 190, 380, 0), ("b", "eu", 120, 130, 390, 120),
    ]:
        d = {"model": model, "region": region}
        b += cells([(d, nb, latency(nb, base, 13))])
        c += cells([(d, nc, latency(nc, base, 17, slow))])
    write("mean", b, c)


# sum of tokens (fractional costs too): model b's output grows; traffic grows 20% overall.
def total():
    b, c = [], []
    for model, route, nb, nc, per_b, per_c in [
        ("a", "chat", 100, 120, 1.25, 1.25), ("a", "rag", 80, 96, 2.5, 2.5),
        ("b", "chat", 60, 72, 0.75, 2.25), ("b", "rag", 60, 72, 1.5, 1.5),
    ]:
        d = {"model": model, "route": route}
        b += cells([(d, nb, [per_b + (i % 3) * 0.125 for i in range(nb)])])
        c += cells([(d, nc, [per_c + (i % 3) * 0.125 for i in range(nc)])])
    write("sum", b, c)


# forecast raw vs scaled: current has twice the chat traffic, refusal rates unchanged except rag.
def volume():
    b, c = [], []
    for route, model, nb, kb, nc, kc in [
        ("chat", "a", 200, 4, 400, 8), ("chat", "b", 200, 6, 400, 12),
        ("rag", "a", 200, 4, 200, 14), ("rag", "b", 200, 2, 200, 2),
    ]:
        d = {"route": route, "model": model}
        b += cells([(d, nb, kb)])
        c += cells([(d, nc, kc)])
    write("volume", b, c)


for f in (both, nochange, single, missing, mean, total, volume):
    f()
