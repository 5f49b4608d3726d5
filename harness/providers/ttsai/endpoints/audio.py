"""TTS.ai's audio-in endpoints: speech to text, voice changer, speech translation, speech to speech,
the five audio tools, voice chat and voice embedding.

The document writes three of these paths (/v1/stt/, /v1/voice-convert/, /v1/audio/enhance/); the
others are inferred from its own naming and marked `inferred=True`:
- speech to speech → /v1/sts/: the abbreviation pattern of /v1/stt/ (speech to text) and /v1/tts/;
- speech translation → /v1/speech/translate/: the /v1/speech/ namespace of /v1/speech/results/ and
  the `translate_…` name of its result file;
- the audio tools → /v1/audio/<verb>/ beside the written /v1/audio/enhance/, with each tool's own
  verb: "Separate vocals" → separate, "Remove echo and reverb" → remove-echo, "Analyze audio" →
  analyze, "Convert audio" → convert;
- voice chat → /v1/voice-chat/ and voice embedding → /v1/voice-embed/: the hyphenated /v1/voice-…/
  form of /v1/voice-convert/, and the `embed_id` the latter returns.
"""

from __future__ import annotations

from pydantic import BaseModel

from harness.core.spec import AudioBody, BodyKind, Endpoint, JsonBody, PriceFunction, Role
from harness.providers.ttsai.endpoints.shared import CHARGED, KEYED, UPLOAD_RUN, error_responses, ok
from harness.providers.ttsai.models.audio import (
    AnalyzeRequest,
    ConvertRequest,
    EchoRemovalRequest,
    EmbedRequest,
    EmbedResult,
    EnhanceRequest,
    KeyBpmResult,
    SeparateRequest,
    SeparateResult,
    SpeechToSpeechRequest,
    SttRequest,
    SttResult,
    TranslateRequest,
    TranslateResult,
    VoiceChatRequest,
    VoiceChatResult,
    VoiceConvertRequest,
)
from harness.providers.ttsai.models.shared import DOC
from harness.providers.ttsai.models.uploads import UPLOAD_LIMITS, sample_upload
from harness.providers.ttsai.pricing import (
    ENHANCEMENT_PER_MINUTE,
    STEMS_PER_MINUTE,
    STT_PER_MINUTE,
    TRANSLATION_PER_MINUTE,
    VOICE_CHANGER_PER_MINUTE,
    VOICE_CHAT_PER_TURN,
    flat,
    per_minute,
)

AUDIO = AudioBody()
# The converter's targets include m4a and aac, which AudioBody's defaults do not list.
CONVERTED_AUDIO = AudioBody(("audio/mpeg", "audio/wav", "audio/flac", "audio/ogg", "audio/mp4", "audio/aac"))

# Tools that run no named model and look nothing up: no 404; they process audio: 503 while loading.
TOOL_ERRORS = (*CHARGED, 413, 503)


def _multipart(
    key: str,
    path: str,
    summary: str,
    request: type[BaseModel],
    answer: JsonBody | AudioBody,
    statuses: tuple[int, ...],
    price: PriceFunction | None,
    example: dict[str, object],
    *,
    inferred: bool,
    role: Role = Role.OTHER,
    max_upload_bytes: int | None = None,
) -> Endpoint:
    return Endpoint(
        key=key,
        method="POST",
        path=path,
        summary=summary,
        host="api",
        role=role,
        request=request,
        body_kind=BodyKind.MULTIPART,
        responses=(ok(answer, description=summary), *error_responses(*statuses)),
        price=price,
        inferred=inferred,
        example=example,
        doc=DOC,
        max_upload_bytes=max_upload_bytes,
    )


STT = _multipart(
    "stt.transcribe", "/v1/stt/", "Speech to text (≤ 100 MB; whisper, faster-whisper, sensevoice)",
    SttRequest, JsonBody(SttResult), UPLOAD_RUN, per_minute(STT_PER_MINUTE, "file", "stt"),
    {"file": sample_upload("recording.wav"), "model": "faster-whisper", "timestamps": True},
    inferred=False,
    max_upload_bytes=UPLOAD_LIMITS["stt"],
)
VOICE_CONVERT = _multipart(
    "voice.convert", "/v1/voice-convert/", "Voice changer: source audio (≤ 50 MB) to a target voice; audio bytes",
    VoiceConvertRequest, AUDIO, UPLOAD_RUN, per_minute(VOICE_CHANGER_PER_MINUTE, "file", "voice-convert"),
    {"file": sample_upload("source_audio.wav"), "target_voice": "af_bella", "model": "openvoice"},
    inferred=False, role=Role.AUDIO,
    max_upload_bytes=UPLOAD_LIMITS["voice-convert"],
)
TRANSLATE = _multipart(
    "speech.translate", "/v1/speech/translate/", "Speech translation: STT, translation and TTS in one call (≤ 100 MB)",
    TranslateRequest, JsonBody(TranslateResult), UPLOAD_RUN,
    per_minute(TRANSLATION_PER_MINUTE, "file", "translate"),
    {"file": sample_upload("speech.wav"), "target_language": "es"},
    inferred=True,
    max_upload_bytes=UPLOAD_LIMITS["translate"],
)
SPEECH_TO_SPEECH = _multipart(
    "speech.sts", "/v1/sts/", "Speech to speech: change style, emotion or delivery (≤ 50 MB); audio bytes",
    SpeechToSpeechRequest, AUDIO, UPLOAD_RUN, None,  # the price table does not list it
    {"file": sample_upload("speech.wav"), "voice": "af_bella"},
    inferred=True, role=Role.AUDIO,
    max_upload_bytes=UPLOAD_LIMITS["speech-to-speech"],
)
ENHANCE = _multipart(
    "audio.enhance", "/v1/audio/enhance/", "Audio enhancement: denoise, clarity, super resolution; audio bytes",
    EnhanceRequest, AUDIO, TOOL_ERRORS, per_minute(ENHANCEMENT_PER_MINUTE, "file"),
    {"file": sample_upload("noisy_audio.wav"), "denoise": True, "enhance_clarity": True},
    inferred=False, role=Role.AUDIO,
)
SEPARATE = _multipart(
    "audio.separate", "/v1/audio/separate/", "Vocal removal / stem splitting (2, 4, 5 or 6 stems)",
    SeparateRequest, JsonBody(SeparateResult), (*TOOL_ERRORS, 404), per_minute(STEMS_PER_MINUTE, "file"),
    {"file": sample_upload("song.wav"), "model": "demucs", "stems": 2},
    inferred=True,
)
ECHO_REMOVAL = _multipart(
    "audio.remove-echo", "/v1/audio/remove-echo/", "Echo and reverb removal; audio bytes",
    EchoRemovalRequest, AUDIO, TOOL_ERRORS, None,  # the price table does not list it
    {"file": sample_upload("room.wav"), "type": "both", "intensity": 3},
    inferred=True, role=Role.AUDIO,
)
ANALYZE = _multipart(
    "audio.analyze", "/v1/audio/analyze/", "Key & BPM finder: key, scale, BPM, time signature (free)",
    AnalyzeRequest, JsonBody(KeyBpmResult), (*KEYED, 413, 503), flat(0),
    {"file": sample_upload("song.wav")},
    inferred=True,
)
CONVERT = _multipart(
    "audio.convert", "/v1/audio/convert/", "Audio converter between formats (free); audio bytes",
    ConvertRequest, CONVERTED_AUDIO, (*KEYED, 413), flat(0),
    {"file": sample_upload("song.wav"), "format": "mp3", "bitrate": 192, "sample_rate": 44100, "channels": "stereo"},
    inferred=True, role=Role.AUDIO,
)
VOICE_CHAT = _multipart(
    "voice-chat", "/v1/voice-chat/", "Voice chat: audio or text in, an AI answer with synthesized speech out",
    VoiceChatRequest, JsonBody(VoiceChatResult), UPLOAD_RUN, flat(VOICE_CHAT_PER_TURN),
    {"text": "What is the capital of France?"},
    inferred=True,
)
EMBED = _multipart(
    "voice.embed", "/v1/voice-embed/", "Voice embedding: pre-compute an embed_id from reference audio",
    EmbedRequest, JsonBody(EmbedResult), UPLOAD_RUN, None,  # the price table does not list it
    {"file": sample_upload("reference.wav"), "model": "chatterbox"},
    inferred=True,
)

AUDIO_ENDPOINTS = (
    STT, VOICE_CONVERT, TRANSLATE, SPEECH_TO_SPEECH, ENHANCE, SEPARATE, ECHO_REMOVAL, ANALYZE, CONVERT,
    VOICE_CHAT, EMBED,
)
