"""The Deepgram imitation's answers in the protocol's shapes."""

from __future__ import annotations

import uuid
from typing import Any

from harness.sandbox.emulations.deepgram_speak.models import MODEL_VERSION

ERR_CODES = {400: "INVALID_QUERY_PARAMETER", 401: "INVALID_AUTH", 402: "INSUFFICIENT_CREDITS",
             404: "NOT_FOUND", 429: "TOO_MANY_REQUESTS", 500: "INTERNAL_SERVER_ERROR", 503: "SERVICE_UNAVAILABLE"}


def error_body(status: int, message: str, code: str | None = None) -> dict[str, Any]:
    """`{"err_code", "err_msg", "request_id"}`."""
    return {"err_code": code or ERR_CODES.get(status, "ERROR"), "err_msg": message, "request_id": str(uuid.uuid4())}


def metadata(model: str, request_id: str) -> dict[str, Any]:
    return {"type": "Metadata", "request_id": request_id, "model_name": model, "model_version": MODEL_VERSION,
            "model_uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"sandbox/deepgram/{model}"))}


def sequenced(kind: str, sequence_id: int) -> dict[str, Any]:
    return {"type": kind, "sequence_id": sequence_id}


def warning(description: str, code: str) -> dict[str, Any]:
    return {"type": "Warning", "description": description, "code": code}
