"""Any ElevenLabs-protocol provider, imitated from its declaration (`harness.core.protocols.elevenlabs`).

HTTP: `POST /v1/text-to-speech/{voice_id}` answers the audio in `output_format` (query; default
mp3_44100_128), `/stream` the same audio written as it is cut, `/with-timestamps` base64 audio with
character alignment. The declared voices are the voice ids (another is 404 `voice_not_found`); the
declared models the `model_id`s (another is 422); the declared price is charged per character. Errors
use `{"detail": {"status", "message"}}`, validation failures the documented 422 list. The WebSocket is
in `socket`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

from starlette.responses import Response, StreamingResponse

from harness.core.protocols import elevenlabs as protocol
from harness.core.spec import Provider
from harness.sandbox.emulation import Call, Emulation, Reject, SocketCall, StateNames
from harness.sandbox.emulations.elevenlabs.models import HTTP_CHUNK_BYTES, TIMING, pitch_of
from harness.sandbox.emulations.elevenlabs.responses import messages as responses
from harness.sandbox.emulations.elevenlabs.responses.socket import StreamInput
from harness.sandbox.sockets import declaration_of
from harness.sandbox.utterances import Speaker, spread_marks
from harness.speech import encode_as


class ElevenLabsEmulation(Emulation):
    states = StateNames("queued", "processing", "completed", "failed", "failed")  # no jobs in this protocol

    def __init__(self, provider: Provider) -> None:
        super().__init__(provider)
        self.declaration = declaration_of(provider, protocol.STREAM_INPUT, protocol.ElevenLabsDeclaration)
        self.handlers[protocol.CONVERT] = self.convert
        self.handlers[protocol.STREAM] = self.stream
        self.handlers[protocol.WITH_TIMESTAMPS] = self.with_timestamps
        self.sockets[protocol.STREAM_INPUT] = self.stream_input

    # --- errors in the protocol's shapes -----------------------------------------------------------

    def error_body(self, reject: Reject) -> Mapping[str, Any]:
        if reject.status == 422:  # the documented "Validation Error" list, whatever raised it
            return responses.validation_error(reject.extra.get("problems") or [(("body",), reject.message)])
        return responses.http_error(reject.status, reject.message, reject.extra.get("status"))

    def invalid(self, call: Call | None, problems: list[str]) -> Reject:
        return Reject(422, "; ".join(problems), extra={"problems": [(("body",), p) for p in problems]})

    def unauthorized(self, missing: bool) -> Reject:
        message = "Missing the xi-api-key header." if missing else "Invalid API key."
        return Reject(401, message, extra={"status": "invalid_api_key"})

    def rate_limited(self, retry_after: int) -> Reject:
        return Reject(429, "Too many concurrent requests for your plan; retry shortly.",
                      headers={"Retry-After": str(retry_after)}, extra={"status": "too_many_concurrent_requests"})

    def not_found(self, path: str) -> Reject:
        return Reject(404, f"Not Found: {path}", extra={"status": "not_found"})

    # --- checks every endpoint makes --------------------------------------------------------------

    def output_format(self, call: Call, allowed: tuple[str, ...]) -> str:
        fmt = call.query.get("output_format", protocol.DEFAULT_FORMAT)
        if fmt not in allowed:
            raise Reject(422, f"output_format {fmt!r} is not one of {', '.join(allowed)}",
                         extra={"problems": [(("query", "output_format"), f"unexpected value {fmt!r}")]})
        return fmt

    def voice(self, voice_id: str) -> str:
        if voice_id not in self.declaration.voices:
            raise Reject(404, f"A voice with the voice_id {voice_id} was not found.",
                         extra={"status": "voice_not_found"})
        return voice_id

    def model(self, model_id: str) -> None:
        if model_id not in self.declaration.models:
            raise Reject(422, f"model_id {model_id!r} is not a model of this account",
                         extra={"problems": [(("body", "model_id"), f"unknown model {model_id!r}")]})

    async def _audio(self, call: Call, fmt: str) -> tuple[bytes, tuple[Any, ...]]:
        params = call.params
        assert isinstance(params, protocol.SpeechRequest)
        voice = self.voice(call.path_params.get("voice_id", ""))
        self.model(params.model_id)
        cost = self.price(call)
        if cost is not None and not call.services.charge(call.key, cost):
            raise Reject(401, "This request exceeds your quota.", extra={"status": "quota_exceeded"})
        await call.services.take_time(TIMING, len(params.text))
        spec = protocol.audio_spec_of(fmt)
        speaker = Speaker(call.services, spec.sample_rate, 1.0, pitch_of(self.declaration.voices, voice))
        samples = await speaker.samples(params.text)
        marks = spread_marks(params.text, samples, spec.sample_rate, 0.0)
        return encode_as(samples, spec.sample_rate, spec.codec, spec.container), marks

    # --- the endpoints ----------------------------------------------------------------------------

    async def convert(self, call: Call) -> Response:
        fmt = self.output_format(call, protocol.HTTP_FORMATS)
        audio, _ = await self._audio(call, fmt)
        return Response(audio, media_type=protocol.media_type_of(fmt))

    async def stream(self, call: Call) -> Response:
        fmt = self.output_format(call, protocol.HTTP_FORMATS)
        audio, _ = await self._audio(call, fmt)

        async def pieces() -> AsyncIterator[bytes]:
            for start in range(0, len(audio), HTTP_CHUNK_BYTES):
                yield audio[start:start + HTTP_CHUNK_BYTES]

        return StreamingResponse(pieces(), media_type=protocol.media_type_of(fmt))

    async def with_timestamps(self, call: Call) -> Response:
        from harness.sandbox.http_bodies import json_reply

        fmt = self.output_format(call, protocol.HTTP_FORMATS)
        audio, marks = await self._audio(call, fmt)
        return json_reply(responses.with_timestamps(audio, marks))

    async def stream_input(self, call: SocketCall) -> None:
        await StreamInput(self.declaration, call).run()

