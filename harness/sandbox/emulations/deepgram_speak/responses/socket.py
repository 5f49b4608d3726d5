"""The `/v1/speak` WebSocket of the Deepgram imitation.

    handshake: `Authorization: Token KEY` → 401 when missing or unknown, with `dg-error`; the query's
               `encoding` (linear16, mulaw, alaw), `sample_rate` and `model` → 400 when not documented
               (or not declared); the key's limit → 429; `http-<status>` faults → that status
    open:      `Metadata` first; `Speak` text joins the buffer; `Flush` speaks it as binary frames, then
               `{"type": "Flushed", "sequence_id"}`; past 20 flushes in 60 s a `Warning` instead, and the
               flush is ignored; `Clear` drops the buffer and the audio not yet sent, then `Cleared`;
               `Close` lets the audio already asked for finish (the AsyncAPI's reading), then 1000
    errors:    a close frame naming the error: a binary client frame 1003 MESSAGE-0000, a message that is
               not JSON 1008 DATA-0000, a message the protocol does not have 1008 DATA-0001, a Speak past
               2000 characters 1009 BIG-0000, no client message for 60 s 1011 NET-0001
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections import deque
from typing import TYPE_CHECKING

from pydantic import ValidationError
from starlette.websockets import WebSocketDisconnect

from harness.core.protocols import deepgram_speak as protocol
from harness.core.protocols.realtime_grammar import AudioSpec
from harness.sandbox.emulation import SocketCall
from harness.sandbox.emulations.deepgram_speak import models
from harness.sandbox.emulations.deepgram_speak.models import (
    CHUNK_S,
    FLUSH_WARNING,
    IDLE_TIMEOUT_S,
    MAX_SPEAK_CHARS,
)
from harness.sandbox.emulations.deepgram_speak.responses import messages as responses
from harness.sandbox.socket_writer import Lanes, Sender
from harness.speech import encode_as

if TYPE_CHECKING:
    from harness.sandbox.utterances import Speaker


class Closed(Exception):
    """End the session with this close code and reason."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


class SpeakSocket:
    def __init__(self, declaration: protocol.DeepgramDeclaration, call: SocketCall) -> None:
        self.declaration = declaration
        self.call = call
        self.sender = Sender(call)
        self.lanes = Lanes()
        self.buffer = ""
        self.flushes: deque[float] = deque()  # sandbox clock readings of accepted flushes
        self.sequence = 0
        self.lane = 0
        self.key = ""
        self.model = ""

    async def run(self) -> None:
        opening = await self._opening()
        if opening is None:
            return
        model, spec = opening
        await self.call.websocket.accept()
        self.spec = spec
        self.model = model
        self.speaker: Speaker = models.speaker(self.call.services, self.declaration, model, spec.sample_rate, CHUNK_S)
        await self.sender.json(responses.metadata(model, str(uuid.uuid4())))
        try:
            await self._converse()
        except Closed as closed:
            self.lanes.stop()
            await self.sender.close(closed.code, closed.reason)
        except WebSocketDisconnect:
            self.lanes.stop()

    async def _deny(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        await self.call.deny(status, responses.error_body(status, message), {"dg-error": message, **(headers or {})})

    async def _opening(self) -> tuple[str, AudioSpec] | None:
        call, query = self.call, self.call.query
        if call.statuses:
            await self._deny(call.statuses[0], f"Sandbox fault http-{call.statuses[0]}")
            return None
        key = call.header_key
        if not key or not call.known(key):
            await self._deny(401, "Invalid credentials.")
            return None
        encoding, rate = query.get("encoding", "linear16"), query.get("sample_rate")
        model = query.get("model", protocol.DEFAULT_MODEL)
        problem = (f"encoding {encoding!r} cannot be streamed" if encoding not in protocol.STREAM_ENCODINGS
                   else f"sample_rate {rate!r} is not one of {protocol.STREAM_SAMPLE_RATES}"
                   if rate is not None and (not rate.isdigit() or int(rate) not in protocol.STREAM_SAMPLE_RATES)
                   else f"No such model: {model!r}." if model not in models.models_of(self.declaration) else None)
        if problem is not None:
            await self._deny(400, problem)
            return None
        balance = call.services.balance(key)
        if balance is not None and balance <= 0:
            await self._deny(402, "Insufficient credits.")
            return None
        retry = call.admit(key)
        if retry is not None:
            await self._deny(429, "Too many requests. Please try again later.", {"Retry-After": str(retry)})
            return None
        self.key = key
        return model, protocol.audio_spec_of(encoding, int(rate) if rate else None)

    async def _next(self) -> protocol.SpeakText | protocol.Control:
        try:
            message = await asyncio.wait_for(self.call.websocket.receive(), IDLE_TIMEOUT_S)
        except TimeoutError:
            raise Closed(1011, "NET-0001: no message from the client within the timeout window") from None
        if message["type"] == "websocket.disconnect":
            raise WebSocketDisconnect(message.get("code", 1000))
        if message.get("text") is None:
            raise Closed(1003, "MESSAGE-0000: the server accepts only text (JSON) messages")
        try:
            raw = json.loads(message["text"])
        except ValueError:
            raise Closed(1008, "DATA-0000: the message is not valid JSON") from None
        model = protocol.DeepgramGrammar().client_model(raw, 0)
        try:
            if model is None:
                raise ValueError(f"unknown message type {raw.get('type') if isinstance(raw, dict) else raw!r}")
            parsed = model.model_validate(raw)
        except (ValueError, ValidationError) as error:
            raise Closed(1008, f"DATA-0001: {str(error).splitlines()[0][:80]}") from None
        assert isinstance(parsed, protocol.SpeakText | protocol.Control)
        return parsed

    async def _converse(self) -> None:
        while True:
            message = await self._next()
            if isinstance(message, protocol.SpeakText):
                if len(message.text) > MAX_SPEAK_CHARS:
                    raise Closed(1009, f"BIG-0000: a Speak message holds at most {MAX_SPEAK_CHARS} characters")
                self.buffer += message.text
                if message.text:
                    self.speaker.begin(message.text)
            elif message.type == "Flush":
                await self._flush()
            elif message.type == "Clear":
                self.lanes.cancel(str(self.lane))
                self.lane += 1
                self.buffer = ""
                await self.sender.json(responses.sequenced("Cleared", self.sequence))
            else:  # Close
                await self.lanes.drain()
                await self.sender.close(1000, "")
                return

    async def _flush(self) -> None:
        now = self.call.services.now().timestamp()  # the sandbox clock (a manual clock moves only when told)
        while self.flushes and now - self.flushes[0] >= protocol.FLUSH_WINDOW_S:
            self.flushes.popleft()
        if len(self.flushes) >= protocol.FLUSH_LIMIT:
            await self.sender.json(responses.warning(
                f"Flush limit exceeded: at most {protocol.FLUSH_LIMIT} Flush messages every "
                f"{protocol.FLUSH_WINDOW_S:g} seconds; this one was not processed.", FLUSH_WARNING))
            return
        self.flushes.append(now)
        text, self.buffer = self.buffer.strip(), ""
        sequence, self.sequence = self.sequence, self.sequence + 1
        if text and not self.call.services.charge(self.key, self.declaration.cost_of(len(text), self.model)):
            raise Closed(1008, "Insufficient credits.")

        async def speak() -> None:
            if text:
                async for piece in self.speaker.say(text + " "):
                    await self.sender.binary(encode_as(piece.samples, self.spec.sample_rate, self.spec.codec))
            await self.sender.json(responses.sequenced("Flushed", sequence))

        self.lanes.submit(str(self.lane), speak)
