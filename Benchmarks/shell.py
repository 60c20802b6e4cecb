#!/usr/bin/env python3
"""Shell benchmark (issue 4): start-up to the first prompt on a store, against sqlite3 opening
the same file, and Tab-completion latency on a store with 10,000 distinct attribute keys.
Everything runs in a real pseudo-terminal (Python's pty module); times are wall clock from
spawning the process (or sending Tab) to the prompt (or the completed text) on the screen.

Usage:  Benchmarks/shell.py RELOPS_BINARY STORE [RUNS]
"""
import os, pty, select, statistics, sys, tempfile, time, json, subprocess

def until(fd, needle, timeout=20):
    buf = b""
    end = time.time() + timeout
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            buf += chunk
            if needle in buf:
                return buf
    raise SystemExit(f"timed out waiting for {needle!r}; got {buf[-300:]!r}")

def spawn(argv, env=None):
    pid, fd = pty.fork()
    if pid == 0:
        os.execvpe(argv[0], argv, {**os.environ, **(env or {})})
    return pid, fd

def close(pid, fd, quit_cmd):
    os.write(fd, quit_cmd)
    try:
        os.waitpid(pid, 0)
    finally:
        os.close(fd)

def first_prompt(argv, prompt, quit_cmd, env=None):
    t0 = time.perf_counter()
    pid, fd = spawn(argv, env)
    until(fd, prompt)
    t = time.perf_counter() - t0
    close(pid, fd, quit_cmd)
    return t

def main():
    relops, store = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 9
    tmp = tempfile.mkdtemp()
    env = {"RELOPS_HISTORY": os.path.join(tmp, "history"), "NO_COLOR": "1"}
    r, s = [], []
    for _ in range(runs):   # alternate the tools within each round
        r.append(first_prompt([relops, "--db", store], b"relops> ", b".quit\r", env))
        s.append(first_prompt(["sqlite3", store], b"sqlite> ", b".quit\r"))
    print(f"| start-up to first prompt | relops {statistics.median(r)*1000:.1f} ms | sqlite3 {statistics.median(s)*1000:.1f} ms | ratio {statistics.median(a/b for a, b in zip(r, s)):.2f} |")

    # A store with 10,000 distinct attribute keys: 2,000 spans of 5 keys each.
    keys_file = os.path.join(tmp, "keys.jsonl")
    with open(keys_file, "w") as f:
        for i in range(2000):
            attrs = {f"custom.attr_{i * 5 + j:05d}": j for j in range(5)}
            f.write(json.dumps({"trace_id": f"{i + 1:032x}", "span_id": f"{i + 1:016x}", "parent_span_id": None,
                                "kind": "root", "name": "r", "start_time": "2026-11-01T00:00:00Z",
                                "end_time": "2026-11-01T00:00:01Z", "status": "ok", "attributes": attrs}) + "\n")
    keys_db = os.path.join(tmp, "keys.db")
    subprocess.run([relops, "--db", keys_db, "-c", f"load {keys_file}"], check=True, capture_output=True)
    times = []
    for _ in range(runs):
        pid, fd = spawn([relops, "--db", keys_db], env)
        until(fd, b"relops> ")
        os.write(fd, b'spans | where attr."custom.attr_0999')
        until(fd, b"attr_0999")
        t0 = time.perf_counter()
        os.write(fd, b"\t")
        until(fd, b"custom.attr_09999")      # the ten candidates listed
        times.append(time.perf_counter() - t0)
        os.write(fd, b"\x03")
        close(pid, fd, b".quit\r")
    print(f"| Tab completion, 10,000 attribute keys (first Tab of a session) | relops {statistics.median(times)*1000:.1f} ms | | |")

if __name__ == "__main__":
    main()
