"""The ElevenLabs imitation's answers in the protocol's shapes: HTTP error bodies, the WebSocket's error
and audio messages, and the with-timestamps body."""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from typing import Any

from harness.core.protocols.realtime_grammar import SpokenSpan

STATUS_WORDS = {401: "invalid_api_key", 404: "voice_not_found", 422: "invalid_request",
                429: "too_many_concurrent_requests", 500: "internal_server_error", 503: "service_unavailable"}


def http_error(status: int, message: str, word: str | None = None) -> dict[str, Any]:
    """`{"detail": {"status", "message"}}` (401, 404, 429, 5xx)."""
    return {"detail": {"status": word or STATUS_WORDS.get(status, "error"), "message": message}}


def validation_error(problems: Sequence[tuple[Sequence[str | int], str]]) -> dict[str, Any]:
    """422 "Validation Error": `{"detail": [{"loc", "msg", "type"}]}`."""
    return {"detail": [{"loc": list(loc), "msg": msg, "type": "value_error"} for loc, msg in problems]}


def socket_error(error: str, message: str) -> dict[str, Any]:
    """The message sent before a 1008 close (`error` is the machine word, `message` the sentence)."""
    return {"message": message, "error": error, "code": 1008}


def alignment(marks: Sequence[SpokenSpan], offset_s: float) -> dict[str, list[Any]]:
    """Marks as `{"charStartTimesMs", "charDurationsMs", "chars"}`, times counted from `offset_s` (the
    chunk's start: "these times are relative to the returned chunk")."""
    return {"charStartTimesMs": [round((m.start_s - offset_s) * 1000) for m in marks],
            "charDurationsMs": [max(0, round((m.end_s - m.start_s) * 1000)) for m in marks],
            "chars": [m.text for m in marks]}


def audio_output(audio: bytes, marks: Sequence[SpokenSpan], offset_s: float) -> dict[str, Any]:
    aligned = alignment(marks, offset_s) if marks else None
    return {"audio": base64.b64encode(audio).decode("ascii"), "isFinal": None,
            "normalizedAlignment": aligned, "alignment": aligned}


def character_alignment(marks: Sequence[SpokenSpan]) -> Mapping[str, list[Any]]:
    return {"characters": [m.text for m in marks],
            "character_start_times_seconds": [round(m.start_s, 3) for m in marks],
            "character_end_times_seconds": [round(m.end_s, 3) for m in marks]}


def with_timestamps(audio: bytes, marks: Sequence[SpokenSpan]) -> dict[str, Any]:
    aligned = character_alignment(marks)
    return {"audio_base64": base64.b64encode(audio).decode("ascii"), "alignment": aligned,
            "normalized_alignment": aligned}
