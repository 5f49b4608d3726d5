"""TTS.ai's direct speech answers: SSE streaming, the OpenAI-compatible route and voice cloning; and
the plan rules every text-to-speech request obeys (anonymous models, text length per plan).

Streaming (`POST /v1/tts/stream/`). The document names the route and "Server-Sent Events" only; the
sandbox sends each sentence as chunks of at most half a second on a timeline it records (see
harness.sandbox.streams: a drawn time to first audio, a lead-in silence, a drawn pace), then one
closing event.
Every event is a `data:` line holding one JSON object whose `type` says what it is:

    data: {"type": "audio", "index": 0, "text": "Hello there.", "format": "mp3", "sample_rate": 24000,
           "audio": "<base64 of a complete, independently decodable file in `format`>"}
    data: {"type": "audio", "index": 1, ...}
    data: {"type": "done", "chunks": 2, "characters": 42, "credits_used": 84}

A synthesis failure after the stream has started (the status line is already sent) arrives as
`{"type": "error", "code": "internal_error", "message": "..."}` and ends the stream. Streaming runs on
the models /v1/models/ marks `supports_streaming` (kokoro, melotts, chatterbox); others answer 400.

The OpenAI route answers mp3, wav, flac and opus (Ogg/Opus, 48 kHz); OpenAI's `aac` and `pcm` have no
encoder here and answer 400. Cloning checks the reference is audio before anything is charged. Every
charged answer carries `X-Credits-Used` (characters), the header the document's Python example reads.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import AsyncIterator, Mapping
from typing import Any

import soundfile
from starlette.responses import Response

from harness.core.spec import Cost, Upload
from harness.providers.ttsai.emulation.models.catalog import (
    CLONE_BASES,
    CLONE_TIMING,
    MODELS,
    find_model,
    find_voice,
    resolve,
    voice_rendition,
)
from harness.providers.ttsai.emulation.models.plans import ANONYMOUS_TIER, TEXT_LIMITS
from harness.providers.ttsai.emulation.responses import billing
from harness.providers.ttsai.emulation.responses.asr import decode_upload
from harness.providers.ttsai.emulation.responses.refusals import bad_request
from harness.providers.ttsai.models.speech import CloneRequest, OpenAISpeechRequest, TtsStreamRequest
from harness.providers.ttsai.pricing import ANONYMOUS_MODELS
from harness.providers.ttsai.spec import CREDITS_HEADER
from harness.sandbox.emulation import Call, Reference, Reject, SpeakerVoice, Speech
from harness.sandbox.http_bodies import sse_reply
from harness.speech import MEDIA_TYPES, AudioFormat, Rendition, decode

CLONE_LANGUAGES: Mapping[str, tuple[str, ...]] = {
    "chatterbox": ("en",),
    "cosyvoice2": ("en", "zh", "ja", "ko"),
    "gpt-sovits": ("en", "zh", "ja"),
}
OPUS_RATE = 48_000
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def check_text(call: Call, text: str) -> None:
    """The plan's maximum text length (Free 500 characters, ...), 400 beyond it."""
    limit = TEXT_LIMITS.get(call.tier or "")
    if limit is not None and len(text) > limit:
        raise bad_request(f"Text is {len(text):,} characters; your plan allows at most {limit:,} per request.")


def check_anonymous(call: Call, model: str) -> None:
    """Without a key (the anonymous tier) only the free models run on /v1/tts/."""
    if (call.key is None or call.tier == ANONYMOUS_TIER) and model not in ANONYMOUS_MODELS:
        raise Reject(401, f"Model '{model}' requires an API key; without one use: {', '.join(ANONYMOUS_MODELS)}.")


def credits_header(cost: Cost | None) -> dict[str, str]:
    """`X-Credits-Used`, which the document's Python example reads (characters charged)."""
    return {CREDITS_HEADER: str(int(cost.amount) if cost else 0)}


def ogg_opus(wav: bytes) -> bytes:
    """OpenAI's `opus`: Ogg/Opus at 48 kHz, a format the project's codec does not write."""
    clip = decode(wav).resampled(OPUS_RATE)
    buffer = io.BytesIO()
    soundfile.write(buffer, clip.samples, OPUS_RATE, format="OGG", subtype="OPUS")
    return buffer.getvalue()


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text.strip()) if part.strip()]


class SpeechHandlers:
    async def stream(self, call: Call) -> Response:
        params = call.params
        assert isinstance(params, TtsStreamRequest)
        model, rendition = resolve(params.model, params.voice, params.language, params.speed)
        if not MODELS[model].supports_streaming:
            streaming = ", ".join(m.id for m in MODELS.values() if m.supports_streaming)
            raise bad_request(f"Model '{model}' does not support streaming; streaming models: {streaming}.")
        check_text(call, params.text)
        cost = billing.price(call)
        billing.bill(call, cost)
        fmt = AudioFormat(params.format)

        pacer = call.services.stream(params.text)  # the chunks leave on a timeline the sandbox records

        async def events() -> AsyncIterator[Mapping[str, Any]]:
            parts, index = sentences(params.text), 0
            for sentence in parts:
                try:
                    audio = await call.services.synthesize(Speech.single(sentence, SpeakerVoice(rendition), fmt))
                except Exception as error:  # the status line is sent: report in-band and stop
                    yield {"type": "error", "code": "internal_error", "message": f"synthesis failed: {error}"}
                    return
                async for piece in pacer.pieces(audio):
                    yield {
                        "type": "audio",
                        "index": index,
                        "text": sentence,
                        "format": fmt.value,
                        "sample_rate": rendition.sample_rate,
                        "audio": base64.b64encode(piece).decode("ascii"),
                    }
                    index += 1
            yield {
                "type": "done",
                "chunks": index,
                "characters": len(params.text),
                "credits_used": int(cost.amount) if cost else 0,
            }

        return sse_reply(events(), headers=credits_header(cost))

    async def openai_speech(self, call: Call) -> Response:
        params = call.params
        assert isinstance(params, OpenAISpeechRequest)
        model = find_model(params.model)
        rendition = voice_rendition(find_voice(params.voice, model.id), params.speed)
        if params.response_format in ("aac", "pcm"):
            raise bad_request(
                f"response_format '{params.response_format}' is not available; use mp3, opus, flac or wav."
            )
        check_text(call, params.input)
        cost = billing.price(call)
        billing.bill(call, cost)
        await call.services.take_time(model.timing, len(params.input))
        if params.response_format == "opus":
            wav = await call.services.synthesize(Speech.single(params.input, SpeakerVoice(rendition), AudioFormat.WAV))
            return Response(ogg_opus(wav), media_type="audio/ogg", headers=credits_header(cost))
        fmt = AudioFormat(params.response_format)
        audio = await call.services.synthesize(Speech.single(params.input, SpeakerVoice(rendition), fmt))
        return Response(audio, media_type=MEDIA_TYPES[fmt], headers=credits_header(cost))

    async def clone(self, call: Call) -> Response:
        params = call.params
        assert isinstance(params, CloneRequest)
        languages = CLONE_LANGUAGES[params.model]
        if params.language is not None and params.language.split("-")[0].lower() not in languages:
            raise bad_request(
                f"Language '{params.language}' is not supported by {params.model}; it speaks: {', '.join(languages)}."
            )
        decode_upload(params.reference_audio.content, "reference_audio")
        cost = billing.price(call)
        billing.bill(call, cost)
        await call.services.take_time(CLONE_TIMING, len(params.text))
        fmt = AudioFormat(params.format)
        return Response(
            await speak_cloned(
                call, params.text, CLONE_BASES[params.model], params.reference_audio.content, "reference_audio", fmt
            ),
            media_type=MEDIA_TYPES[fmt],
            headers=credits_header(cost),
        )


async def speak_cloned(call: Call, text: str, base: Rendition, reference: bytes, field: str, fmt: AudioFormat) -> bytes:
    """`text` in the voice the engine's reference mapping gives `reference` (see harness.sandbox.voices)."""
    upload = Upload(filename=f"{field}.wav", content=reference, content_type="audio/wav")
    return await call.services.synthesize(Speech.single(text, SpeakerVoice(base, Reference(field, upload=upload)), fmt))
