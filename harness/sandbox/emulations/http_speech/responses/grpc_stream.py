"""The gRPC streaming speech family's methods, imitated from their `Rpc` declarations alone
(`harness.core.protocols.grpc_speech`), for any provider of the HTTP speech family that declares them.

    key         in the method's metadata entry: none → the provider's missing-key refusal, an unknown one → its
                bad-key refusal, the key's rate limit → its rate-limit refusal (each as the gRPC status its code names)
    config      the first message must set the config member ("send exactly one ... with a config" first): its slots
                read through the declared template (voice, language, format, rate). A voice of a model the method
                does not serve, an unknown voice or no language is refused, so is a format or rate not declared; no
                voice named is the first served model's; a config without the audio settings gets the first
                declared format at its rate
    text        every later message must set the text member; text is spoken a sentence at a time (as soon as a
                message ends one), the rest when the client half-closes
    audio       the declared format's bytes, one response message per piece on the stream's timeline (the
                `Speaker`); an Ogg format sends a whole file per message; each stretch charged at the model's price
    errors      a message of the wrong member, a text message before the config, no config at all → the provider's
                invalid-request refusal
    faults      the drift's stream faults (`harness.sandbox.stream_faults`: clicks or gaps at seams, a header
                mid-stream, samples at another rate than asked) break its pieces as they break a socket's
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

from harness.core.protocols.grpc_speech import Rpc, served, settings_of, status_code_of, text_of
from harness.core.protocols.http_speech import Format, SpeechRefusal, SpeechService, request_for
from harness.core.protocols.websocket_speech import slots_of
from harness.core.spec import Provider, SynthesisInput
from harness.sandbox.emulation import RpcCall, RpcHandler, RpcRefused
from harness.sandbox.emulations.http_speech.models import pitch_of
from harness.sandbox.emulations.http_speech.responses.catalogue import voice_spoken
from harness.sandbox.languages import request_language
from harness.sandbox.stream_faults import broken_piece, served_samples
from harness.sandbox.utterances import Speaker
from harness.speech import encode_as

CHUNK_S = 0.2  # seconds of audio per response message, as the family's sockets send
_SENTENCE_END = re.compile(r"[.!?;:]\s*$")


def _refused(refusal: SpeechRefusal, detail: str = "") -> RpcRefused:
    return RpcRefused(status_code_of(refusal), refusal.says(detail))


class FamilyStream:
    """One call to a declared streaming method."""

    def __init__(self, service: SpeechService, provider: Provider, rpc: Rpc, call: RpcCall) -> None:
        self.service, self.provider, self.rpc, self.call = service, provider, rpc, call
        self.models = served(service, rpc)
        self.key = call.key or ""
        self.pieces = 0  # audio pieces sent: a stream fault breaks each one after the first

    def _check_key(self) -> None:
        refusals = self.service.refusals
        if not self.key:
            raise _refused(refusals.missing_key)
        if not self.call.known(self.key):
            raise _refused(refusals.bad_key)
        retry = self.call.admit(self.key)
        if retry is not None:
            raise _refused(refusals.rate_limited, f"retry in {retry} s")

    def _invalid(self, detail: str) -> RpcRefused:
        return _refused(self.service.refusals.invalid, detail)

    async def run(self) -> AsyncIterator[bytes]:
        self._check_key()
        rpc = self.rpc
        first = await anext(self.call.requests, None)
        if first is None or first[0] != rpc.config_field:
            raise self._invalid(f"the first message must set {rpc.config_field} (and not {rpc.text_field})")
        settings = settings_of(rpc, first[1])
        model, voice = self._speaker(settings)
        fmt, rate = self._format(settings)
        names = tuple(v.name for v in self.service.voices)
        declared = self.service.voice(voice)
        language = request_language(settings.get("language"), declared.language if declared else None, model.languages)
        speaker = Speaker(
            self.call.services, rate, CHUNK_S, pitch_of(names, voice), language=language, languages=model.languages
        )
        buffer = ""
        async for member, fields in self.call.requests:
            if member != rpc.text_field:
                raise self._invalid(f"every message after the first must set {rpc.text_field} only")
            buffer += text_of(rpc, fields) or ""
            if _SENTENCE_END.search(buffer):
                async for audio in self._say(speaker, model, buffer, fmt.spec.codec, fmt.spec.container, rate):
                    yield audio
                buffer = ""
        if buffer.strip():
            async for audio in self._say(speaker, model, buffer, fmt.spec.codec, fmt.spec.container, rate):
                yield audio

    def _speaker(self, settings: dict[str, Any]) -> tuple[Any, str]:
        """The model and voice the config names: a voice of a served model (none named: the first model's). Where the
        template has a language slot, a language is required (VoiceSelectionParams' language_code: "Required")."""
        if "language" in slots_of(dict(self.rpc.config)) and not settings.get("language"):
            raise self._invalid("the voice's language is required")
        voice = settings.get("voice")
        if not voice:
            return self.models[0], self.models[0].voice
        if not voice_spoken(self.service, voice, self.call.services, self.rpc.method, "voice"):
            raise _refused(self.service.refusals.unknown_voice, voice)
        declared = self.service.voice(voice)
        if declared is None:
            return self.models[0], voice  # an open catalogue's id, or the team's: the first served model speaks it
        for model in self.models:
            if not declared.models or model.name in declared.models:
                return model, voice
        raise self._invalid(
            f"voice {voice} is not served by {self.rpc.method} (models: {', '.join(m.name for m in self.models)})"
        )

    def _format(self, settings: dict[str, Any]) -> tuple[Format, int]:
        name = settings.get("format")
        if name is None and settings.get("rate") is None:
            return self.rpc.formats[0], self.rpc.formats[0].spec.sample_rate
        fmt = next((f for f in self.rpc.formats if f.name == name), None)
        if fmt is None:
            raise self._invalid(
                f"audio_encoding {name or 'unspecified'}: streaming supports "
                f"{', '.join(f.name for f in self.rpc.formats)}"
            )
        rate = int(settings.get("rate") or fmt.spec.sample_rate)
        if fmt.rates and rate not in fmt.rates:
            raise self._invalid(f"sample rate {rate} Hz for {fmt.name}: one of {', '.join(map(str, fmt.rates))}")
        return fmt, rate

    async def _say(
        self, speaker: Speaker, model: Any, text: str, codec: str, container: str, rate: int
    ) -> AsyncIterator[bytes]:
        text = text.strip()
        endpoint = self.provider.endpoint(model.synthesis)
        cost = endpoint.price(request_for(self.service, model, SynthesisInput(text))) if endpoint.price else None
        if not self.call.services.charge(self.key or None, cost):
            raise _refused(self.service.refusals.quota)
        fault = self.call.services.stream_fault()  # broken on demand (`harness.sandbox.stream_faults`)
        async for piece in speaker.say(text + " "):
            index, self.pieces = self.pieces, self.pieces + 1
            audio = encode_as(served_samples(piece.samples, fault, rate), rate, codec, container)
            yield broken_piece(audio, index, fault, codec if container in ("raw", "wav") else "")


def rpc_handlers(service: SpeechService, provider: Provider) -> dict[str, RpcHandler]:
    """A handler for every declared streaming method of the provider (method key -> handler)."""

    def handler(rpc: Rpc) -> RpcHandler:
        def serve(call: RpcCall) -> AsyncIterator[bytes]:
            return FamilyStream(service, provider, rpc, call).run()

        return serve

    return {rpc.key: handler(rpc) for rpc in provider.rpcs if isinstance(rpc, Rpc)}
