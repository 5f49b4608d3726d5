"""Any Deepgram-speak provider, imitated from its declaration (`harness.core.protocols.deepgram_speak`).

`POST /v1/speak?model=&encoding=&container=&sample_rate=` answers `{"text"}`'s audio (default mp3;
linear16, mulaw and alaw in a WAV container unless `container=none`; opus in Ogg; flac; aac is refused:
no encoder here). A model must be declared (or the documented default `aura-asteria-en`); each declared
model speaks at its own pitch. Answers carry `dg-request-id`, `dg-model-name` and `dg-char-count`.
Errors are `{"err_code", "err_msg", "request_id"}`; keys travel as `Authorization: Token KEY`. The
WebSocket is in `socket`.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from starlette.responses import Response

from harness.core.protocols import deepgram_speak as protocol
from harness.core.spec import Provider
from harness.sandbox.emulation import Call, Emulation, Reject, SocketCall, StateNames
from harness.sandbox.emulations.deepgram_speak import models
from harness.sandbox.emulations.deepgram_speak.models import MEDIA_TYPES, TIMING
from harness.sandbox.emulations.deepgram_speak.responses import messages as responses
from harness.sandbox.emulations.deepgram_speak.responses.socket import SpeakSocket
from harness.sandbox.sockets import declaration_of
from harness.speech import encode_as

CONTAINERS = {"linear16": "wav", "mulaw": "wav", "alaw": "wav", "mp3": "mp3", "opus": "ogg", "flac": "flac"}


class DeepgramSpeakEmulation(Emulation):
    states = StateNames("queued", "processing", "completed", "failed", "failed")  # no jobs in this protocol

    def __init__(self, provider: Provider) -> None:
        super().__init__(provider)
        self.declaration = declaration_of(provider, protocol.STREAMING, protocol.DeepgramDeclaration)
        self.models = models.models_of(self.declaration)
        self.handlers[protocol.SPEAK] = self.speak
        self.sockets[protocol.STREAMING] = self.streaming

    def error_body(self, reject: Reject) -> Mapping[str, Any]:
        return responses.error_body(reject.status, reject.message, reject.extra.get("code"))

    def unauthorized(self, missing: bool) -> Reject:
        return Reject(401, "Invalid credentials.")

    def rate_limited(self, retry_after: int) -> Reject:
        return Reject(429, "Too many requests. Please try again later.", headers={"Retry-After": str(retry_after)})

    def model(self, name: str) -> str:
        if name not in self.models:
            raise Reject(400, f"No such model: {name!r}.", extra={"code": "INVALID_QUERY_PARAMETER"})
        return name

    async def speak(self, call: Call) -> Response:
        params = call.params
        assert isinstance(params, protocol.SpeakRequest)
        query = call.query
        model = self.model(query.get("model", protocol.DEFAULT_MODEL))
        encoding = query.get("encoding", "mp3")
        if encoding not in CONTAINERS:
            raise Reject(400, f"Unsupported encoding {encoding!r} on this server; use one of "
                         + ", ".join(CONTAINERS))
        rate = query.get("sample_rate")
        container = query.get("container", CONTAINERS[encoding])
        spec = protocol.audio_spec_of(encoding, int(rate) if rate and rate.isdigit() else None,
                                      "raw" if container == "none" else container)
        cost = self.price(call)
        left = call.services.balance(call.key)  # as the socket: an account with nothing left is refused, priced or not
        if (cost is None and left is not None and left <= 0) or not call.services.charge(call.key, cost):
            raise Reject(402, "Insufficient credits.")
        await call.services.take_time(TIMING, len(params.text))
        samples = await models.speaker(call.services, self.declaration, model, spec.sample_rate, 1.0).samples(
            params.text)
        audio = encode_as(samples, spec.sample_rate, spec.codec, spec.container)
        headers = {"dg-request-id": str(uuid.uuid4()), "dg-model-name": model, "dg-char-count": str(len(params.text))}
        return Response(audio, media_type=MEDIA_TYPES.get(spec.container, "application/octet-stream"), headers=headers)

    async def streaming(self, call: SocketCall) -> None:
        await SpeakSocket(self.declaration, call).run()
