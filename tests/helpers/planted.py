"""A key planted by a hostile server in every form it may come back in, a proxy that plants it, and the
search of written files for any piece of it.

The forms are written here from their definitions (RFC 3986, RFC 8259, RFC 6901, Python's `repr`, RFC
4648), not taken from `harness.core.redact`: a test that asked the redactor which forms to look for could
not find the form it forgot.
"""

from __future__ import annotations

import base64
import contextlib
import json
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import httpx
import numpy as np

from tests.helpers.loopback import LoopbackServer, QuietHandler

# Random-looking, as a real key is, holding every character an encoding rewrites: / ~ + = ' " (and no
# run of 8 characters that could be ordinary text, nor of 12 hex digits).
KEY = "Pk7/x~Qa+Zr='m\"9Tb4Wc2Ye8Hd"
PIECE = 8  # any piece of a form this long must not survive
HEX_PIECE = 12  # ... of a hex form (harness.core.redact: 8 hex digits occur by chance in digests)


def _base64_inner(raw: bytes, offset: int, urlsafe: bool) -> str:
    """The characters of `base64(prefix + raw)` that only `raw`'s bits decide (prefix of `offset` bytes)."""
    encode = base64.urlsafe_b64encode if urlsafe else base64.b64encode
    encoded = encode(b"u:x"[:offset] + raw).decode()
    start = (8 * offset + 5) // 6
    return encoded[start : (8 * (offset + len(raw))) // 6]


def forms(key: str) -> dict[str, str]:
    """Each encoded form of `key`, by name."""
    raw = key.encode()
    found = {
        "raw": key,
        "reversed": key[::-1],
        "url": quote(key, safe=""),
        "form": quote_plus(key),
        "json": json.dumps(key)[1:-1],
        "json-slashes": json.dumps(key)[1:-1].replace("/", "\\/"),
        "json-in-json": json.dumps(json.dumps(key))[1:-1],
        "pointer": key.replace("~", "~0").replace("/", "~1"),
        "repr": repr(key)[1:-1],
        "hex": raw.hex(),
        "HEX": raw.hex().upper(),
    }
    for offset in range(3):
        found[f"base64@{offset}"] = _base64_inner(raw, offset, urlsafe=False)
        found[f"base64url@{offset}"] = _base64_inner(raw, offset, urlsafe=True)
    return found


def echo(key: str) -> str:
    """The key in every form, split in two places, and 20 of its characters alone (a truncated echo)."""
    middle = len(key) // 2
    parts = [*forms(key).values(), f"{key[:middle]} ... {key[middle:]}", key[2:22]]
    return " | ".join(parts)


def pieces(key: str) -> frozenset[str]:
    """Every piece of every form that must not survive in a written file."""
    found = set()
    for name, form in forms(key).items():
        length = HEX_PIECE if name.lower() == "hex" else PIECE
        found |= {form[i : i + length] for i in range(len(form) - length + 1)}
    return frozenset(found)


def _readings(data: bytes) -> Iterable[tuple[str, str]]:
    """A file's bytes read as 8-bit text and as UTF-16 (both byte orders, both alignments)."""
    yield "bytes", data.decode("latin-1")
    for encoding in ("utf-16-le", "utf-16-be"):
        for start in (0, 1):
            chunk = data[start:]
            yield f"{encoding}@{start}", chunk[: len(chunk) // 2 * 2].decode(encoding, "replace")


def leaks(root: Path, key: str) -> list[str]:
    """Every (file, reading, piece) where a piece of a form of `key` survives under `root`."""
    needles = pieces(key)
    lengths = sorted({len(n) for n in needles})
    found = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        for reading, text in _readings(path.read_bytes()):
            for length in lengths:
                hits = _occurring(text, {n for n in needles if len(n) == length}, length)
                found += [f"{path.relative_to(root)} ({reading}): {hit!r}" for hit in sorted(hits)]
    return found


def _occurring(text: str, needles: set[str], length: int) -> set[str]:
    """The needles (all `length` long) that occur in `text`: every window's polynomial hash at once, looked up
    among the needles' sorted hashes, then each window whose hash is a needle's compared as text. The same set
    as comparing every window, without a Python string per window (a run's output is megabytes of audio,
    read five ways)."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(codes) < length or not needles:
        return set()
    wanted = np.unique(
        np.concatenate(
            [
                _window_hashes(np.frombuffer(n.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64), length)
                for n in needles
            ]
        )
    )
    hashes = _window_hashes(codes, length)
    slots = np.minimum(np.searchsorted(wanted, hashes), len(wanted) - 1)
    candidates = np.flatnonzero(wanted[slots] == hashes)
    return {text[i : i + length] for i in candidates.tolist() if text[i : i + length] in needles}


def _window_hashes(codes: np.ndarray, length: int) -> np.ndarray:
    """The hash of every `length`-long window of `codes`, modulo 2**64 (array arithmetic wraps silently)."""
    windows = len(codes) - length + 1
    hashes = codes[:windows].copy()
    base = np.uint64(1_000_003)
    for offset in range(1, length):
        hashes *= base
        hashes += codes[offset : offset + windows]
    return hashes


Plant = Callable[[Any, int], Any]  # (JSON answer, status) -> the answer with the key planted
Fault = Callable[[str, str], str]  # (method, path) -> the sandbox fault to ask for ("" for none)


class EchoingProxy(LoopbackServer):
    """Forwards every request to `upstream` (asking for `fault(method, path)`), plants the key into every
    JSON answer with `plant`, and echoes it raw in a response header."""

    def __init__(self, upstream: str, key: str, plant: Plant, fault: Fault | None = None) -> None:
        client = httpx.Client(base_url=upstream, timeout=30.0)

        class Handler(QuietHandler):
            protocol_version = "HTTP/1.1"

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                if fault is not None and (name := fault(self.command, self.path)):
                    headers["X-Sandbox-Fault"] = name
                try:
                    answer = client.request(self.command, self.path, content=body, headers=headers)
                except httpx.HTTPError:
                    self.close_connection = True
                    return
                content = answer.content
                if "json" in answer.headers.get("content-type", ""):
                    with contextlib.suppress(ValueError):  # not JSON after all: pass it through
                        content = json.dumps(plant(answer.json(), answer.status_code)).encode()
                passed = {
                    name: value
                    for name, value in answer.headers.items()
                    if name.lower() not in ("content-length", "transfer-encoding", "connection", "content-encoding")
                }
                self.answer(answer.status_code, content, {**passed, "X-Echo-Key": key})

            do_GET = do_POST = _forward

        self.client = client
        super().__init__(Handler)

    def close(self) -> None:
        super().close()
        self.client.close()


def cycling_faults(submit: tuple[str, ...], poll: tuple[str, ...]) -> Fault:
    """Submits (POST) and polls (GET) get these sandbox faults in turn; media downloads none."""
    counts = {"POST": 0, "GET": 0}
    lock = threading.Lock()

    def fault(method: str, path: str) -> str:
        if "/cdn/" in path or method not in counts:
            return ""
        faults = submit if method == "POST" else poll
        with lock:
            counts[method] += 1
            return faults[(counts[method] - 1) % len(faults)]

    return fault
