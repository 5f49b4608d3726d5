"""TTS.ai's audio-in endpoints: speech to text, voice changer, translation, speech to speech, the five
audio tools, voice chat and voice embedding.

What is real: transcripts (Whisper, see `asr`), the speech every voice endpoint answers with (the
project's voices), durations, prices. The five audio tools answer from a table (see `tools`). What
is emulated:
- the voice changer and speech to speech re-speak the transcript of the upload in the target voice
  (timing is not kept); `emotion` moves pitch and pace;
- translation has no translator offline: `translated_text` is the transcript carried over unchanged,
  spoken by a voice of the target language (espeak-ng speaks most languages);
- voice chat answers from a handful of canned replies ("What is the capital of France?" is answered);
- voice embedding derives `embed_id` from the audio and model (the clone route has no field to use it).

Each endpoint checks its upload decodes (400), then that the balance covers its price (402), does the
work, and charges only once it succeeded. `credits_used` in translation and voice-chat answers is in
thousands of characters, as the document's examples there show (5 for a minute of translation priced
5,000; 3 for a chat turn priced 3,000; DocDrift "credit units").
"""

from __future__ import annotations

import hashlib
import itertools
import re
import threading
from collections.abc import Mapping
from typing import Any

from starlette.responses import Response

from harness.providers.ttsai.emulation.models.catalog import (
    VOICES,
    CatalogVoice,
    find_voice,
    resolve,
    voice_rendition,
)
from harness.providers.ttsai.emulation.responses import billing, tools
from harness.providers.ttsai.emulation.responses.asr import EmulatedTranscript, decode_upload, transcribe
from harness.providers.ttsai.emulation.responses.refusals import bad_request
from harness.providers.ttsai.emulation.responses.speech import speak_cloned
from harness.providers.ttsai.models.audio import (
    AnalyzeRequest,
    ConvertRequest,
    EchoRemovalRequest,
    EmbedRequest,
    EnhanceRequest,
    SeparateRequest,
    SpeechToSpeechRequest,
    SttRequest,
    TranslateRequest,
    VoiceChatRequest,
    VoiceConvertRequest,
)
from harness.sandbox.emulation import Call, Reject, SpeakerVoice, Speech
from harness.sandbox.http_bodies import json_reply
from harness.speech import MEDIA_TYPES, AudioFormat, Engine, Rendition, SpeechError, sniff

# Conversion model -> (length factor, pitch semitones): each model sounds measurably its own.
CONVERSION_MODELS: Mapping[str, tuple[float, float]] = {
    "openvoice": (1.0, 0.0),
    "knn-vc": (1.04, -0.5),
    "chatterbox": (0.95, 0.5),
}
# Emotion -> (speed factor, pitch semitones).
EMOTIONS: Mapping[str, tuple[float, float]] = {
    "neutral": (1.0, 0.0),
    "happy": (1.08, 1.5),
    "sad": (0.88, -1.5),
    "angry": (1.1, 0.5),
    "excited": (1.15, 2.5),
}
CANNED_REPLIES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"capital of france", re.I), "The capital of France is Paris."),
    (re.compile(r"\b(hello|hi|hey)\b", re.I), "Hello! How can I help you today?"),
    (re.compile(r"\bweather\b", re.I), "I cannot see the weather from here, but I hope it is sunny."),
    (re.compile(r"\b(thanks|thank you)\b", re.I), "You are welcome."),
)
DEFAULT_REPLY = "I heard you say: {text} I am the sandbox assistant, so that is all I can tell you."


def _thousands(amount: Any) -> float:
    return float(amount) / 1000 if amount is not None else 0.0


def _speech_required(transcript: EmulatedTranscript) -> str:
    if not transcript.text:
        raise bad_request("No speech was found in the uploaded audio.")
    return transcript.text


def _language_voice(language: str) -> Rendition:
    """A voice of `language`: a catalogue voice when there is one, else espeak-ng's voice of it."""
    for voice in VOICES:
        if voice.language == language.split("-")[0].lower():
            return voice_rendition(voice)
    return Rendition(Engine.ESPEAK, 1.0, 24000, voice=language.lower())


def _styled(voice: CatalogVoice, model: str, speed: float = 1.0, emotion: str | None = None) -> Rendition:
    length, pitch = CONVERSION_MODELS[model]
    pace, lift = EMOTIONS[emotion or "neutral"]
    return voice_rendition(voice, speed * pace / length, pitch=pitch + lift)


class AudioHandlers:
    def __init__(self) -> None:
        self._conversations: dict[tuple[str, str], int] = {}
        self._counter = itertools.count(1)
        self._lock = threading.Lock()

    async def stt(self, call: Call) -> Response:
        params = call.params
        assert isinstance(params, SttRequest)
        cost = billing.price(call)
        decode_upload(params.file.content, "file")
        billing.ensure_funds(call, cost)
        transcript = await transcribe(call, params.file.content)
        billing.bill(call, cost)
        segments = []
        for segment in transcript.segments:
            entry: dict[str, Any] = {"start": segment.start, "end": segment.end, "text": segment.text}
            if params.diarize:
                entry["speaker"] = "SPEAKER_00"
            segments.append(entry)
        language = "en" if params.language == "auto" else params.language
        return json_reply(
            {"text": transcript.text, "language": language, "duration": transcript.duration, "segments": segments}
        )

    async def voice_convert(self, call: Call) -> Response:
        params = call.params
        assert isinstance(params, VoiceConvertRequest)
        target = find_voice(params.target_voice, None)
        cost = billing.price(call)
        decode_upload(params.file.content, "file")
        billing.ensure_funds(call, cost)
        text = _speech_required(await transcribe(call, params.file.content))
        fmt = AudioFormat(params.format)
        audio = await call.services.synthesize(Speech.single(text, SpeakerVoice(_styled(target, params.model)), fmt))
        billing.bill(call, cost)
        return Response(audio, media_type=MEDIA_TYPES[fmt])

    async def translate(self, call: Call) -> Response:
        params = call.params
        assert isinstance(params, TranslateRequest)
        rendition = (
            voice_rendition(find_voice(params.voice, None)) if params.voice else _language_voice(params.target_language)
        )
        cost = billing.price(call)
        decode_upload(params.file.content, "file")
        billing.ensure_funds(call, cost)
        text = _speech_required(await transcribe(call, params.file.content))
        try:
            if params.preserve_voice:
                audio = await speak_cloned(call, text, rendition, params.file.content, "file", AudioFormat.MP3)
            else:
                audio = await call.services.synthesize(Speech.single(text, SpeakerVoice(rendition), AudioFormat.MP3))
        except SpeechError:  # espeak-ng has no voice for this language code
            raise bad_request(f"Target language '{params.target_language}' is not supported.") from None
        billing.bill(call, cost)
        name = f"translate_{hashlib.sha256(audio).hexdigest()[:12]}.mp3"
        return json_reply(
            {
                "original_text": text,
                "translated_text": text,
                "source_language": "en",
                "target_language": params.target_language,
                "audio_url": call.services.publish(audio, "audio/mpeg", name),
                "credits_used": _thousands(cost.amount if cost else None),
            }
        )

    async def speech_to_speech(self, call: Call) -> Response:
        params = call.params
        assert isinstance(params, SpeechToSpeechRequest)
        target = find_voice(params.voice, None)
        decode_upload(params.file.content, "file")
        billing.ensure_funds(call, billing.price(call))
        text = _speech_required(await transcribe(call, params.file.content))
        rendition = _styled(target, params.model, params.speed, params.emotion)
        audio = await call.services.synthesize(Speech.single(text, SpeakerVoice(rendition), AudioFormat.WAV))
        return Response(audio, media_type="audio/wav")

    async def enhance(self, call: Call) -> Response:
        params = call.params
        assert isinstance(params, EnhanceRequest)
        decode_upload(params.file.content, "file")
        cost = billing.price(call)
        billing.ensure_funds(call, cost)
        billing.bill(call, cost)
        return self._unchanged(params.file.content)

    async def separate(self, call: Call) -> Response:
        params = call.params
        assert isinstance(params, SeparateRequest)
        clip = decode_upload(params.file.content, "file")
        cost = billing.price(call)
        billing.ensure_funds(call, cost)
        fmt = AudioFormat(params.format or "mp3")
        task = f"task_{hashlib.sha256(params.file.content).hexdigest()[:12]}"
        stems = {
            name: call.services.publish(audio, MEDIA_TYPES[fmt], f"{task}_{name}.{fmt.value}")
            for name, audio in tools.stems(clip, params.stems, fmt).items()
        }
        billing.bill(call, cost)
        return json_reply({"task_id": task, "status": "completed", "result_url": stems["vocals"], "stems": stems})

    async def remove_echo(self, call: Call) -> Response:
        params = call.params
        assert isinstance(params, EchoRemovalRequest)
        decode_upload(params.file.content, "file")
        billing.ensure_funds(call, billing.price(call))
        return self._unchanged(params.file.content)

    @staticmethod
    def _unchanged(upload: bytes) -> Response:
        return Response(upload, media_type=MEDIA_TYPES[sniff(upload) or AudioFormat.WAV])

    async def analyze(self, call: Call) -> Response:
        params = call.params
        assert isinstance(params, AnalyzeRequest)
        decode_upload(params.file.content, "file")
        return json_reply(dict(tools.KEY_BPM))

    async def convert(self, call: Call) -> Response:
        params = call.params
        assert isinstance(params, ConvertRequest)
        if params.format in ("m4a", "aac"):
            raise bad_request(f"Conversion to {params.format} is not available; use mp3, wav, flac or ogg.")
        fmt = AudioFormat(params.format)
        audio = tools.converted(decode_upload(params.file.content, "file"), fmt, params.sample_rate)
        return Response(audio, media_type=MEDIA_TYPES[fmt])

    async def voice_chat(self, call: Call) -> Response:
        params = call.params
        assert isinstance(params, VoiceChatRequest)
        _, rendition = resolve(params.tts_model, params.voice, None)
        conversation = self._conversation(call.key or "", params.conversation_id)
        cost = billing.price(call)
        billing.ensure_funds(call, cost)
        if params.text is not None:
            user_text = params.text
        else:
            assert params.audio is not None
            user_text = _speech_required(await transcribe(call, params.audio.content, "audio"))
        answer = reply_to(user_text)
        audio = await call.services.synthesize(Speech.single(answer, SpeakerVoice(rendition), AudioFormat.MP3))
        billing.bill(call, cost)
        name = f"resp_{hashlib.sha256(audio).hexdigest()[:12]}.mp3"
        return json_reply(
            {
                "conversation_id": conversation,
                "user_text": user_text,
                "ai_text": answer,
                "audio_url": call.services.publish(audio, "audio/mpeg", name),
                "credits_used": _thousands(cost.amount if cost else None),
            }
        )

    def _conversation(self, key: str, given: str | None) -> str:
        with self._lock:
            if given is None:
                given = f"conv_{next(self._counter):06d}"
            elif (key, given) not in self._conversations:
                raise Reject(404, f"Conversation '{given}' not found.")
            self._conversations[(key, given)] = self._conversations.get((key, given), 0) + 1
            return given

    async def embed(self, call: Call) -> Response:
        params = call.params
        assert isinstance(params, EmbedRequest)
        clip = decode_upload(params.file.content, "file")
        billing.ensure_funds(call, billing.price(call))
        digest = hashlib.sha256(params.model.encode() + params.file.content).hexdigest()[:12]
        # duration_ms is the embedding's computing time (450 ms in the example): modelled from the length.
        return json_reply(
            {"embed_id": f"emb_{digest}", "model": params.model, "duration_ms": round(150 + 25 * clip.duration_s)}
        )


def reply_to(text: str) -> str:
    for pattern, answer in CANNED_REPLIES:
        if pattern.search(text):
            return answer
    spoken = text.strip()
    return DEFAULT_REPLY.format(text=spoken if spoken.endswith((".", "!", "?")) else spoken + ".")
