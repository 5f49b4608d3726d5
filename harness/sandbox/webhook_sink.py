"""A webhook receiver built into the sandbox, so webhook tests and demos need no server of their own.

`POST /_sandbox/sink/{name}` records the JSON it receives; `?fail=N` makes the first N posts to that
name answer 500 (to exercise retries). `GET /_sandbox/sink/{name}` lists what arrived.
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from typing import Any


class WebhookSink:
    def __init__(self) -> None:
        self._received: dict[str, list[Any]] = defaultdict(list)
        self._posts: dict[str, int] = defaultdict(int)
        self._changed = threading.Condition()

    def receive(self, name: str, body: bytes, fail: int | None = None) -> int:
        """Record one post; the status code to answer."""
        with self._changed:
            self._posts[name] += 1
            if fail is not None and self._posts[name] <= fail:
                return 500
            try:
                self._received[name].append(json.loads(body))
            except ValueError:
                self._received[name].append(body.decode("utf-8", "replace"))
            self._changed.notify_all()
            return 200

    def received(self, name: str) -> list[Any]:
        with self._changed:
            return list(self._received[name])

    def wait_for(self, name: str, count: int, timeout: float = 10.0) -> list[Any]:
        with self._changed:
            if not self._changed.wait_for(lambda: len(self._received[name]) >= count, timeout):
                raise TimeoutError(f"sink {name!r} received {len(self._received[name])} posts, waited for {count}")
            return list(self._received[name])
