#!/usr/bin/env python3
"""A small OpenAI-compatible chat-completions server for RunnerTests (standard library only).

Binds 127.0.0.1 on a free port and prints the port on its first stdout line. The answer
depends on the content of the last user message:

  "refuse"        a refusal: message.refusal set, content null
  "flaky"         429 with Retry-After: 0 the first time this content is seen, then an answer
  "flaky-slow"    429 without Retry-After the first time (the runner's backoff applies), then an answer
  "always-500"    500 every time
  "hang"          sleeps 10 s before answering (past the runner's timeout)
  "malformed"     200 with a body that is not JSON
  "bad-request"   400 (not retried)
  anything else   "echo: <content>" with usage (prompt_tokens = words of all messages,
                  completion_tokens = words of the answer)

GET /requests returns every POST received so far: path, headers (lower-case names) and body.
"""
import json
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
requests = []
seen = {}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body, headers=None):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/requests":
            with lock:
                self.send(200, list(requests))
        else:
            self.send(404, {"error": {"message": "not found"}})

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        with lock:
            requests.append({"path": self.path,
                             "headers": {k.lower(): v for k, v in self.headers.items()},
                             "body": body})
        if not self.path.endswith("/chat/completions") or not isinstance(body, dict):
            self.send(404, {"error": {"message": "unknown path or body"}})
            return
        messages = body.get("messages") or []
        users = [m.get("content", "") for m in messages if m.get("role") == "user"]
        content = users[-1] if users else ""
        with lock:
            seen[content] = seen.get(content, 0) + 1
            count = seen[content]

        if content == "refuse":
            self.answer(body, None, refusal="I can't help with that.")
        elif content == "flaky" and count == 1:
            self.send(429, {"error": {"message": "slow down"}}, {"Retry-After": "0"})
        elif content == "flaky-slow" and count == 1:
            self.send(429, {"error": {"message": "slow down"}})
        elif content == "always-500":
            self.send(500, {"error": {"message": "boom"}})
        elif content == "bad-request":
            self.send(400, {"error": {"message": "bad request"}})
        elif content == "hang":
            time.sleep(10)
            self.answer(body, "too late")
        elif content == "malformed":
            self.send(200, b"{this is not json")
        else:
            self.answer(body, "echo: " + content)

    def answer(self, body, text, refusal=None):
        words = sum(len(str(m.get("content", "")).split()) for m in body.get("messages") or [])
        self.send(200, {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "model": (body.get("model") or "default-model") + "-served",
            "choices": [{
                "index": 0,
                "message": {"role": "assistant", "content": text, "refusal": refusal},
                "finish_reason": "stop" if refusal is None else "content_filter",
            }],
            "usage": {"prompt_tokens": words,
                      "completion_tokens": len((text or refusal or "").split()),
                      "total_tokens": 0},
        })


def main():
    # The test starts this with the signal mask of one of its threads; let SIGTERM and SIGINT in.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
