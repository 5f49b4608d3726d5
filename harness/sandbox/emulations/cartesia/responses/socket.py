"""The `/tts/websocket` channel of the Cartesia imitation: contexts multiplexed on one socket.

    handshake: key (Authorization: Bearer, X-API-Key, ?api_key= or ?access_token=: `protocol.AUTH` and the
               channel's `auth_query`) → 401 when missing or unknown; the key's limit → 429
               (`concurrency_limited`); `http-<status>` faults → that status
    per message: a generation request opens or continues its `context_id`; its transcript joins the
               context's buffer, spoken once a sentence is complete, on `flush`, or when `continue` is
               false; then `chunk` messages (base64 audio) and, with `add_timestamps`, `timestamps`
               (word times counted from the context's start), and one `done` after the last input.
               `{"context_id", "cancel": true}` stops a context: nothing more is sent for it.

Each context speaks in its own lane, so two contexts' chunks interleave on the socket as they are made;
every message names its context. Problems are error events `{"type": "error", "done": true,
"status_code", "error_code", "title", "message", "context_id"}` for the context they concern (or none,
for a message that names no context); the socket stays open, as the documents' per-context errors imply.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from pydantic import ValidationError
from starlette.websockets import WebSocketDisconnect

from harness.core.protocols import cartesia as protocol
from harness.core.protocols.realtime_grammar import SpokenSpan
from harness.sandbox.emulation import Reject, SocketCall
from harness.sandbox.emulations.cartesia import models
from harness.sandbox.emulations.cartesia.models import CHUNK_S, SENTENCE_ENDS
from harness.sandbox.emulations.cartesia.responses import messages as responses
from harness.sandbox.socket_writer import Lanes, Sender
from harness.sandbox.utterances import Speaker
from harness.speech import encode_as


@dataclass(slots=True)
class Context:
    request: protocol.GenerationRequest
    speaker: Speaker
    buffer: str = ""
    ended: bool = False  # `continue: false` came: nothing more is accepted


class TtsSocket:
    def __init__(self, declaration: protocol.CartesiaDeclaration, call: SocketCall) -> None:
        self.declaration = declaration
        self.call = call
        self.sender = Sender(call)
        self.lanes = Lanes()
        self.contexts: dict[str, Context] = {}
        self.key = ""

    async def run(self) -> None:
        if not await self._admitted():
            return
        await self.call.websocket.accept()
        try:
            while True:
                message = await self.call.websocket.receive()
                if message["type"] == "websocket.disconnect":
                    break
                await self._handle(message.get("text"))
        except WebSocketDisconnect:
            pass
        finally:
            self.lanes.stop()

    async def _admitted(self) -> bool:
        call = self.call
        if call.statuses:
            status = call.statuses[0]
            await call.deny(status, responses.error_object(status, f"Sandbox fault http-{status}"))
            return False
        # Every form the declaration documents (`protocol.AUTH`'s headers, the channel's query parameters): the
        # bearer header arrives scheme-stripped as `header_key`; the others are read here.
        headers, query = call.websocket.headers, call.query
        alternatives = (*(headers.get(form.header) for form in protocol.AUTH.others),
                        *(query.get(name) for name in call.channel.auth_query))
        key = call.header_key or next((value.strip() for value in alternatives if value and value.strip()), None)
        if not key or not call.known(key):
            await call.deny(401, responses.error_object(401, "Invalid API key." if key else "No API key was given."))
            return False
        retry = call.admit(key)
        if retry is not None:
            await call.deny(429, responses.error_object(429, "You have exceeded your plan's concurrency limit."),
                            {"Retry-After": str(retry)})
            return False
        self.key = key
        return True

    async def _error(self, status: int, message: str, context_id: str | None, code: str | None = None) -> None:
        await self.sender.json(responses.error_event(status, message, context_id, code))

    async def _handle(self, text: str | None) -> None:
        if text is None:
            await self._error(400, "Messages must be JSON text frames.", None)
            return
        try:
            raw = json.loads(text)
        except ValueError:
            await self._error(400, f"Invalid JSON: {text[:60]!r}", None)
            return
        context_id = raw.get("context_id") if isinstance(raw, dict) else None
        model = protocol.CartesiaGrammar().client_model(raw, 0)
        try:
            if model is None:
                raise ValueError("expected a JSON object")
            message = model.model_validate(raw)
        except (ValueError, ValidationError) as error:
            await self._error(400, _first_problem(error), context_id)
            return
        if isinstance(message, protocol.CancelContext):
            self.lanes.cancel(message.context_id)
            self.contexts.pop(message.context_id, None)
        elif isinstance(message, protocol.GenerationRequest):
            await self._generation(message)

    async def _generation(self, request: protocol.GenerationRequest) -> None:
        context = self.contexts.get(request.context_id)
        if context is not None and context.ended:
            await self._error(400, "This context has already received its last input.", request.context_id)
            return
        if context is None:
            voice = request.voice if isinstance(request.voice, str) else request.voice.id
            refusal = models.refusal(self.declaration, request.model_id, voice)
            if refusal is None and request.output_format.container != "raw":
                refusal = Reject(400, "output_format: the WebSocket streams raw audio only")
            if refusal is not None:
                await self._error(refusal.status, refusal.message, request.context_id, refusal.extra.get("code"))
                return
            spec = protocol.audio_spec_of(request.output_format.model_dump(exclude_none=True))
            speaker = models.speaker(self.call.services, self.declaration, voice, spec.sample_rate, CHUNK_S)
            context = self.contexts[request.context_id] = Context(request, speaker)
        context.buffer += request.transcript
        if request.transcript:
            context.speaker.begin(request.transcript)
        last = request.continue_ is False
        context.ended = last
        text = context.buffer.strip()
        if text and (last or request.flush or text.endswith(SENTENCE_ENDS)):
            context.buffer = ""
            if not self._charged(text, request.model_id):
                await self._error(402, "Your account has run out of credits.", request.context_id)
                return
            self.lanes.submit(request.context_id, lambda: self._speak(context, text))
        if last:
            self.lanes.submit(request.context_id, lambda: self.sender.json(responses.done(request.context_id)))

    def _charged(self, text: str, model: str) -> bool:
        return self.call.services.charge(self.key, self.declaration.cost_of(len(text), model))

    async def _speak(self, context: Context, text: str) -> None:
        request = context.request
        spec = protocol.audio_spec_of(request.output_format.model_dump(exclude_none=True))
        started = time.perf_counter()
        pending: list[SpokenSpan] = []
        async for piece in context.speaker.say(text + " "):
            audio = encode_as(piece.samples, spec.sample_rate, spec.codec, spec.container)
            step_ms = (time.perf_counter() - started) * 1000
            await self.sender.json(responses.chunk(request.context_id, audio, step_ms), audio=True)
            words, pending = responses.complete_words([*pending, *piece.marks])
            if request.add_timestamps and words:
                await self.sender.json(responses.timestamps(request.context_id, words))
            started = time.perf_counter()


def _first_problem(error: Exception) -> str:
    if isinstance(error, ValidationError):
        first = error.errors(include_url=False)[0]
        return f"{'.'.join(str(p) for p in first['loc']) or 'message'}: {first['msg']}"
    return str(error)
