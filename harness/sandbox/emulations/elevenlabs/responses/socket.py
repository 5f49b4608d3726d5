"""The stream-input WebSocket of the ElevenLabs imitation, one connection at a time.

    accept → checks (format, voice, model) → InitializeConnection (key from the header or the message,
    the generation schedule) → SendText fills a buffer; a generation starts when the buffer reaches the
    schedule's next length, on `flush`, or at CloseConnection ("") → AudioOutput messages with alignment
    (times relative to each chunk), paced on the sandbox's timeline → after the close: {"isFinal": true}
    and a 1000 close.

Errors follow the clients' reading of the protocol: an error message `{"message", "error", "code": 1008}`
and a 1008 close — for a bad or missing key, an unknown voice or model, an unsupported output_format, a
malformed message, a spent quota, a rate limit, and no input within `inactivity_timeout` (default 20 s).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from pydantic import BaseModel, ValidationError
from starlette.websockets import WebSocketDisconnect

from harness.core.protocols import elevenlabs as protocol
from harness.sandbox.emulation import SocketCall
from harness.sandbox.emulations.elevenlabs.models import (
    CHUNK_S,
    DEFAULT_SCHEDULE,
    UNSTREAMABLE,
    pitch_of,
    schedule_threshold,
)
from harness.sandbox.emulations.elevenlabs.responses import messages as responses
from harness.sandbox.socket_writer import Lanes, Sender
from harness.sandbox.utterances import Speaker
from harness.speech import encode_as

LANE = "stream"


class Refusal(Exception):
    def __init__(self, error: str, message: str) -> None:
        super().__init__(message)
        self.error = error
        self.message = message


class StreamInput:
    def __init__(self, declaration: protocol.ElevenLabsDeclaration, call: SocketCall) -> None:
        self.call = call
        self.declaration = declaration
        self.format = call.query.get("output_format", protocol.DEFAULT_FORMAT)
        self.sender = Sender(call)
        self.lanes = Lanes()
        self.buffer = ""
        self.generations = 0
        self.schedule: tuple[float, ...] = DEFAULT_SCHEDULE
        self.key: str | None = None
        self.speaker: Speaker | None = None

    async def run(self) -> None:
        call = self.call
        if call.statuses:
            status = call.statuses[0]
            await call.deny(status, responses.http_error(status, f"Sandbox fault http-{status}"))
            return
        await call.websocket.accept()
        try:
            self._check_opening()
            await self._converse()
        except Refusal as refusal:
            self.lanes.stop()
            if self.sender.open:
                await self.sender.json(responses.socket_error(refusal.error, refusal.message))
                await self.sender.close(1008, refusal.message[:120])
        except WebSocketDisconnect:
            self.lanes.stop()

    def _check_opening(self) -> None:
        voice = self.call.path_params.get("voice_id", "")
        if voice not in self.declaration.voices:
            raise Refusal("voice_not_found", f"A voice with the voice_id {voice} was not found.")
        model = self.call.query.get("model_id", self.declaration.models[0])
        if model not in self.declaration.models:
            raise Refusal("model_not_found", f"The model {model!r} does not exist or is not available.")
        if self.format not in protocol.WS_FORMATS:
            raise Refusal("invalid_request", f"output_format {self.format!r} is not one of "
                          + ", ".join(protocol.WS_FORMATS))
        spec = protocol.audio_spec_of(self.format)
        if spec.codec in UNSTREAMABLE:
            raise Refusal("invalid_request", f"output_format {self.format!r} is not streamed by this sandbox")
        self.spec = spec
        self.timeout_s = float(self.call.query.get("inactivity_timeout", protocol.INACTIVITY_TIMEOUT_S))
        pitch = pitch_of(self.declaration.voices, voice)
        self.speaker = Speaker(self.call.services, spec.sample_rate, CHUNK_S, pitch)

    async def _receive(self) -> Any:
        try:
            message = await asyncio.wait_for(self.call.websocket.receive(), self.timeout_s)
        except TimeoutError:
            raise Refusal("input_timeout_exceeded", "Have not received a new text input within the timeout of "
                          f"{self.timeout_s:g} seconds. Streaming input terminated.") from None
        if message["type"] == "websocket.disconnect":
            raise WebSocketDisconnect(message.get("code", 1000))
        text = message.get("text")
        if text is None:
            raise Refusal("invalid_request", "Expected a JSON text message, got a binary frame.")
        try:
            return json.loads(text)
        except ValueError:
            raise Refusal("invalid_request", f"Invalid JSON: {text[:60]!r}") from None

    def _validated(self, message: Any, position: int) -> BaseModel:
        model = protocol.ElevenLabsGrammar().client_model(message, position)
        if model is None:
            raise Refusal("invalid_request", "Expected a JSON object.")
        try:
            return model.model_validate(message)
        except ValidationError as error:
            first = error.errors(include_url=False)[0]
            where = ".".join(str(part) for part in first["loc"]) or "(message)"
            raise Refusal("invalid_request", f"{model.__name__}: {where}: {first['msg']}") from None

    async def _converse(self) -> None:
        position = 0
        while True:
            message = self._validated(await self._receive(), position)
            position += 1
            if isinstance(message, protocol.InitializeConnection):
                self._authenticate(message)
            elif isinstance(message, protocol.CloseConnection):
                self._generate(force=True)
                self.lanes.submit(LANE, self._final)
                await self.lanes.drain()
                return
            elif isinstance(message, protocol.SendText):
                self.buffer += message.text
                assert self.speaker is not None
                self.speaker.begin(message.text)
                self._generate(force=bool(message.flush))

    def _authenticate(self, first: protocol.InitializeConnection) -> None:
        call = self.call
        bearer = (first.authorization or "").removeprefix("Bearer ").strip()
        key = call.header_key or first.xi_api_key or bearer or None
        if key is None:
            raise Refusal("invalid_api_key", "No API key: send the xi-api-key header or field.")
        if not call.known(key):
            raise Refusal("invalid_api_key", "Invalid API key.")
        retry = call.admit(key)
        if retry is not None:
            raise Refusal("too_many_concurrent_requests", f"Too many concurrent requests; retry in {retry} s.")
        self.key = key
        schedule = first.generation_config.chunk_length_schedule if first.generation_config else None
        if schedule:
            self.schedule = tuple(schedule)

    def _generate(self, *, force: bool) -> None:
        text = self.buffer.strip()
        if not text or (not force and len(self.buffer) < schedule_threshold(self.schedule, self.generations)):
            return
        self.buffer = ""
        self.generations += 1
        self._charge(text)
        self.lanes.submit(LANE, lambda: self._speak(text))

    def _charge(self, text: str) -> None:
        cost = self.declaration.cost_of(len(text), self.call.query.get("model_id", self.declaration.models[0]))
        if not self.call.services.charge(self.key, cost):
            raise Refusal("quota_exceeded", "This request exceeds your quota.")

    async def _speak(self, text: str) -> None:
        assert self.speaker is not None
        spec = self.spec
        async for piece in self.speaker.say(text + " "):
            audio = encode_as(piece.samples, spec.sample_rate, spec.codec, spec.container)
            await self.sender.json(responses.audio_output(audio, piece.marks, piece.offset_s), audio=True)

    async def _final(self) -> None:
        await self.sender.json({"isFinal": True})
        await self.sender.close(1000)
