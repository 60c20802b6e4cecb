#!/usr/bin/env python3
"""An exec runner for RunnerTests: reads one JSON request on stdin, prints one JSON response.

The input text chooses what it does:
  "exit"         writes a message to stderr and exits with status 3
  "hang"         sleeps 30 s (past the runner's timeout), in a child too, to test the group kill
  "not-json"     prints text that is not JSON
  "two-objects"  prints two JSON objects
  "error"        prints {"error": "..."} (a failure the runner reports itself)
  "rate-limited" prints {"error": "...", "status": 429}
  "big"          prints a 1 MiB output (more than a pipe holds) before reading nothing else
  "env"          answers with the EXTRA variable of its environment and its working folder
  "echo-request" answers with the request itself, as JSON text
  "bad-tokens"   gives input_tokens as text
  anything else  the input upper-cased, with token counts
"""
import json
import os
import subprocess
import sys
import time

request = json.loads(sys.stdin.read())
text = request.get("input") or ""

if text == "exit":
    sys.stderr.write("something went wrong\n")
    sys.exit(3)
elif text == "hang":
    # A grandchild in the same process group: killing only the parent would leave it.
    child = subprocess.Popen(["sleep", "30"])
    if os.environ.get("PIDFILE"):
        with open(os.environ["PIDFILE"], "w") as f:
            f.write(str(child.pid))
    time.sleep(30)
elif text == "background":
    subprocess.Popen(["sleep", "30"])
    print(json.dumps({"output": "done"}), flush=True)
elif text == "not-json":
    print("Hello, I am not JSON")
elif text == "two-objects":
    print('{"output": "a"}')
    print('{"output": "b"}')
elif text == "error":
    print(json.dumps({"error": "upstream said no"}))
elif text == "rate-limited":
    print(json.dumps({"error": "too many requests", "status": 429}))
elif text == "big":
    print(json.dumps({"output": "x" * (1 << 20)}))
elif text == "env":
    print(json.dumps({"output": os.environ.get("EXTRA", "") + "|" + os.getcwd()}))
elif text == "echo-request":
    print(json.dumps({"output": json.dumps(request, sort_keys=True)}))
elif text == "bad-tokens":
    print(json.dumps({"output": "ok", "input_tokens": "twelve"}))
else:
    print(json.dumps({
        "output": text.upper(),
        "model": request.get("model") or "exec-model",
        "input_tokens": len(text.split()),
        "output_tokens": len(text.split()),
        "finish_reason": "stop",
        "cost_usd": 0.001,
        "refused": False,
    }))
