"""Any Cartesia-protocol provider, imitated from its declaration (`harness.core.protocols.cartesia`).

`POST /tts/bytes` answers the transcript's audio in `output_format` (raw, wav or mp3, at any documented
rate); the declared voices are the voice ids (another is 404), the declared models the `model_id`s
(another is 400 `model_not_found`, the documents' example); the declared price is charged per character.
Keys travel as `Authorization: Bearer` or `X-API-Key` (the protocol's `AUTH`: the pipeline tries each).
Errors are the error objects of Cartesia-Version 2026-03-01 and later. A missing `Cartesia-Version` is taken
as the SDK's version (see docs/sandbox-differences.md). The WebSocket is in `socket`.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator, Mapping
from typing import Any

from starlette.responses import Response

from harness.core.protocols import cartesia as protocol
from harness.core.protocols.realtime_grammar import SpokenSpan
from harness.core.spec import Provider
from harness.sandbox.emulation import Call, Emulation, Reject, SocketCall, StateNames
from harness.sandbox.emulations.cartesia import models
from harness.sandbox.emulations.cartesia.models import CHUNK_S, TIMING
from harness.sandbox.emulations.cartesia.responses import messages as responses
from harness.sandbox.emulations.cartesia.responses.socket import TtsSocket
from harness.sandbox.http_bodies import sse_reply
from harness.sandbox.sockets import declaration_of
from harness.speech import encode_as

MEDIA_TYPES = {"wav": "audio/wav", "mp3": "audio/mpeg", "raw": "application/octet-stream"}


def voice_id(voice: Any) -> str:
    return voice if isinstance(voice, str) else str(getattr(voice, "id", ""))


class CartesiaEmulation(Emulation):
    states = StateNames("queued", "processing", "completed", "failed", "failed")  # no jobs in this protocol

    def __init__(self, provider: Provider) -> None:
        super().__init__(provider)
        self.declaration = declaration_of(provider, protocol.WEBSOCKET, protocol.CartesiaDeclaration)
        self.handlers[protocol.BYTES] = self.tts_bytes
        self.handlers[protocol.SSE] = self.tts_sse
        self.sockets[protocol.WEBSOCKET] = self.websocket

    # --- errors in the protocol's shape ------------------------------------------------------------

    def error_body(self, reject: Reject) -> Mapping[str, Any]:
        return responses.error_object(reject.status, reject.message, reject.extra.get("code"))

    def invalid(self, call: Call | None, problems: list[str]) -> Reject:
        return Reject(400, "; ".join(problems))

    def unauthorized(self, missing: bool) -> Reject:
        return Reject(401, "No API key was given." if missing else "Invalid API key.")

    def rate_limited(self, retry_after: int) -> Reject:
        return Reject(429, "You have exceeded your plan's concurrency limit.",
                      headers={"Retry-After": str(retry_after)})

    # --- the endpoints -----------------------------------------------------------------------------

    async def tts_bytes(self, call: Call) -> Response:
        params = call.params
        assert isinstance(params, protocol.BytesRequest)
        voice = voice_id(params.voice)
        refusal = models.refusal(self.declaration, params.model_id, voice)
        if refusal is not None:
            raise refusal
        cost = self.price(call)
        if cost is not None and not call.services.charge(call.key, cost):
            raise Reject(402, "Your account has run out of credits.")
        await call.services.take_time(TIMING, len(params.transcript))
        spec = protocol.audio_spec_of(params.output_format.model_dump(exclude_none=True))
        samples = await models.speaker(call.services, self.declaration, voice, spec.sample_rate, 1.0).samples(
            params.transcript)
        audio = encode_as(samples, spec.sample_rate, spec.codec, spec.container)
        return Response(audio, media_type=MEDIA_TYPES[spec.container])

    async def tts_sse(self, call: Call) -> Response:
        """The bytes endpoint's synthesis, told as the WebSocket tells it: chunk events of base64 raw audio as it
        is made (paced on the sandbox's stream timeline), word timestamps where asked, then done."""
        params = call.params
        assert isinstance(params, protocol.SseRequest)
        voice = voice_id(params.voice)
        refusal = models.refusal(self.declaration, params.model_id, voice)
        if refusal is not None:
            raise refusal
        cost = self.price(call)
        if cost is not None and not call.services.charge(call.key, cost):
            raise Reject(402, "Your account has run out of credits.")
        await call.services.take_time(TIMING, len(params.transcript))
        spec = protocol.audio_spec_of(params.output_format.model_dump(exclude_none=True))
        speaker = models.speaker(call.services, self.declaration, voice, spec.sample_rate, CHUNK_S)
        context = params.context_id or str(uuid.uuid4())

        async def events() -> AsyncIterator[Mapping[str, Any]]:
            started, pending = time.perf_counter(), list[SpokenSpan]()
            async for piece in speaker.say(params.transcript + " "):
                audio = encode_as(piece.samples, spec.sample_rate, spec.codec, spec.container)
                yield responses.chunk(context, audio, (time.perf_counter() - started) * 1000)
                words, pending = responses.complete_words([*pending, *piece.marks])
                if params.add_timestamps and words:
                    yield responses.timestamps(context, words)
                started = time.perf_counter()
            yield responses.done(context)

        return sse_reply(events())

    async def websocket(self, call: SocketCall) -> None:
        await TtsSocket(self.declaration, call).run()
