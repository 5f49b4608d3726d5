"""How the sandbox answers as any OpenAI-speech provider, imitated from its declaration
(`harness.core.protocols.openai_speech`): the `Emulation` subclass and its one handler.

What it honours: the declared models (another model is the protocol's 404 `model_not_found`) and voices
(the request model refuses others: 400, `param: "voice"`), the declared input limit (400,
`string_above_max_length`), `response_format` (mp3, wav, flac from the engine; opus, and pcm at the
declared `sample_rate`, converted here, since the engine does not write them; aac refused: libsndfile has
no encoder for it), `speed` as the voice's speaking rate (Piper's length scale 1/speed, held within what
Piper renders: 0.4–2.0, i.e. speeds 0.5–2.5), `stream_format` (`audio`: the file, sent chunked without a
Content-Length as the reference's server does; `sse`: the file's bytes as `speech.audio.delta` events,
then `speech.audio.done`). Each voice is the embedded voice at its own pitch (`models`). The declared
price is taken from the key's wallet; an empty wallet is the protocol's 429 `insufficient_quota`.

Errors carry the protocol's four keys: a refusal's `code` and `param` travel in `Reject.extra` (see
`refuse`); a rejection of the engine's own gets the status's usual code.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import AsyncIterator, Mapping
from typing import Any

import numpy as np
import soundfile
import soxr
from starlette.responses import Response, StreamingResponse

from harness.core.protocols.openai_speech import (
    CONTENT_TYPES,
    DELTA_EVENT,
    DONE_EVENT,
    ENDPOINT_KEY,
    ERROR_TYPES,
    PCM_SAMPLE_RATE,
    SpeechRequest,
    declared_voices,
)
from harness.core.spec import AudioBody, Provider
from harness.sandbox.emulation import Call, Emulation, Reject, Speech, StateNames, Voice
from harness.sandbox.emulations.openai.models import OPUS_SAMPLE_RATE, TIMING, voice_of
from harness.sandbox.http_bodies import sse_reply
from harness.speech import AudioFormat, decode

DELTA_BYTES = 16_384  # bytes of audio per `speech.audio.delta` event
ENGINE_FORMATS = {"mp3": AudioFormat.MP3, "wav": AudioFormat.WAV, "flac": AudioFormat.FLAC}
_PARAM = re.compile(r"parameter '([^'.]+)")
_DEFAULT_CODES = {401: "invalid_api_key", 404: "not_found", 429: "rate_limit_exceeded"}


def refuse(status: int, message: str, code: str | None = None, param: str | None = None,
           headers: Mapping[str, str] | None = None) -> Reject:
    return Reject(status, message, headers=headers, extra={"code": code, "param": param})


class OpenAISpeechEmulation(Emulation):
    # No job lifecycle in this protocol; the words are never shown, only required by the base class.
    states = StateNames("queued", "in_progress", "completed", "failed", "failed")

    def __init__(self, provider: Provider) -> None:
        super().__init__(provider)
        self.models = tuple(offering.name for offering in provider.offerings)
        self.handlers[ENDPOINT_KEY] = self.speech

    # --- errors in the protocol's shape ------------------------------------------------------------

    def error_body(self, reject: Reject) -> Mapping[str, Any]:
        status = reject.status
        if "code" in reject.extra:
            code, param = reject.extra.get("code"), reject.extra.get("param")
        else:  # a rejection of the engine's own (faults, limits): the protocol's usual code for its status
            code, param = _DEFAULT_CODES.get(status), None
        error_type = ERROR_TYPES.get(status, "server_error" if status >= 500 else "invalid_request_error")
        return {"error": {"message": reject.message, "type": error_type, "param": param or None, "code": code or None}}

    def invalid(self, call: Call | None, problems: list[str]) -> Reject:
        found = _PARAM.search(problems[0]) if problems else None
        param = found.group(1) if found else None
        code = "string_above_max_length" if param == "input" and "length" in problems[0] else "invalid_value"
        if problems and "is required" in problems[0]:
            code = "missing_required_parameter"
        return refuse(400, "; ".join(problems), code, param)

    def unauthorized(self, missing: bool) -> Reject:
        if missing:
            return refuse(401, "You didn't provide an API key. Send it as Authorization: Bearer KEY.")
        return refuse(401, "Incorrect API key provided.", "invalid_api_key")

    def rate_limited(self, retry_after: int) -> Reject:
        return refuse(429, f"Rate limit reached; retry after {retry_after} s.", "rate_limit_exceeded",
                      headers={"Retry-After": str(retry_after)})

    def not_found(self, path: str) -> Reject:
        return refuse(404, f"Invalid URL (POST {path})", "unknown_url")

    # --- the speech endpoint -----------------------------------------------------------------------

    def voice(self, name: str, speed: float) -> Voice:
        request = self.provider.endpoint(ENDPOINT_KEY).request
        return voice_of(declared_voices(request) if request is not None else (), name, speed)

    async def speech(self, call: Call) -> Response:
        params = call.params
        assert isinstance(params, SpeechRequest)
        if params.model not in self.models:
            raise refuse(404, f"The model '{params.model}' does not exist or you do not have access to it.",
                         "model_not_found", "model")
        fmt = params.response_format
        if fmt == "aac":
            raise refuse(400, "response_format 'aac' is not available on this server; use "
                         + ", ".join(f for f in CONTENT_TYPES if f != "aac"), "unsupported_value", "response_format")
        cost = self.price(call)
        if cost is not None and not call.services.charge(call.key, cost):
            raise refuse(429, "You exceeded your current quota, please check your plan and billing details.",
                         "insufficient_quota")
        await call.services.take_time(TIMING, len(params.input))
        voice = self.voice(params.voice, params.speed)
        engine_format = ENGINE_FORMATS.get(fmt, AudioFormat.WAV)
        audio = await call.services.synthesize(Speech.single(params.input, voice, engine_format))
        if fmt == "opus":
            audio = to_opus(audio)
        elif fmt == "pcm":
            audio = to_pcm(audio, self.pcm_rate)
        media_type = CONTENT_TYPES[fmt][0]
        if params.stream_format == "sse":
            return sse_reply(self._events(audio, len(params.input)))
        return StreamingResponse(_chunks(audio), media_type=media_type)  # "sent chunked as it is made"

    @property
    def pcm_rate(self) -> int:
        """The declared `sample_rate` of pcm answers (the protocol's 24 kHz unless declared otherwise)."""
        bodies = self.provider.endpoint(ENDPOINT_KEY).responses[0].bodies
        return next((b.pcm_rate for b in bodies if isinstance(b, AudioBody) and b.pcm_rate), PCM_SAMPLE_RATE)

    @staticmethod
    async def _events(audio: bytes, characters: int) -> AsyncIterator[Mapping[str, Any]]:
        for start in range(0, len(audio), DELTA_BYTES):
            chunk = audio[start:start + DELTA_BYTES]
            yield {"type": DELTA_EVENT, "audio": base64.b64encode(chunk).decode("ascii")}
        tokens = max(1, characters // 4)  # the reference counts tokens; about four characters each
        yield {"type": DONE_EVENT, "usage": {"input_tokens": tokens, "output_tokens": 0, "total_tokens": tokens}}


def to_opus(wav: bytes) -> bytes:
    clip = decode(wav)
    samples = soxr.resample(clip.samples, clip.sample_rate, OPUS_SAMPLE_RATE)
    buffer = io.BytesIO()
    soundfile.write(buffer, np.clip(samples, -1.0, 1.0), OPUS_SAMPLE_RATE, format="OGG", subtype="OPUS")
    return buffer.getvalue()


async def _chunks(audio: bytes) -> AsyncIterator[bytes]:
    """The plain answer without a Content-Length, in pieces, as a server that streams what it makes."""
    for start in range(0, len(audio), DELTA_BYTES):
        yield audio[start:start + DELTA_BYTES]


def to_pcm(wav: bytes, rate: int = PCM_SAMPLE_RATE) -> bytes:
    """16-bit signed little-endian mono samples at `rate` (the protocol's 24 kHz), no header (`pcm`)."""
    clip = decode(wav)
    samples = clip.samples if clip.sample_rate == rate else soxr.resample(clip.samples, clip.sample_rate, rate)
    return (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes()
