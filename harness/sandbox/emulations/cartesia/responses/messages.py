"""The Cartesia imitation's answers in the protocol's shapes (error objects of Cartesia-Version
2026-03-01 and later, and the WebSocket's events)."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Sequence
from typing import Any

from harness.core.protocols.realtime_grammar import SpokenSpan
from harness.sandbox.emulations.cartesia.models import STATUS_STREAMING

TITLES = {400: "Invalid request", 401: "Unauthorized", 402: "Payment required", 404: "Not found",
          429: "Too many concurrent requests", 500: "Internal server error", 503: "Service unavailable"}
CODES = {400: "invalid_request", 401: "invalid_api_key", 402: "insufficient_credits", 404: "not_found",
         429: "concurrency_limited", 500: "internal_error", 503: "service_unavailable"}


def error_object(status: int, message: str, code: str | None = None, title: str | None = None) -> dict[str, Any]:
    """`{"error_code", "title", "message", "request_id"}` (HTTP)."""
    return {"error_code": code or CODES.get(status), "title": title or TITLES.get(status, "Error"),
            "message": message, "request_id": str(uuid.uuid4())}


def error_event(status: int, message: str, context_id: str | None, code: str | None = None) -> dict[str, Any]:
    event = {"type": "error", "done": True, "status_code": status, **error_object(status, message, code)}
    if context_id:
        event["context_id"] = context_id
    return event


def chunk(context_id: str, audio: bytes, step_ms: float) -> dict[str, Any]:
    return {"type": "chunk", "data": base64.b64encode(audio).decode("ascii"), "done": False,
            "status_code": STATUS_STREAMING, "step_time": round(step_ms, 3), "context_id": context_id}


def complete_words(marks: Sequence[SpokenSpan]) -> tuple[list[SpokenSpan], list[SpokenSpan]]:
    """Character marks joined into word marks (a word: a run of characters ended by white space), and
    the characters of the word not yet ended (its end comes with a later chunk)."""
    words: list[SpokenSpan] = []
    current: list[SpokenSpan] = []
    for mark in marks:
        if not mark.text.isspace():
            current.append(mark)
        elif current:
            words.append(SpokenSpan("".join(m.text for m in current), current[0].start_s, current[-1].end_s))
            current = []
    return words, current


def timestamps(context_id: str, words: Sequence[SpokenSpan]) -> dict[str, Any]:
    return {"type": "timestamps", "done": False, "status_code": STATUS_STREAMING, "context_id": context_id,
            "word_timestamps": {"words": [w.text for w in words], "start": [round(w.start_s, 3) for w in words],
                                "end": [round(w.end_s, 3) for w in words]}}


def done(context_id: str) -> dict[str, Any]:
    return {"type": "done", "done": True, "status_code": STATUS_STREAMING, "context_id": context_id}
