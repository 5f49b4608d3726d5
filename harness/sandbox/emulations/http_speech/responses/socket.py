"""The WebSocket speech family's sockets, imitated from their `Socket` declarations alone
(`harness.core.protocols.websocket_speech`), for any provider of the HTTP speech family that declares them.

    handshake   `http-<status>` faults → that status; where the key travels on the upgrade, a missing or
                unknown key → the provider's 401 in its HTTP error shape; where the upgrade refuses more
                (`UpgradeRefusals`), the URL's settings (400), a spent wallet (402), the key's rate limit (429)
    accept      the greeting where declared (`Start.greeting`: a connected_success)
    framing     every message read and written as the socket frames it: JSON text, or MessagePack binary frames
                (a frame of the other kind is refused with an error frame); on a bare-text socket (`BareText`)
                each text frame is the text itself or one of its control words, a binary frame refused
    opening     its slots (and the upgrade's query and headers) read (voice, model, format, rate — a rate with no
                format named is the first format's —, the key where it travels in the message): an
                unknown voice or model, a format or rate not declared, a bad key → an error frame (an unknown model
                is spoken as the default, with a finding, where the socket says it falls back); the
                key's rate limit → an error frame; then the answer to it where declared (`Start.ready`)
    text        validated against its documented model; joins the buffer, or is spoken at once where the
                provider speaks each text as it comes (`speaks_each_text`); a text closed by the socket's
                end token (`Ending.end_token`), or without what says more follows (`Ending.continues`), is also the end
    flush       where declared, the buffer spoken now (then the turn's answer, where each turn ends with one:
                `Ending.turn_done`; and the final marker, where each flush ends with one); the text goes on; a flush
                carrying text (a `{text}` slot) adds it first
    schedule    where declared, the buffer spoken as soon as it holds the schedule's next length (the opening's list,
                else the declared default)
    flushes     where every flush is answered (`Flushes`), the end is a flush too: the buffer spoken,
                the final marker after its audio (`{sequence}`: the finals sent before it), the text going on;
                past the limit within its window, the warning instead, the flush not processed
    clear       where declared, the buffer dropped unspoken (speech already asked for is still sent, unless the
                socket's `Clears` drops it too); its answer where declared
    cancel      where the clear or a context's cancel is the socket's documented `Cancel`, what it promises: DROPPED —
                nothing more of the speech; FINISHED — the generation under way ends, the queued ones are dropped;
                SILENT — all still sent; the `after_cancel` stream fault sends it all anyway (the drift to catch)
    update      where declared, its settings read as the opening's, a slot it leaves out kept
    end         the buffer spoken (then the turn's answer, where declared); the final marker after the last audio
                (filled with the context, and with the id the request gave, `{nonce}`, as every answer to it is);
                the server closes 1000 unless the client has more to say; a bare-text socket sends no final
                marker: its close (`BareText.close`) after the last audio is the end
    contexts    where declared, each context its own stream (settings, buffer, speaker, lane), opened by its first
                message and ended by `end` or a text message without its `more` flag; contexts speak side by
                side, every answer naming its own; `cancel` drops one (nothing more sent for it); the socket
                stays open for further contexts; past `limit` open at once, its `beyond` refusal; where each
                context opens with the opening (`opens_each`), its settings are that context's, an ended
                context's name may open a new one, and `Ending.after_final` names none
    transcript  where declared (`TranscriptDeltas`), the words of each audio piece in a transcript message, before
                its audio
    conversation where declared (`Conversation`), each text message's item answered as added (its id the client's,
                else a new one; after the item it names, else the latest); each `end` a response with ids of its own
                and the metadata the message set: its opening events before its audio, its closing ones after it (or
                at once, the item incomplete, when it is cancelled), then the final marker
    marks       where declared (and asked for by `asked_by`), the speaker's timing marks as lists at the marks'
                pointers: words (characters joined until white space) or characters, in the marks' unit
    after_final its answer where declared (`Ending.closed`), once the audio asked for is out; then the server closes
                1000, or waits for the client to close (`Ending.server_closes` false)
    errors      an error frame in the declared template (the provider's own code for the refusal, from the
                `SpeechService`'s refusals) and the declared error close, or, where errors are told by the close
                frame alone (`close_errors`), that close with its code and the reason naming the fault: a
                binary or non-JSON frame, a
                message the socket does not have, one its model refuses, a spent wallet, no message within
                IDLE_TIMEOUT_S
    order       a message before its stream's opening (a context used before an opening of its own) is spoken with
                the upgrade's settings and recorded as a finding, unless the documents say the opening comes
                first (`Start.opening_first`): then refused

The key on the upgrade is the provider's auth header, any of its `Auth.others` headers, a query parameter of
`SocketAuth.query`, or the offered subprotocols [`SocketAuth.subprotocol`, KEY] (accepted naming the first).
Audio goes out as the declared format's bytes, chunk by chunk on the stream's timeline (the `Speaker`), as binary
frames or encoded into the audio answer's template at its pointer; `{last}` is true in the last audio answer of each
spoken stretch, `{step_ms}` the milliseconds its chunk took to make; `{event}`, in any message, an id new for each
message sent. Each stretch is charged at the model's documented price.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from starlette.websockets import WebSocketDisconnect

from harness.core.audio import stream_frames
from harness.core.protocols.catalogues import KnownModel
from harness.core.protocols.http_speech import (
    Format,
    Model,
    SpeechRefusal,
    SpeechService,
    UnknownModel,
    assumed_finding,
    fill,
    put,
    read,
    spoken_like,
)
from harness.core.protocols.marks import Marks, complete_words, groups, marks_values
from harness.core.protocols.realtime_grammar import AfterCancel, AudioSpec, Channel, SpokenSpan
from harness.core.protocols.socket_framing import FramingError, audio_value, decode, encode
from harness.core.protocols.value_variants import Resolved, case_variant, finding_words
from harness.core.protocols.websocket_speech import (
    Answer,
    CloseError,
    KeyIn,
    Send,
    Socket,
    SocketGrammar,
    served,
    slots_of,
)
from harness.core.spec import UnknownInput
from harness.core.validate import set_aside_unknown
from harness.sandbox.emulation import SocketCall
from harness.sandbox.emulations.http_speech.models import pitch_of
from harness.sandbox.emulations.http_speech.responses.billing import billed_values
from harness.sandbox.emulations.http_speech.responses.catalogue import model_verdict, voice_spoken
from harness.sandbox.emulations.http_speech.responses.proto3 import camel_case
from harness.sandbox.languages import request_language
from harness.sandbox.socket_writer import Lanes, Sender, SocketDropped
from harness.sandbox.stream_faults import (
    AFTER_CANCEL,
    RENAMED_FIELD,
    RETIRED,
    RETIRED_MODEL,
    broken_marks,
    broken_piece,
    merged_words,
    served_samples,
)
from harness.sandbox.utterances import Speaker
from harness.speech import encode_as

if TYPE_CHECKING:
    pass

CHUNK_S = 0.2  # seconds of audio per frame: the streaming providers' usual 100-250 ms
IDLE_TIMEOUT_S = 20.0  # no client message for this long ends the socket with an error (a documented default)
LANE = "speech"
ORDER_FINDING = (
    "{message} before its stream's opening message: spoken with the upgrade's settings (else the "
    "defaults), as the documents do not say the order is refused"
)


class Refused(Exception):
    """End the socket with an error frame: the provider's refusal and the particulars."""

    def __init__(self, refusal: SpeechRefusal, detail: str = "", fault: str = "invalid") -> None:
        super().__init__(refusal.says(detail))
        self.refusal = refusal
        self.detail = detail
        self.code = refusal.code
        self.status = refusal.status
        self.message = refusal.says(detail)
        self.fault = fault  # the kind of fault, for a socket that tells errors by its close frame (`CloseErrors`)


@dataclass(slots=True, kw_only=True)
class Stream:
    """One utterance on the socket (a context where the socket has them): its settings, its text and its speaker."""

    wire_model: str
    model: Model
    voice: str
    spec: AudioSpec
    values: dict[str, Any]
    lane: str = LANE
    opened: bool = False
    settled: bool = False  # the settings were read (from the opening, or the first text message)
    buffer: str = ""
    speaker: Speaker | None = None
    ended: bool = False  # its last text came: nothing more is taken for it
    marked: bool = False  # timing marks were asked for
    lengths: tuple[float, ...] = ()  # the chunk schedule's lengths (`Socket.schedule`: the opening's, else its default)
    generations: int = 0  # the buffer's generations so far (the schedule's next length is the following one)
    pending: list[SpokenSpan] = field(default_factory=list)  # characters of a word not yet ended
    spoken: str = ""  # the text spoken since the last final message, and its audio's seconds: what the final bills
    spoken_s: float = 0.0
    pieces: int = 0  # audio pieces sent: a stream fault breaks each one after the first (`stream_faults`)
    piece_at: tuple[int, float] = (0, 0.0)  # the latest piece's index and start: a marks fault breaks its marks
    merge_held: tuple[SpokenSpan, ...] = ()  # a word the `merge` marks fault holds for the next piece's
    said: str = ""  # the words the transcript deltas said since the last final message (`{transcript}`)
    responding: bool = False  # a response's opening events are out and its closing ones not yet (`Conversation`)


class FamilySocket:
    """One connection to a declared socket."""

    def __init__(self, service: SpeechService, channel: Channel, call: SocketCall) -> None:
        grammar = channel.grammar
        assert isinstance(grammar, SocketGrammar)
        self.service = service
        self.grammar = grammar
        self.socket: Socket = grammar.socket
        self.call = call
        self.sender = Sender(call)
        self.lanes = Lanes()
        self.subprotocol: str | None = None  # the subprotocol the upgrade is accepted with (`SocketAuth.subprotocol`)
        self.key = self._upgrade_key()
        self.id = uuid.uuid4().hex
        self.flushed_at: deque[float] = deque()  # the sandbox clock's readings of the flushes taken (`Flushes`)
        self.models = {wire: model for model, wire in served(service, self.socket)}  # the socket's names
        # Names the provider takes beyond the offerings, spoken like the model this socket serves as `like` (the
        # socket's own name for it); an alias is priced as that name, and the words of a finding where no document
        # lists it (`catalogues.known_finding`).
        self.priced_as: dict[str, str] = {}
        self.known: dict[str, KnownModel] = {}
        for known in service.known_models:
            base = self.models.get(known.like) if known.socket in ("", self.socket.key) else None
            if base is not None and known.name not in self.models:
                self.models[known.name], self.known[known.name] = spoken_like(known, base, None), known
                if known.alias:
                    self.priced_as[known.name] = known.like
        self.streams: dict[str, Stream] = {}
        self.stream = self._new_stream("")
        self.requests = 0  # the requests that gave (or left out) an id (`{nonce}`) so far
        self.request_id: Any = None  # the latest such request's id
        self.last_item: str | None = None  # the conversation's latest item (`Conversation`): what a new one follows

    def _new_stream(self, context: str) -> Stream:
        wire, model = next(iter(self.models.items()))
        lane = LANE if self.socket.contexts is None else f"context:{context}"
        marked = self.socket.marks is not None and not self.socket.marks.asked_by
        schedule = self.socket.schedule
        return Stream(
            wire_model=wire,
            model=model,
            voice=model.voice,
            spec=self.socket.formats[0].spec,
            values={
                "context": context,
                "nonce": 0,
                "id": self.id,
                "sequence": 0,
                "response": self.id,
                "output": self.id,
                "metadata": None,
                "previous": None,
                "transcript": "",
                "item_status": "completed",
            },
            lane=lane,
            opened=self.socket.start.opening is None,
            marked=marked,
            lengths=() if schedule is None else schedule.default,
        )

    def _upgrade_key(self) -> str:
        """The key as the upgrade carries it: the auth header, another documented header, or a query parameter."""
        call = self.call
        if call.header_key:
            return call.header_key
        headers = call.websocket.headers
        others = (
            *(headers.get(form.header) for form in self.service.auth.others if form.header and not form.query),
            *(call.query.get(name) for name in self.socket.auth.query),
        )
        found = next((value.strip() for value in others if value and value.strip()), "")
        offered = list(call.websocket.scope.get("subprotocols") or ())
        named = self.socket.auth.subprotocol  # the subprotocols [name, KEY] (a `token` subprotocol)
        if not found and named and len(offered) >= 2 and offered[0] == named:
            found, self.subprotocol = str(offered[1]), named
        return found

    # --- the connection -----------------------------------------------------------------------------

    async def run(self) -> None:
        call, auth, refusals = self.call, self.socket.auth, self.service.refusals
        if call.statuses:
            status = call.statuses[0]
            known = (
                refusals.invalid,
                refusals.bad_key,
                refusals.quota,
                refusals.rate_limited,
                refusals.busy,
                refusals.not_found,
                refusals.server_error,
            )
            code = next((r.code for r in known if r.status == status), refusals.server_error.code)
            await self._deny(status, SpeechRefusal(status, code, f"Sandbox fault http-{status}"))
            return
        # A key that may come in the opening instead (`SocketAuth.fields`) is not missed at the upgrade; a wrong one is.
        if (
            auth.where is KeyIn.HEADER
            and auth.in_handshake
            and (self.key or not auth.fields)
            and (not self.key or not call.known(self.key))
        ):
            await self._deny(401, refusals.missing_key if not self.key else refusals.bad_key)
            return
        if not await self._upgrade_admits():
            return
        await call.websocket.accept(subprotocol=self.subprotocol)
        try:
            greeting = self.socket.start.greeting
            if greeting is not None:  # it names the settings the upgrade asked for, else the defaults
                stream = self.stream
                defaults = {
                    "model": stream.wire_model,
                    "voice": stream.voice,
                    "format": self.socket.formats[0].name,
                    "rate": stream.spec.sample_rate,
                }
                asked = {name: value for name, value in self._upgrade_given().items() if value not in (None, "")}
                await self._send(self._filled(greeting, **{**defaults, **asked}))
            # A key that may also come in the opening (`SocketAuth.fields`) is checked there when no header came.
            if auth.where is KeyIn.HEADER and not auth.in_handshake and (self.key or not auth.fields):
                self._check_key(self.key)
            if self.socket.start.opening is None and not self.stream.settled:
                self._start(self.stream.wire_model, self.stream.voice, self.stream.spec)
            await self._converse()
        except Refused as refused:
            self.lanes.stop()
            await self._error(refused.code, refused.message, refused.status, refused.fault)
        except (WebSocketDisconnect, SocketDropped):
            self.lanes.stop()

    async def _deny(
        self, status: int, refusal: SpeechRefusal, detail: str = "", extra: Mapping[str, str] | None = None
    ) -> None:
        body, headers = self.service.errors.render(status, refusal.code, refusal.says(detail))
        if self.service.request_id_header:  # the upgrade's answer names its request as every answer does
            headers[self.service.request_id_header] = str(uuid.uuid4())
        await self.call.deny(
            status, body if isinstance(body, Mapping) else {"error": body}, {**headers, **(extra or {})}
        )

    async def _upgrade_admits(self) -> bool:
        """The upgrade's own refusals beyond the key (`UpgradeRefusals`); whether it may be accepted. The URL's
        settings are read here, so the socket starts with them."""
        checks, call, refusals = self.socket.upgrade_refusals, self.call, self.service.refusals
        if checks is None:
            return True
        if checks.settings and self.socket.start.opening is None and self.socket.contexts is None:
            try:
                self._open({}, {})  # the query's and path's settings alone
            except Refused as refused:
                await self._deny(refused.refusal.status, refused.refusal, refused.detail)
                return False
        balance = call.services.balance(self.key) if self.key else None
        if checks.wallet and balance is not None and balance <= 0:
            await self._deny(refusals.quota.status, refusals.quota)
            return False
        retry = call.admit(self.key) if checks.rate_limit and self.key else None
        if retry is not None:
            await self._deny(refusals.rate_limited.status, refusals.rate_limited, extra={"Retry-After": str(retry)})
            return False
        return True

    async def _error(self, code: str, message: str, status: int = 400, fault: str = "invalid") -> None:
        answer, closes = self.socket.failures.error, self.socket.failures.close_errors
        if answer is None:
            assert closes is not None  # Socket.__post_init__: one of the two
            said: CloseError = getattr(closes, fault) or closes.invalid  # a kind the socket leaves unsaid: invalid
            if self.sender.open:
                await self.sender.close(said.code, f"{said.name}: {message}"[:120])
            return
        named = {} if self.request_id is None else {"nonce": self.request_id}  # the refused request's id
        frame = self._filled(answer, code=code, message=message, status=status, **named)
        number = int(code) if code.isdigit() else code  # a code that is a number is written as one
        for pointer, value in ((answer.code_at, number), (answer.message_at, message)):
            if pointer:
                put(frame, pointer, value)
        if self.sender.open:
            await self._send(frame)
            await self.sender.close(self.socket.failures.error_close, message[:120])

    async def _send(self, message: dict[str, Any], *, audio: bool = False) -> None:
        """One server message, framed as the socket frames its messages (by its retired grammar's names under that
        drift)."""
        retired = self.socket.retired
        if retired is not None and self.call.services.stream_fault() == RETIRED:
            message = retired.spoken(message)
        if self.socket.framing.binary:
            framed = encode(message, self.socket.framing)
            assert isinstance(framed, bytes)
            await self.sender.binary(framed, audio=audio)
        else:
            await self.sender.json(message, audio=audio)

    def _filled(self, answer: Answer, stream: Stream | None = None, **values: Any) -> dict[str, Any]:
        # every message its own event id (`{event}`)
        filled = fill(answer.template, {"event": uuid.uuid4().hex, **(stream or self.stream).values, **values})
        assert isinstance(filled, dict)
        echoed = (stream or self.stream).values.get("context") if self.socket.context_echoed_from else None
        if echoed and self.socket.context_at and read(filled, self.socket.context_at) is None:
            put(filled, self.socket.context_at, echoed)  # the context the client named, echoed as its clients read
        return filled

    # --- messages -----------------------------------------------------------------------------------

    async def _receive(self) -> Any:
        invalid = self.service.refusals.invalid
        receiving = asyncio.ensure_future(self.call.websocket.receive())
        # Idle means neither side has anything to do: while the speech the client asked for is still being made
        # (a loaded sandbox makes it slowly), the client's waiting for it is not silence.
        while not (await asyncio.wait({receiving}, timeout=IDLE_TIMEOUT_S))[0]:
            if not self.lanes.working:
                receiving.cancel()
                raise Refused(invalid, f"No message within {IDLE_TIMEOUT_S:g} seconds", "idle")
        message = receiving.result()
        if message["type"] == "websocket.disconnect":
            raise WebSocketDisconnect(message.get("code", 1000))
        try:
            raw = decode(message.get("text"), message.get("bytes"), self.socket.framing)
        except FramingError as error:
            wrong = (message.get("text") is None) is not self.socket.framing.binary
            raise Refused(
                invalid, str(error)[:1].upper() + str(error)[1:], "wrong_frame" if wrong else "not_json"
            ) from None
        return camel_case(raw) if self.service.proto3_json else raw  # either name of a proto3 JSON field

    def _validated(self, raw: Any, position: int) -> Send:
        invalid = self.service.refusals.invalid
        send = self.grammar.client_message(raw, position)
        if send is None:
            raise Refused(
                invalid,
                "Unknown message: "
                + (", ".join(sorted(map(str, raw)))[:80] if isinstance(raw, dict) else type(raw).__name__),
            )
        self._renamed(raw, send)
        checked, unknown = raw, ()  # type: tuple[Any, tuple[str, ...]]
        if self.socket.unknown_input is not UnknownInput.REFUSED:  # as the documents say, else never stricter
            checked, unknown = set_aside_unknown(send.model, raw)
        try:
            send.model.model_validate(checked)
        except ValidationError as error:
            first = error.errors(include_url=False)[0]
            where = ".".join(str(part) for part in first["loc"]) or "(message)"
            raise Refused(invalid, f"{send.name}: {where}: {first['msg']}") from None
        if self.socket.unknown_input is UnknownInput.UNDOCUMENTED:  # `ignored`: documented, no finding
            self.call.services.accepted_unknown(f"WS {self.socket.path} {send.name}", unknown)
        return send

    def _renamed(self, raw: Any, send: Send) -> None:
        """The `renamed_field` drift (`stream_faults`): a field by the name a rename gave it is unknown to this server,
        refused naming it where the socket refuses unknown fields (the GA endpoint's words), else seen."""
        retired = self.socket.retired
        if retired is None or self.call.services.stream_fault() != RENAMED_FIELD:
            return
        renamed = retired.renamed_in(raw)
        if renamed and self.socket.unknown_input is UnknownInput.REFUSED:
            raise Refused(self.service.refusals.invalid, f"Unknown parameter: '{renamed}'.")
        if renamed:
            self.call.services.accepted_unknown(f"WS {self.socket.path} {send.name}", (renamed,))

    def _context(self, raw: Any, send: Send) -> bool:
        """Make the stream of the context a message names the current one (a new context opens a stream); whether
        the message is spent (a cancel)."""
        contexts = self.socket.contexts
        if contexts is None:
            return False
        if send is self.socket.ending.after_final:
            return False  # the socket's own message (a close_socket): it names no context, and ends them all
        context = str(read(raw, contexts.at) or "")
        if send is contexts.cancel:
            dropped = self.streams.pop(context, None)
            if dropped is not None:
                self._cancelled(dropped, send, drops=True)  # "nothing more sent for it"
            return True
        stream = self.streams.get(context)
        if stream is not None and stream.ended and contexts.opens_each and send is self.socket.start.opening:
            stream = None  # an ended context's name opens a new one, "not linked to the previous context"
        if stream is None:
            live = sum(1 for one in self.streams.values() if not one.ended)
            if contexts.limit and live >= contexts.limit:
                raise Refused(
                    contexts.beyond or self.service.refusals.invalid, f"more than {contexts.limit} contexts at once"
                )
            stream = self.streams[context] = self._new_stream(context)
            if self.socket.start.opening is None:
                self.stream = stream
                self._start(stream.wire_model, stream.voice, stream.spec)
        if stream.ended:
            raise Refused(self.service.refusals.invalid, f"context {context!r} has already received its last input")
        self.stream = stream
        return False

    async def _converse(self) -> None:
        socket, start, ending, position = self.socket, self.socket.start, self.socket.ending, 0
        while True:
            raw = await self._receive()
            send = self._validated(raw, position)
            self._said_id(raw, send)
            position += 1
            if send is socket.keepalive or any(send is taken for taken in socket.taken):
                continue  # taken, and answered by nothing
            if self._context(raw, send):
                continue
            if send is start.opening:
                self._open(raw)
                if start.ready is not None:
                    await self._send(self._filled(start.ready))
                continue
            stream = self.stream
            if not stream.opened:
                self._open_unasked(send)
            ended = False  # the text message closed by the socket's end token (or without its context's `more`)
            if send is socket.text:
                await self._item_added(raw)
                ended = self._take_text(raw)
            elif send is socket.flush:
                if "text" in slots_of(send.template):  # a flush that carries text (a "flush": true)
                    ended = self._take_text(raw, send.template)
                if self._speak_buffer():
                    if ending.turn_done is not None:  # this turn's audio is out: its answer, the socket going on
                        self.lanes.submit(stream.lane, partial(self._turn_done, stream))
                    if ending.final_per_flush:
                        self.lanes.submit(stream.lane, partial(self._final, stream))
            elif send is socket.clear:
                stream.buffer = ""  # the unspoken text; what was asked for before is still sent, unless `Clears` says
                clears = socket.clears
                self._cancelled(stream, send, drops=clears is not None and clears.drops_speech)
                if socket.conversation is not None and stream.responding:  # the response under way ends, cut short
                    await self._response_events(stream, socket.conversation.closes, {"item_status": "incomplete"})
                if clears is not None and clears.answer is not None:
                    await self._send(self._filled(clears.answer))
                stream.said = ""  # the cancelled response's words: the next response's start afresh
            elif send is socket.update:
                self._open(raw, send.template, keep=True)
            if send is socket.end and socket.flushes is not None and not await self._flush_taken():
                continue
            if send is socket.end or ended or (send is socket.text and socket.end is None):  # None: the text is all
                self._take_id(send, stream)
                self._response_begins(raw, send, stream)
                if self._speak_buffer() and ending.turn_done is not None:
                    self.lanes.submit(stream.lane, partial(self._turn_done, stream))
                if socket.conversation is not None:
                    self.lanes.submit(
                        stream.lane,
                        partial(
                            self._response_events, stream, socket.conversation.closes, {"item_status": "completed"}
                        ),
                    )
                self.lanes.submit(stream.lane, partial(self._final, stream))
                stream.ended = socket.flushes is None  # where every flush is answered, the text goes on
                if socket.contexts is not None:
                    continue  # the socket stays open for the other contexts and new ones
                if ending.after_final is None:
                    if not ending.server_closes:
                        # The client closes, so until it does the connection is still the session's: further text
                        # is another utterance ("Single WebSocket connection handles multiple text to speech
                        # conversions"), never a message read and dropped.
                        stream.ended = False
                        continue
                    await self.lanes.drain()
                    await self._close_if_server_closes()
                    return
            elif send is ending.after_final:
                await self.lanes.drain()
                if ending.closed is not None:
                    await self._send(self._filled(ending.closed))
                await self._close_if_server_closes()
                return

    def _said_id(self, raw: Any, send: Send) -> None:
        """The id a request gives (`{nonce}`), which every answer to it carries back, an error frame refusing it
        included; one the client leaves out is the count of requests before it ("Auto-increments per message if
        omitted")."""
        at = slots_of(send.template).get("nonce")
        if at is None:
            return
        given = read(raw, at)
        self.requests += 1
        self.request_id = self.requests - 1 if given is None else given

    async def _item_added(self, raw: Any) -> None:
        """A text message's item added to the conversation (`Conversation.added`): the item as sent, its id the
        client's or one the server gives, after the item the message names (its `first` word: none), else the
        latest."""
        conversation = self.socket.conversation
        if conversation is None or conversation.added is None:
            return
        item = read(raw, conversation.item_at)
        item = dict(item) if isinstance(item, Mapping) else {}
        item["id"] = str(item.get("id") or f"item_{uuid.uuid4().hex}")
        named = read(raw, conversation.previous_at) if conversation.previous_at else None
        previous = self.last_item if named is None else None if named == conversation.first else str(named)
        self.last_item = item["id"]
        await self._send(self._filled(conversation.added, item=item, previous=previous))

    def _response_begins(self, raw: Any, send: Send, stream: Stream) -> None:
        """Where the text is a conversation's (`Conversation`), the `end` message a new response: its own ids, the
        metadata it set, its events before the audio, in the stream's lane (after the speech asked for before it)."""
        conversation = self.socket.conversation
        if conversation is None or send is not self.socket.end:
            return
        values = {
            "response": uuid.uuid4().hex,
            "output": uuid.uuid4().hex,
            "previous": self.last_item,
            "metadata": read(raw, conversation.metadata_at) if conversation.metadata_at else None,
        }
        self.last_item = f"item_{values['output']}"  # the response's output item joins the conversation
        self.lanes.submit(stream.lane, partial(self._response_events, stream, conversation.opens, values, opens=True))

    async def _response_events(
        self, stream: Stream, answers: Sequence[Answer], values: Mapping[str, Any], *, opens: bool = False
    ) -> None:
        """A response's events before its audio (`Conversation.opens`, with its new ids) or after it (`closes`, also
        when it is cancelled: "Also emitted when a Response is interrupted, incomplete, or cancelled")."""
        stream.values.update(values, transcript=stream.said)
        stream.responding = opens
        for answer in answers:
            await self._send(self._filled(answer, stream))

    def _take_id(self, send: Send, stream: Stream) -> None:
        """The request's id set in the stream's lane, so the speech asked for before it is still answered with its
        own."""
        if "nonce" in slots_of(send.template):
            self.lanes.submit(stream.lane, partial(self._set_id, stream, self.request_id))

    async def _set_id(self, stream: Stream, said: Any) -> None:
        stream.values["nonce"] = said

    async def _turn_done(self, stream: Stream) -> None:
        turn_done = self.socket.ending.turn_done
        assert turn_done is not None
        await self._send(self._filled(turn_done, stream))

    def _cancelled(self, stream: Stream, send: Send, *, drops: bool) -> None:
        """What a cancel does to the speech already asked for, as the documents say: `drops` (a Clears that drops it, a
        context's cancel) or a DROPPED promise — the speech not yet sent and its final markers go; a FINISHED promise
        — the generation under way ends, the ones queued behind it go (their final markers kept); otherwise it is all
        still sent. The `after_cancel` stream fault sends it all whatever the documents say (`stream_faults`)."""
        if self.call.services.stream_fault() == AFTER_CANCEL:
            return
        declared = self.socket.cancel if self.socket.cancel_send is send else None
        if drops or (declared is not None and declared.after is AfterCancel.DROPPED):
            self.lanes.cancel(stream.lane)
        elif declared is not None and declared.after is AfterCancel.FINISHED:
            self.lanes.drop_queued(stream.lane, keep=lambda job: getattr(job, "func", None) == self._final)

    def _open_unasked(self, send: Send) -> None:
        """A message before its stream's opening (a context used before an opening message of its own): no document
        says the order is refused, so the stream opens with the upgrade's settings (else the defaults) and the order
        is recorded as a finding. Where the documents say the opening comes first (`Start.opening_first`), refused;
        where the key travels in the opening, a missing key is still refused as such."""
        where = f"WS {self.socket.path}"
        if self.socket.start.opening_first:  # the documents state the order: refused, as they say
            raise Refused(self.service.refusals.invalid, f"{send.name} before the opening message")
        self._open({}, {})
        self.call.services.accepted_variant(where, send.name, ORDER_FINDING.format(message=send.name))

    def _take_text(self, raw: Any, template: Mapping[str, Any] | None = None) -> bool:
        """A text message (or a flush carrying text: its `template`) into the buffer; whether it also ended the text
        (closed by the socket's `Ending.end_token`, or without what says more follows: `Ending.continues`)."""
        socket, ending = self.socket, self.socket.ending
        stream = self.stream
        if socket.start.opening is None and not stream.settled:  # the settings ride on every text message
            self._open(raw, socket.text.template)
        named = read(raw, socket.context_echoed_from) if socket.context_echoed_from else None
        if named is not None and socket.contexts is None:
            stream.values["context"] = str(named)  # the latest the client named: its answers echo it
        marks = socket.marks
        if marks is not None and marks.asked_by and not marks.asked_at_start and marks.asked(raw):
            stream.marked = True
        text = str(read(raw, slots_of(template or socket.text.template).get("text")) or "")
        ended = bool(ending.end_token) and text.rstrip().endswith(ending.end_token)
        if ended:
            text = text.rstrip()[: -len(ending.end_token)]
        ended = ended or (ending.continues is not None and not ending.continues(raw))  # no more text follows
        contexts = socket.contexts
        if contexts is not None and contexts.more and read(raw, contexts.more) is not True:
            ended = True  # a context's text without its flag to go on is its last
        stream.buffer += text
        if text and stream.speaker is not None:
            stream.speaker.begin(text)
        schedule = socket.schedule
        filled = (
            schedule is not None
            and bool(stream.lengths)
            and len(stream.buffer) >= schedule.threshold(stream.lengths, stream.generations)
        )
        if (socket.speaks_each_text or filled) and self._speak_buffer():
            stream.generations += 1
        return ended

    async def _flush_taken(self) -> bool:
        """Whether a flush is within the socket's limit (`Flushes`); past it, its warning is the answer."""
        flushes = self.socket.flushes
        assert flushes is not None
        if not flushes.limit:
            return True
        now = self.call.services.now().timestamp()  # the sandbox clock (a manual clock moves only when told)
        while self.flushed_at and now - self.flushed_at[0] >= flushes.window_s:
            self.flushed_at.popleft()
        if len(self.flushed_at) >= flushes.limit:
            if flushes.warning is not None:
                await self._send(
                    self._filled(
                        flushes.warning,
                        code="FLUSH_LIMIT_EXCEEDED",
                        message=f"Flush limit exceeded: at most {flushes.limit} flushes every {flushes.window_s:g} "
                        "seconds; this one was not processed.",
                    )
                )
            return False
        self.flushed_at.append(now)
        return True

    async def _close_if_server_closes(self) -> None:
        if self.socket.ending.server_closes:
            await self.sender.close(1000 if self.socket.bare is None else self.socket.bare.close)
            return
        while True:  # the client closes: read until it does (a further message is refused as any other)
            self._validated(await self._receive(), 1)

    # --- the opening --------------------------------------------------------------------------------

    def _open(self, raw: Any, template: Mapping[str, Any] | None = None, *, keep: bool = False) -> None:
        """The settings a message carries (the opening's, or the first text message's where the socket has no
        opening): its key where it travels there, the model, voice, format and rate its slots hold. `keep`: an
        update of settings already made, so a slot the message leaves out keeps its value (and the key is not
        asked for again)."""
        socket, refusals, opening = self.socket, self.service.refusals, self.socket.start.opening
        assert opening is not None or template is not None
        slots = slots_of(template if template is not None else opening.template)  # type: ignore[union-attr]
        self.stream.settled = True
        marks = socket.marks
        if marks is not None and marks.asked_at_start and not keep and marks.asked(raw):
            self.stream.marked = True  # the session's settings ask for them, once
        lengths = None if socket.schedule is None else read(raw, socket.schedule.lengths_at)
        if isinstance(lengths, list) and lengths and all(isinstance(n, int | float) for n in lengths):
            self.stream.lengths = tuple(lengths)
        if socket.auth.where is KeyIn.MESSAGE and not keep:
            self._check_key(str(read(raw, slots.get("key")) or ""))
        elif socket.auth.fields and not keep and not self.key:  # no header came: the opening's field holds it
            self._check_key(str(next((found for at in socket.auth.fields if (found := read(raw, at))), "")))
        # What the upgrade said (the URL's path and query, its headers), then what the message says.
        given: dict[str, Any] = self._upgrade_given()
        stream = self.stream
        if keep:
            given |= {"model": stream.wire_model, "voice": stream.voice, "context": stream.values["context"]}
        given |= {name: value for name, at in slots.items() if (value := read(raw, at)) is not None or not keep}
        wire = stream.wire_model
        if "model" in given:
            wire = str(given["model"] or "") or self._default_model()
            default = self._default_model()
            if wire not in self.models and default and socket.unknown_model is UnknownModel.DEFAULT:
                self.call.services.spoke_as_default(f"WS {socket.path}", "model", wire, default)  # the fallback
                wire = default
            # The team's catalogue: a model of the account is spoken (by the first served model), one marked missing
            # refused whatever serves it.
            verdict = model_verdict(wire, wire in self.models, self.call.services)
            if not verdict.spoken:
                raise Refused(refusals.unknown_model or refusals.invalid, wire)
            if wire in self.known:
                self.call.services.spoke_known(f"WS {socket.path}", "model", self.known[wire])
        if not keep and self.call.services.stream_fault() == RETIRED_MODEL:  # the drift: the model asked is retired
            raise Refused(refusals.unknown_model or refusals.invalid, wire, "unknown_model")
        model = self._served(wire)
        voice = model.voice
        if given.get("voice") is not None:  # a voice the message leaves out (its field optional): the model's own
            voice = str(given["voice"])
            if not voice_spoken(self.service, voice, self.call.services, f"WS {socket.path}", "voice"):
                raise Refused(refusals.unknown_voice, voice)
            declared = self.service.voice(voice)
            if declared is not None and not self.service.speaks(declared, model.name):
                raise Refused(refusals.unknown_voice, voice)
        fmt = self._format_asked(given)
        spec = fmt.spec
        # The rate asked, of the format named or (a socket whose messages name a rate and no format) of its one format
        rate = given.get("rate")
        if rate is not None and rate != "":  # "": an upgrade that leaves the rate out asks for the default
            if not str(rate).isdigit() or int(rate) not in (fmt.rates or (fmt.spec.sample_rate,)):
                raise Refused(
                    refusals.invalid,
                    f"sample rate {rate!r} is not one of " + ", ".join(map(str, fmt.rates or (fmt.spec.sample_rate,))),
                )
            spec = replace(spec, sample_rate=int(rate))
        if socket.contexts is None:  # a socket of contexts names them in every message: the stream's is its own
            stream.values["context"] = given.get("context") or ""
        stream.opened = True
        self._start(wire, voice, spec)
        named = given.get("format")  # a format the message leaves out (its field optional): the first
        stream.values["format"] = named if named is not None else socket.formats[0].name

    def _format_asked(self, given: dict[str, Any]) -> Format:
        """The format the settings name (a declared name in another case taken, with a finding, and written back into
        `given`), else the socket's first; refused where it is none of the declared ones."""
        socket = self.socket
        if "format" not in given:
            return socket.formats[0]
        name = given["format"]
        listed = case_variant(name, [f.name for f in socket.formats])
        if listed is not None:  # a declared name in another case: the family's rule, taken with a finding
            self.call.services.accepted_variant(
                f"WS {socket.path}",
                "format",
                finding_words(Resolved("format", name, listed, "the reference lists the name in another case")),
            )
            name = given["format"] = listed
        try:
            fmt = socket.format(None if name is None else str(name))
        except KeyError:
            raise Refused(
                self.service.refusals.invalid,
                f"format {name!r} is not one of " + ", ".join(f.name for f in socket.formats),
            ) from None
        if fmt.assumed:  # a documented format whose bytes the documents leave unsaid: answered as assumed, and seen
            self.call.services.accepted_variant(f"WS {socket.path}", "format", assumed_finding(fmt))
        return fmt

    def _upgrade_given(self) -> dict[str, Any]:
        """The settings the upgrade carries: the URL's path and query, its headers, as the socket declares them."""
        call = self.call
        return self.socket.upgrade.given(path=call.path_params, query=call.query, headers=call.websocket.headers)

    def _default_model(self) -> str:
        """The socket's name of the model its synthesis answers when none is named (`Synthesis.default_model`)."""
        named = self.service.synthesis(self.stream.model.synthesis).default_model
        return next((wire for wire, model in self.models.items() if model.name == named), "")

    def _check_key(self, key: str) -> None:
        refusals = self.service.refusals
        if not key:
            raise Refused(refusals.missing_key)
        if not self.call.known(key):
            raise Refused(refusals.bad_key)
        retry = self.call.admit(key)
        if retry is not None:
            raise Refused(refusals.rate_limited, f"retry in {retry} s")
        self.key = key

    def _served(self, wire: str) -> Model:
        """The declared model a socket model name is spoken by: its own, or (a model of the team's catalogue the
        declaration does not list) the socket's first."""
        return self.models.get(wire) or next(iter(self.models.values()))

    def _start(self, wire: str, voice: str, spec: AudioSpec) -> None:
        stream = self.stream
        stream.wire_model, stream.model, stream.voice, stream.spec = wire, self._served(wire), voice, spec
        stream.values.update(model=wire, voice=voice, rate=spec.sample_rate, format=self.socket.formats[0].name)
        names = tuple(v.name for v in self.service.voices)
        declared, languages = self.service.voice(voice), stream.model.languages
        language = request_language(None, declared.language if declared else None, languages)
        stream.speaker = Speaker(
            self.call.services,
            spec.sample_rate,
            CHUNK_S,
            pitch_of(names, voice),
            language=language,
            languages=languages,
        )

    # --- speech -------------------------------------------------------------------------------------

    def _speak_buffer(self) -> bool:
        """Speak what the buffer holds; whether it held anything to speak."""
        stream = self.stream
        sent, stream.buffer = stream.buffer, ""
        text = sent.strip()
        if not text:
            return False
        cost = self.grammar.declaration.cost_of(  # type: ignore[union-attr]
            len(text), self.priced_as.get(stream.wire_model, stream.wire_model)
        )
        if not self.call.services.charge(self.key or None, cost):
            raise Refused(self.service.refusals.quota)
        self.lanes.submit(stream.lane, partial(self._speak, stream, text, sent))
        return True

    async def _speak(self, stream: Stream, text: str, sent: str = "") -> None:
        """Each piece sent as it is made; held back one piece only where the last audio answer says it is the last
        (`{last}`) or carries marks (the last word's end comes with it)."""
        assert stream.speaker is not None
        spec, pending = stream.spec, None  # type: AudioSpec, tuple[bytes, tuple[SpokenSpan, ...], float] | None
        marks = self.socket.marks
        answer = self.socket.audio_answer.message
        holds = answer is not None and (
            "last" in slots_of(answer.template) or (marks is not None and marks.answer is None and not marks.chars)
        )  # characters never wait for a word
        started = time.perf_counter()
        stream.spoken += sent or text  # billed as sent, its spaces included
        fault = stream.speaker.services.stream_fault()  # broken on demand (`harness.sandbox.stream_faults`)
        async for piece in stream.speaker.say(text + " "):
            index, stream.pieces = stream.pieces, stream.pieces + 1
            piece = replace(piece, samples=served_samples(piece.samples, fault, spec.sample_rate))
            if self.socket.transcript is not None and piece.marks:  # the words of this piece, said before its audio
                await self._send_transcript(stream, "".join(mark.text for mark in piece.marks))
            stream.spoken_s += len(piece.samples) / spec.sample_rate
            if pending is not None:
                await self._send_audio(stream, *pending, last=False)
                pending = None
            streamed = spec.container == "mp3" and not self.socket.audio_answer.chunk_files
            audio = encode_as(piece.samples, spec.sample_rate, spec.codec, spec.container, constant_bitrate=streamed)
            if streamed:  # one stream, as an encoder kept open writes it: its frames, at one bitrate, no Xing frame
                audio = stream_frames(audio)
            audio = broken_piece(audio, index, fault, spec.codec if spec.container in ("raw", "wav") else "")
            step_ms = round((time.perf_counter() - started) * 1000, 3)
            stream.piece_at = (index, piece.offset_s)
            pending = (audio, self._marks_of(stream, piece.marks, piece.offset_s), step_ms)
            started = time.perf_counter()
            if not holds:
                await self._send_audio(stream, *pending, last=False)
                pending = None
        if pending is not None:
            audio, spans, step_ms = pending
            await self._send_audio(stream, audio, (*spans, *self._last_word(stream)), step_ms, last=True)
        elif marks is not None and marks.answer is not None and (last_word := self._last_word(stream)):
            await self._send_marks(stream, last_word)

    def _marks_of(self, stream: Stream, marks: Sequence[SpokenSpan], offset_s: float) -> tuple[SpokenSpan, ...]:
        """The marks a piece's audio carries as the socket tells them: its characters, or the words they end."""
        declared = self.socket.marks
        if declared is None or not stream.marked:
            return ()
        if declared.chars:
            spans = tuple(marks)
        else:
            words, stream.pending = complete_words([*stream.pending, *marks])
            spans = tuple(words)
        spans = self._broken(stream, spans)
        if declared.chunk_relative:
            spans = tuple(SpokenSpan(m.text, m.start_s - offset_s, m.end_s - offset_s) for m in spans)
        return spans

    def _last_word(self, stream: Stream) -> tuple[SpokenSpan, ...]:
        declared = self.socket.marks
        if declared is None or not stream.marked or declared.chars or not (stream.pending or stream.merge_held):
            return ()
        word: list[SpokenSpan] = []
        if stream.pending:
            word, stream.pending = complete_words([*stream.pending, SpokenSpan(" ", 0.0, 0.0)])[0], []
        return self._broken(stream, tuple(word), last=True)

    def _broken(self, stream: Stream, spans: tuple[SpokenSpan, ...], *, last: bool = False) -> tuple[SpokenSpan, ...]:
        """The marks as a marks fault sends them, on demand (`harness.sandbox.stream_faults.broken_marks`)."""
        assert stream.speaker is not None and self.socket.marks is not None
        fault = stream.speaker.services.marks_fault()
        if fault == "merge" and not self.socket.marks.chars:
            spans, stream.merge_held = merged_words(stream.merge_held, spans, last)
            return spans
        return broken_marks(spans, fault, *stream.piece_at, self.socket.marks.chunk_relative) if fault else spans

    async def _send_audio(
        self, stream: Stream, audio: bytes, marks: Sequence[SpokenSpan], step_ms: float, *, last: bool
    ) -> None:
        where, answer, declared = self.socket.audio_answer.at, self.socket.audio_answer.message, self.socket.marks
        if where is None or answer is None:
            await self.sender.binary(audio)
        else:
            frame = self._filled(answer, stream, last=last, audio="", step_ms=step_ms)
            put(frame, where.pointer, audio_value(audio, where, self.socket.framing))
            if declared is not None and declared.answer is None and stream.marked:
                _put_marks(frame, declared, marks)
            await self._send(frame, audio=True)
        if declared is not None and declared.answer is not None and marks:
            await self._send_marks(stream, marks)

    async def _send_transcript(self, stream: Stream, words: str) -> None:
        transcript = self.socket.transcript
        assert transcript is not None
        frame = self._filled(transcript.answer, stream)
        put(frame, transcript.at, words)
        stream.said += words
        await self._send(frame)

    async def _send_marks(self, stream: Stream, marks: Sequence[SpokenSpan]) -> None:
        declared = self.socket.marks
        assert declared is not None and declared.answer is not None
        for group in groups(declared, marks):  # one message, or one a mark
            frame = self._filled(declared.answer, stream)
            _put_marks(frame, declared, group)
            await self._send(frame)

    async def _final(self, stream: Stream) -> None:
        if self.socket.final is None:  # a bare-text socket: its close, once the audio is out, is the end
            return
        final = self._filled(self.socket.final, stream)
        for signal, value in billed_values(
            self.service,
            self.socket.billing,
            stream.model.name,
            stream.spoken,
            stream.spoken_s,
            self.call.services.billed_factor(),
        ):
            put(final, signal.at, value)  # what this utterance (since the last final) billed
        stream.spoken, stream.spoken_s, stream.said = "", 0.0, ""
        await self._send(final)
        stream.values["sequence"] += 1


def _put_marks(frame: dict[str, Any], marks: Marks, spans: Sequence[SpokenSpan]) -> None:
    for where, values in marks_values(marks, spans).items():
        put(frame, where, values)


def socket_handlers(service: SpeechService, channels: tuple[Channel, ...]) -> dict[str, Any]:
    """A handler for every channel of the family among `channels` (channel key -> handler)."""

    def handler(channel: Channel) -> Any:
        async def serve(call: SocketCall) -> None:
            await FamilySocket(service, channel, call).run()

        return serve

    return {c.key: handler(c) for c in channels if isinstance(c.grammar, SocketGrammar)}
