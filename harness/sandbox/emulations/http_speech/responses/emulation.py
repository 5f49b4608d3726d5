"""How the sandbox answers as any provider of the HTTP speech family, imitated from its `SpeechService`.

What it honours, from the declaration alone: the request's text, voice, model, format and rate where its
slots say (a voice the declaration does not list, or one its model does not speak, is the provider's
`unknown_voice` refusal; a model it does not list is `unknown_model`, or is spoken as the default model where the
synthesis says an unknown model falls back, `Synthesis.unknown_model`, with a finding naming the value); SSML
text where the request says it is SSML (the words are spoken, the markup is not); the documented price, taken
from the key's wallet (an empty wallet is the `quota` refusal); the answer in the declared form — the audio as
the body, written as it is made, with the format's Content-Type; base64 or hex at the declared JSON pointer; or
events (SSE or NDJSON) each carrying a piece of it —, every billing signal declared (`Synthesis.billing`: headers,
fields of the answer or of the stream's last event; `responses.billing`); the voice
listings; a token exchange (tokens live for the documented lifetime on the sandbox's clock); the declared
request-id header, a fresh UUID, on every answer, errors included. Every error is written in the provider's
`ErrorShape`, with the provider's code for it, and the sandbox's engine refusals (faults, rate limits, bodies
too large) get the provider's code for their status. A speed slot's multiplier is the voice's speaking rate
(Piper's length scale 1/speed, held within what Piper renders: speeds 0.5-2.5).
"""

from __future__ import annotations

import asyncio
import copy
import json
import re
import secrets
import uuid
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import partial
from http import HTTPStatus
from typing import Any

from starlette.responses import Response, StreamingResponse

from harness.core.audio import writable
from harness.core.audio_fields import carrier, encode_text
from harness.core.protocols.answer_forms import form_for
from harness.core.protocols.catalogues import SlotVerdict
from harness.core.protocols.http_speech import (
    Format,
    Model,
    Slots,
    SpeechRefusal,
    SpeechService,
    Synthesis,
    assumed_finding,
    fill,
    model_of,
    open_model_slot,
    put,
    read,
    resolve_values,
    respelled,
    served_models,
    service_of,
    unrecognised_model,
)
from harness.core.protocols.marks import (
    Marks,
    complete_words,
    groups,
    marks_values,
    snapshot_values,
    ssml_mark_spans,
)
from harness.core.protocols.markup import Piece, pauses, spoken
from harness.core.protocols.realtime_grammar import SpokenSpan
from harness.core.protocols.value_variants import finding_words, spelling_finding
from harness.core.spec import AudioAt, Endpoint, EventStreamBody, JsonBody, NdjsonBody, Provider, Role
from harness.core.ssml import spoken_text
from harness.sandbox.emulation import Call, Emulation, Reject, StateNames
from harness.sandbox.emulations.http_speech.models import (
    CHUNK_BYTES,
    OPUS_RATE,
    TIMING,
    TOKEN_PREFIX,
    length_scale,
    pitch_of,
)
from harness.sandbox.emulations.http_speech.responses.billing import billed_values
from harness.sandbox.emulations.http_speech.responses.catalogue import model_verdict, voice_spoken
from harness.sandbox.emulations.http_speech.responses.grpc_stream import rpc_handlers
from harness.sandbox.emulations.http_speech.responses.proto3 import camel_case
from harness.sandbox.emulations.http_speech.responses.socket import socket_handlers
from harness.sandbox.http_bodies import json_reply, sse_reply
from harness.sandbox.languages import request_language
from harness.sandbox.markup import honoured
from harness.sandbox.misreadings import unnormalised
from harness.sandbox.stream_faults import broken_marks, broken_piece, merged_words, served_samples
from harness.sandbox.utterances import Speaker, spoken_marks
from harness.speech import encode_as


def refuse(
    refusal: SpeechRefusal, detail: str = "", headers: Mapping[str, str] | None = None, param: str | None = None
) -> Reject:
    """The refusal as the engine raises it; `param`: the request field it is about (an `ErrorShape`'s `{param}`)."""
    return Reject(refusal.status, refusal.says(detail), headers=headers, extra={"code": refusal.code, "param": param})


_PARAM = re.compile(r"parameter '([^'.]+)")  # the field a validation problem names (harness.core.validate's words)


def _field(pointer: str | None) -> str | None:
    """The request field a slot's pointer names (its first part)."""
    return pointer.lstrip("/").split("/")[0] if pointer else None


class SpeechServiceEmulation(Emulation):
    # No job lifecycle in this family; the words are never shown, only required by the base class.
    states = StateNames("queued", "processing", "completed", "failed", "failed")

    def __init__(self, provider: Provider) -> None:
        super().__init__(provider)
        self.service: SpeechService = service_of(provider)
        self.voice_names = tuple(voice.name for voice in self.service.voices)
        self.endpoints = {endpoint.key: endpoint for endpoint in provider.endpoints}  # priced by the family
        self.tokens: dict[str, tuple[str, datetime]] = {}  # token -> (key, expiry on the sandbox clock)
        for synthesis in self.service.syntheses:
            self.handlers[synthesis.endpoint.key] = partial(self.synthesize, synthesis)
        for listing in self.service.listings:
            self.handlers[listing.endpoint.key] = partial(self.list_voices, listing.language_param)
        if self.service.token is not None:
            self.handlers[self.service.token.endpoint.key] = self.issue_token
        self.sockets.update(socket_handlers(self.service, provider.channels))
        self.rpcs.update(rpc_handlers(self.service, provider))
        refusals = self.service.refusals
        # The provider's code for an engine refusal that names none, by status (the first refusal wins).
        self.codes: dict[int, str] = {}
        for refusal in (
            refusals.invalid,
            refusals.bad_key,
            refusals.unknown_voice,
            refusals.not_found,
            refusals.rate_limited,
            refusals.quota,
            refusals.busy,
            refusals.server_error,
            refusals.missing_key,
            refusals.unknown_model,
            refusals.bad_signature,
        ):
            if refusal is not None:
                self.codes.setdefault(refusal.status, refusal.code)

    # --- errors in the provider's shape -------------------------------------------------------------

    def _rendered(self, reject: Reject) -> tuple[Any, dict[str, str]]:
        code = str(reject.extra.get("code") or self.codes.get(reject.status) or HTTPStatus(reject.status).phrase)
        param = reject.extra.get("param")
        return self.service.errors.render(reject.status, code, reject.message, str(param) if param else None)

    def error_body(self, reject: Reject) -> Mapping[str, Any] | None:
        body, _ = self._rendered(reject)
        return body

    def error_headers(self, reject: Reject) -> Mapping[str, str]:
        _, headers = self._rendered(reject)
        return {**headers, **self.request_id()}

    def request_id(self) -> dict[str, str]:
        """The declared request-id header with a new id: each answer names its own request, as AWS's do."""
        name = self.service.request_id_header
        return {name: str(uuid.uuid4())} if name else {}

    def invalid(self, call: Call | None, problems: list[str]) -> Reject:
        found = _PARAM.search(problems[0]) if problems else None
        param = found.group(1) if found else None
        refusals = self.service.refusals
        texts = {_field(s.slots.text) for s in self.service.syntheses}
        if refusals.too_long is not None and param in texts and "must be length" in problems[0]:
            return refuse(refusals.too_long, "; ".join(problems), param=param)
        return refuse(refusals.invalid, "; ".join(problems), param=param)

    def admitted(self, call: Call) -> Call:
        """Each declared field spelling moved to the field it spells, each declared value variant at its pointer, and a
        format name in another case at the format slot, taken as the listed value with a finding (or refused where
        the variant says the provider refuses it)."""
        synthesis = next((s for s in self.service.syntheses if s.endpoint.key == call.endpoint.key), None)
        if synthesis is None or not isinstance(call.payload, dict) or self.service.proto3_json:
            return call
        payload = call.payload
        if any(read(payload, spelling.sent) is not None for spelling in self.service.field_spellings):
            payload = copy.deepcopy(call.payload)
            for spelling in respelled(self.service.field_spellings, synthesis, payload):
                field = spelling.means.lstrip("/")
                call.services.accepted_variant(call.endpoint.signature, field, spelling_finding(spelling))
        for found in resolve_values(self.service.value_variants, synthesis, payload):
            field = found.at.lstrip("/")
            if found.means is None:
                raise refuse(self.service.refusals.invalid, f"{field}: {found.sent!r}: {found.why}", param=field)
            if payload is call.payload:
                payload = copy.deepcopy(call.payload)
            put(payload, found.at, found.means)
            call.services.accepted_variant(call.endpoint.signature, field, finding_words(found))
        return call if payload is call.payload else replace(call, payload=payload)

    def request_endpoint(self, call: Call) -> Endpoint:
        """A request naming a model of the team's catalogue is validated by a request model that takes it (the
        declaration's may list the documents' models only); every other request by the endpoint's own."""
        synthesis = next((s for s in self.service.syntheses if s.endpoint.key == call.endpoint.key), None)
        if synthesis is None or synthesis.slots.model is None:
            return call.endpoint
        payload = camel_case(call.payload) if self.service.proto3_json else call.payload
        named = read(payload, synthesis.slots.model)
        if named is None or model_verdict(str(named), False, call.services) is not SlotVerdict.ACCOUNT:
            return call.endpoint
        try:
            return open_model_slot(replace(synthesis, endpoint=call.endpoint), "a model of the team's catalogue")
        except ValueError:  # a nested model slot: the declaration's request model decides
            return call.endpoint

    def too_large(self, endpoint: Any, message: str) -> Reject:
        return refuse(self.service.refusals.invalid, message)

    def unauthorized(self, missing: bool) -> Reject:
        refusals = self.service.refusals
        return refuse(refusals.missing_key if missing else refusals.bad_key)

    def bad_signature(self, why: str) -> Reject:
        return refuse(self.service.refusals.bad_signature or self.service.refusals.bad_key, why)

    def rate_limited(self, retry_after: int) -> Reject:
        return refuse(self.service.refusals.rate_limited, headers={"Retry-After": str(retry_after)})

    def busy(self, retry_after: int) -> Reject:
        return refuse(self.service.refusals.busy, headers={"Retry-After": str(retry_after)})

    def not_found(self, path: str) -> Reject:
        return refuse(self.service.refusals.not_found, path)

    def key_of(self, credential: str, now: datetime) -> str:
        issued = self.tokens.get(credential)
        if issued is None:
            return credential
        key, expiry = issued
        return key if now < expiry else credential  # an expired token is a key nobody has: 401

    # --- synthesis ----------------------------------------------------------------------------------

    def _voice(self, synthesis: Synthesis, call: Call, payload: Mapping[str, Any], model: str | None) -> str:
        slot = synthesis.slots.voice
        if slot is None:
            return self.voice_names[0] if self.voice_names else ""
        name = str(read(payload, slot) or "")
        if not name:  # no voice named (the request model let it be optional): the provider's default, its model's
            found = next(
                (
                    m
                    for m in self.service.models
                    if m.synthesis == synthesis.endpoint.key
                    and m.sets.get(synthesis.slots.model or "", m.name) == model
                ),
                None,
            )
            return found.voice if found is not None else (self.voice_names[0] if self.voice_names else "")
        if not voice_spoken(self.service, name, call.services, call.endpoint.signature, _field(slot) or "voice"):
            raise refuse(self.service.refusals.unknown_voice, name, param=_field(slot))
        voice = self.service.voice(name)
        if voice is not None and model is not None and not self.service.speaks(voice, model):
            raise refuse(self.service.refusals.unknown_voice, f"{name} (not a voice of {model})", param=_field(slot))
        return name

    def _format(self, synthesis: Synthesis, payload: Mapping[str, Any], call: Call) -> tuple[Format, int]:
        try:
            fmt = synthesis.format_of(payload)
        except KeyError as error:
            raise refuse(self.service.refusals.invalid, f"unsupported output format {error.args[0]!r}") from None
        asked = read(payload, synthesis.slots.rate)
        try:
            rate = fmt.spec.sample_rate if asked is None or asked == "" else int(asked)
        except (TypeError, ValueError):
            raise refuse(self.service.refusals.invalid, f"sample rate {asked!r} is not a number") from None
        if rate != fmt.spec.sample_rate and rate not in fmt.rates:
            raise refuse(self.service.refusals.invalid, f"sample rate {rate} is not offered for {fmt.name}")
        if fmt.assumed:  # a documented format whose bytes the documents leave unsaid: answered as assumed, and seen
            call.services.accepted_variant(
                call.endpoint.signature, _field(synthesis.slots.format) or "format", assumed_finding(fmt)
            )
        return fmt, rate

    def _answer_format(self, synthesis: Synthesis, payload: Mapping[str, Any], call: Call) -> tuple[Format, int]:
        """The audio format asked; where the marks are the answer in place of audio (`Marks.lines`), the default's."""
        marks = synthesis.marks
        if marks is not None and marks.lines and marks.asked(payload):
            fmt = synthesis.format(None)
            return fmt, fmt.spec.sample_rate
        return self._format(synthesis, payload, call)

    def _form(self, synthesis: Synthesis, call: Call, payload: Mapping[str, Any]) -> tuple[Synthesis, Call]:
        """The answer form the request picks on its path, and the call as that form's (its price, its answer):
        the engine routes by method and path alone, so any form's handler may take the request."""
        form = form_for(self.service.syntheses, synthesis, payload)
        if form is None:
            selector = synthesis.chosen_by
            assert selector is not None  # a path of one form is always its own
            asked = read(payload, selector.pointer)
            raise refuse(
                self.service.refusals.invalid,
                f"{selector.pointer.lstrip('/')} {asked!r} picks no answer of {synthesis.endpoint.signature}",
            )
        if form is synthesis:
            return synthesis, call
        return form, replace(call, endpoint=self.endpoints[form.endpoint.key])

    def _text(self, slots: Slots, payload: Mapping[str, Any]) -> tuple[str, str]:
        """What the request asks to be spoken, and the text as sent: an SSML document (at a field of its own, or the
        text's where its type says SSML) read as the words it speaks."""
        sent = str(read(payload, slots.text) or "")
        document = read(payload, slots.ssml) if slots.ssml is not None else None
        if document is not None:  # the SSML document sent in place of the text
            sent = str(document)
        if document is None and (slots.text_type is None or read(payload, slots.text_type[0]) != slots.text_type[1]):
            return sent, sent
        try:
            return spoken_text(sent), sent
        except ValueError as error:
            raise refuse(self.service.refusals.invalid, f"invalid SSML: {error}") from None

    async def synthesize(self, synthesis: Synthesis, call: Call) -> Response:
        payload = camel_case(call.payload) if self.service.proto3_json else call.payload
        synthesis, call = self._form(synthesis, call, payload)
        slots = synthesis.slots
        text, sent_text, pieces = self._said(synthesis, payload, call)
        switch = synthesis.normalisation
        if switch is not None and read(payload, switch.pointer) == switch.off:
            text = unnormalised(text)  # the provider's own normaliser turned off: digits read as they are written
        if not text.strip():
            raise refuse(self.service.refusals.invalid, "no text to speak")
        model, sent = self._model(synthesis, payload, call)
        voice = self._voice(synthesis, call, payload, sent)
        fmt, rate = self._answer_format(synthesis, payload, call)
        if not writable(fmt.spec.codec, fmt.spec.container):  # an imitation gap, said as one (not a crash)
            raise Reject(501, f"the sandbox cannot write {fmt.name} ({fmt.spec}); ask for another format")
        self._charge(call)
        if fmt.spec.codec == "opus":
            rate = OPUS_RATE  # Opus codes at 48 kHz whatever the input (libsndfile takes no other rate for it)
        declared = self.service.voice(voice)
        language = request_language(
            read(payload, slots.language),
            declared.language if declared else None,
            model.languages if model is not None else (),
        )
        speaker = Speaker(
            call.services,
            rate,
            1.0,
            pitch_of(self.voice_names, voice),
            length_scale(read(payload, slots.speed)),
            language,
            model.languages if model is not None else (),
        )
        samples, words = await _rendered_in_time(call, speaker, text, pieces if pauses(pieces) else ())
        samples = served_samples(samples, fault := _stream_fault(call, synthesis), rate)  # broken on demand
        audio = encode_as(samples, rate, fmt.spec.codec, fmt.spec.container)
        headers = self.request_id()
        billed = billed_values(
            self.service,
            synthesis.billing,
            model.name if model is not None else "",
            sent_text,
            len(samples) / rate,
            call.services.billed_factor(),
        )
        headers.update({signal.header: str(value) for signal, value in billed if signal.header})
        values = {
            "format": fmt.name,
            "media_type": fmt.media_type,
            "rate": rate,
            "billed_characters": len(text),
            "text": text,
            "duration_ms": round(1000 * len(samples) / rate),
            "duration_s": round(len(samples) / rate, 3),
        }
        # The documents' default: the last event repeats the whole audio unless the request's flag says not to.
        flag = synthesis.whole_audio_last_unless
        whole_last = bool(flag) and read(payload, flag) is not True
        spans: tuple[SpokenSpan, ...] = ()
        if (marks := synthesis.marks) is not None and marks.asked(payload):
            spans = _marks_served(call, marks, _true_marks(marks, text, words, samples, rate, sent_text))
            if marks.lines:  # the marks are this request's answer, in place of its audio
                return _lines_reply(marks, marks_values(marks, spans, text)[""], headers)
        beside, last = fill(synthesis.answer, values), fill(synthesis.last_event, values)
        for signal, value in billed:  # in the stream's last event where it has one, else in the answer (every event)
            if signal.at:
                put(last if isinstance(last, dict) and last else beside, signal.at, value)
        return self._answer(
            synthesis,
            audio,
            fmt,
            headers=headers,
            beside=beside,
            last=last,
            whole_last=whole_last,
            timed=_Timed(len(samples) / rate, spans, marks, values, call.services.marks_fault()) if spans else None,
            breakage=(fault, fmt.spec.codec),
        )

    def _charge(self, call: Call) -> None:
        """The request's price taken from the key's wallet: a wallet that cannot pay it is the `quota` refusal, as is
        an empty one where the request is unpriced here."""
        cost = self.price(call)
        if cost is not None and not call.services.charge(call.key, cost):
            raise refuse(self.service.refusals.quota)
        balance = call.services.balance(call.key) if cost is None and call.key else None
        if balance is not None and balance <= 0:  # unpriced here, but an account with nothing left is refused
            raise refuse(self.service.refusals.quota)

    def _model(self, synthesis: Synthesis, payload: Mapping[str, Any], call: Call) -> tuple[Model | None, str | None]:
        """The model a request speaks with (None where the documents fall back without one) and the name it sends:
        an unknown model refused where the documents refuse it; an account's model spoken by a stand-in; a fallback
        or a name only clients send spoken, and seen."""
        slots = synthesis.slots
        model = model_of(self.service, synthesis, payload)
        named, stand_in = read(payload, slots.model), False
        if named is not None:  # the team's catalogue: its models spoken, the ids it marked missing refused
            verdict = model_verdict(str(named), model is not None, call.services)
            if verdict is SlotVerdict.ACCOUNT and model is None:
                candidates = served_models(self.service, synthesis)
                model, stand_in = (candidates[0] if candidates else None), bool(candidates)
            elif verdict is SlotVerdict.MISSING and model is not None:
                raise refuse(
                    self.service.refusals.unknown_model or self.service.refusals.invalid,
                    str(named),
                    param=_field(slots.model),
                )
        if model is None and self.service.refusals.unknown_model is not None:
            raise refuse(
                self.service.refusals.unknown_model, str(read(payload, slots.model) or ""), param=_field(slots.model)
            )
        unknown = unrecognised_model(self.service, synthesis, payload)
        if unknown is not None and model is not None:  # the documents' fallback: spoken, and seen
            call.services.spoke_as_default(call.endpoint.signature, _field(slots.model) or "model", unknown, model.name)
        known = next((k for k in self.service.known_models if k.name == named and not k.socket), None)
        if known is not None and model is not None and not stand_in:  # a name only clients send: spoken, and seen
            call.services.spoke_known(call.endpoint.signature, _field(slots.model) or "model", known)
        # the name it sends (an account's model, spoken by a stand-in, is tied to no declared voice)
        sent = None if model is None or stand_in else model.sets.get(slots.model or "", model.name)
        return model, sent

    def _said(self, synthesis: Synthesis, payload: Mapping[str, Any], call: Call) -> tuple[str, str, tuple[Piece, ...]]:
        """The words a request's text speaks, the text as sent and, where it carries markup its documents show, its
        words and pauses (`harness.sandbox.markup`: honoured, or broken on demand); SSML elsewhere read for its words
        alone (`_text`)."""
        text, sent = self._text(synthesis.slots, payload)
        # a text without a tag is spoken as sent (its characters, for the marks, untouched)
        if synthesis.markup is None or "<" not in sent or not synthesis.markup.asked(payload):
            return text, sent, ()
        try:
            pieces = honoured(
                synthesis.markup, sent, str(read(payload, synthesis.slots.model) or ""), call.services.markup_fault()
            )
        except ValueError as error:
            raise refuse(self.service.refusals.invalid, f"invalid SSML: {error}") from None
        return spoken(pieces), sent, pieces

    def _answer(
        self,
        synthesis: Synthesis,
        audio: bytes,
        fmt: Format,
        *,
        headers: dict[str, str],
        beside: dict[str, Any],
        last: dict[str, Any] | str,
        whole_last: bool = False,
        timed: _Timed | None = None,
        breakage: tuple[str, str] = ("", ""),
    ) -> Response:
        success = synthesis.endpoint.response_for(synthesis.endpoint.success_status)
        body = carrier(success)
        if isinstance(body, JsonBody) and body.audio is not None:
            document = copy.deepcopy(beside)
            put(document, body.audio.pointer, encode_text(audio, body.audio.encoding))
            if timed is not None:  # the marks in the answer itself, beside the audio
                timed.put_into(document, timed.spans)
            return json_reply(document, headers=headers)
        if isinstance(body, EventStreamBody) and body.audio is not None:
            if whole_last and isinstance(last, dict):
                last = copy.deepcopy(last)
                put(last, body.audio.pointer, encode_text(audio, body.audio.encoding))
            return sse_reply(
                _events(audio, body.audio, beside, last, timed, breakage), headers=headers, event_at=synthesis.event_at
            )
        if isinstance(body, NdjsonBody) and body.audio is not None:
            lines = _lines(audio, body.audio, beside, breakage, timed)
            return StreamingResponse(lines, media_type=body.content_types[0], headers=headers)
        return StreamingResponse(_pieces(audio, breakage), media_type=fmt.media_type, headers=headers)

    # --- listings and tokens ------------------------------------------------------------------------

    async def list_voices(self, language_param: str, call: Call) -> Response:
        listing = next(item for item in self.service.listings if item.endpoint.key == call.endpoint.key)
        language = call.query.get(language_param, "") if language_param else ""
        voices = [
            voice
            for voice in self.service.voices
            if not language or voice.language.lower().startswith(language.lower())
        ]
        return json_reply(listing.render(voices), headers=self.request_id())

    async def issue_token(self, call: Call) -> Response:
        exchange = self.service.token
        assert exchange is not None and call.key is not None
        token = TOKEN_PREFIX + secrets.token_urlsafe(24)
        self.tokens[token] = (call.key, call.services.now() + timedelta(seconds=exchange.lifetime_s))
        return Response(token, media_type="text/plain", headers=self.request_id())


def _stream_fault(call: Call, synthesis: Synthesis) -> str:
    """How a streamed answer breaks, on demand (`harness.sandbox.stream_faults`); other answers never do."""
    return call.services.stream_fault() if synthesis.endpoint.role is Role.STREAM else ""


async def _pieces(audio: bytes, breakage: tuple[str, str] = ("", "")) -> AsyncIterator[bytes]:
    """The audio written in pieces without a Content-Length, as a server that sends what it makes; `breakage` (a
    stream fault and the samples' codec, `harness.sandbox.stream_faults`) breaks its seams on demand."""
    kind, codec = breakage
    for index, start in enumerate(range(0, len(audio), CHUNK_BYTES)):
        yield broken_piece(audio[start : start + CHUNK_BYTES], index, kind, codec)


@dataclass(frozen=True, slots=True)
class _Timed:
    """What a stream's marks events need: the audio's length, the marks, their declaration, the answer's values."""

    duration_s: float
    spans: tuple[SpokenSpan, ...]
    marks: Marks | None
    values: Mapping[str, Any]
    fault: str = ""  # the provider's marks fault: `restart` breaks them event by event (`restarted`)

    def restarted(self, spans: tuple[SpokenSpan, ...], index: int, start_s: float) -> tuple[SpokenSpan, ...]:
        """The marks event `index` carries (its audio starting `start_s` into the utterance) as the `restart` fault
        sends them: from zero again at each event after the first, as a server counting each chunk's own audio."""
        return broken_marks(spans, self.fault, index, start_s) if self.fault == "restart" else spans

    def event(self, spans: tuple[SpokenSpan, ...]) -> dict[str, Any]:
        assert self.marks is not None and self.marks.answer is not None
        event = fill(self.marks.answer.template, self.values)
        self.put_into(event, spans)
        return event

    def put_into(self, message: dict[str, Any], spans: tuple[SpokenSpan, ...]) -> None:
        """`spans` written into a message (an event, the answer) in the declared form, unit and place."""
        assert self.marks is not None
        for where, listed in marks_values(self.marks, spans, str(self.values.get("text", ""))).items():
            put(message, where, listed)

    def snapshot_into(self, message: dict[str, Any], told: int) -> None:
        """The text chunk of the `told`-th mark as its latest snapshot: all its marks told so far, counted from the
        chunk's start. Text chunks end at a sentence's end (a mark ending in . ! or ?), as a long input is split. The
        `restart` fault sends every chunk's offset as 0: each chunk's times from zero again."""
        assert self.marks is not None
        chunks = _text_chunks(self.spans)
        chunk = next(index for index, (first, last) in enumerate(chunks) if first < told <= last + 1)
        first = chunks[chunk][0]
        offset = self.spans[first - 1].end_s if first else 0.0
        spans = self.spans[first:told]
        values = snapshot_values(
            self.marks, chunk, offset, spans, spans[-1].end_s - offset, str(self.values.get("text", ""))
        )
        if self.fault == "restart" and self.marks.offset_at:
            values[self.marks.offset_at] = 0
        for where, value in values.items():
            put(message, where, value)


def _text_chunks(spans: tuple[SpokenSpan, ...]) -> list[tuple[int, int]]:
    """The first and last mark of each text chunk: a chunk ends with a sentence."""
    found, first = [], 0
    for index, mark in enumerate(spans):
        if mark.text.rstrip()[-1:] in ".!?" or index == len(spans) - 1:
            found.append((first, index))
            first = index + 1
    return found


def _true_marks(marks: Marks, text: str, words: Any, samples: Any, rate: int, sent: str) -> tuple[SpokenSpan, ...]:
    """The voice's own times of the text's characters (or of its words, or of the sent SSML's `<mark>`s), as the
    marks declare them."""
    chars = spoken_marks(text, words, samples, rate, 0.0)
    if marks.chars:
        return chars
    spoken = tuple(complete_words([*chars, SpokenSpan(" ", 0.0, 0.0)])[0])
    return ssml_mark_spans(sent, spoken) if marks.ssml_marks else spoken


def _marks_served(call: Call, marks: Marks, spans: tuple[SpokenSpan, ...]) -> tuple[SpokenSpan, ...]:
    """The answer's marks as the provider's marks fault sends them, on demand (`POST /_sandbox/drift {"marks": ...}`,
    `harness.sandbox.stream_faults`), as a socket's are; `restart` (times starting again at each chunk) breaks a
    stream's events one by one (`_Timed.restarted`), and leaves one JSON answer's marks as they are."""
    fault = call.services.marks_fault()
    if fault == "merge" and not marks.chars:
        return merged_words((), spans, True)[0]
    return broken_marks(spans, fault, 0, 0.0, marks.chunk_relative) if fault else spans


def _lines_reply(marks: Marks, items: list[Any], headers: dict[str, str]) -> Response:
    """Marks answered as a request's own answer: one JSON object a line."""
    body = "".join(json.dumps(item, separators=(",", ":")) + "\n" for item in items)
    return Response(body, media_type=marks.lines, headers=headers)


async def _events(
    audio: bytes,
    where: AudioAt,
    beside: dict[str, Any],
    last: Mapping[str, Any] | str | None = None,
    timed: _Timed | None = None,
    breakage: tuple[str, str] = ("", ""),
) -> AsyncIterator[Mapping[str, Any] | str]:
    """The audio in events, each a piece of it; where marks are asked for, after each piece the marks its speech ends
    (a piece's place in time read from its place in the bytes), the rest after the last."""
    sent, told = 0, 0
    index = -1
    async for piece in _pieces(audio, breakage):
        event = copy.deepcopy(beside)
        put(event, where.pointer, encode_text(piece, where.encoding))
        begun = timed.duration_s * sent / len(audio) if timed is not None else 0.0  # where this piece's audio starts
        sent += len(piece)
        ended: tuple[SpokenSpan, ...] = ()
        if timed is not None and timed.marks is not None:
            until = timed.duration_s * sent / len(audio) if sent < len(audio) else float("inf")
            ended = tuple(s for s in timed.spans[told:] if s.end_s <= until)
            told += len(ended)
            index += 1 if ended or (timed.marks.snapshot_at and told) else 0  # the events that carry marks
            if timed.marks.snapshot_at and told:  # the latest whole snapshot of the chunk reached
                timed.snapshot_into(event, told)
            ended = timed.restarted(ended, index, begun)
            if timed.marks.answer is None and not timed.marks.snapshot_at:  # on the audio event whose speech ends them
                timed.put_into(event, ended)
        yield event
        if ended and timed is not None and timed.marks is not None and timed.marks.answer is not None:
            for group in groups(timed.marks, ended):  # one event, or one a mark
                yield timed.event(group)
    if last:
        yield last


async def _lines(
    audio: bytes,
    where: AudioAt,
    beside: dict[str, Any],
    breakage: tuple[str, str] = ("", ""),
    timed: _Timed | None = None,
) -> AsyncIterator[bytes]:
    async for event in _events(audio, where, beside, timed=timed, breakage=breakage):
        yield (json.dumps(event, separators=(",", ":")) + "\n").encode()


async def _rendered_in_time(call: Any, speaker: Any, text: str, pieces: tuple[Piece, ...] = ()) -> Any:
    """The render, started with the provider's drawn time, not after it: the time is the imitated provider's, the
    render the sandbox's own work (on a busy machine it waits its turn: the answer comes at the later of both).
    Markup with pauses (`pieces`) is rendered a stretch at a time, the pauses silence between."""
    render = asyncio.ensure_future(speaker.timed_pieces(pieces) if pieces else speaker.timed(text))
    try:
        await call.services.take_time(TIMING, len(text))
        return await render
    finally:
        render.cancel()  # a no-op once it has finished
