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
    *,
    path: str,
    summary: str,
    request: type[BaseModel],
    answer: JsonBody | AudioBody,
    statuses: tuple[int, ...],
    price: PriceFunction | None,
    example: dict[str, object],
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
    "stt.transcribe",
    path="/v1/stt/",
    summary="Speech to text (≤ 100 MB; whisper, faster-whisper, sensevoice)",
    request=SttRequest,
    answer=JsonBody(SttResult),
    statuses=UPLOAD_RUN,
    price=per_minute(STT_PER_MINUTE, "file", "stt"),
    example={"file": sample_upload("recording.wav"), "model": "faster-whisper", "timestamps": True},
    inferred=False,
    max_upload_bytes=UPLOAD_LIMITS["stt"],
)
VOICE_CONVERT = _multipart(
    "voice.convert",
    path="/v1/voice-convert/",
    summary="Voice changer: source audio (≤ 50 MB) to a target voice; audio bytes",
    request=VoiceConvertRequest,
    answer=AUDIO,
    statuses=UPLOAD_RUN,
    price=per_minute(VOICE_CHANGER_PER_MINUTE, "file", "voice-convert"),
    example={"file": sample_upload("source_audio.wav"), "target_voice": "af_bella", "model": "openvoice"},
    inferred=False,
    role=Role.AUDIO,
    max_upload_bytes=UPLOAD_LIMITS["voice-convert"],
)
TRANSLATE = _multipart(
    "speech.translate",
    path="/v1/speech/translate/",
    summary="Speech translation: STT, translation and TTS in one call (≤ 100 MB)",
    request=TranslateRequest,
    answer=JsonBody(TranslateResult),
    statuses=UPLOAD_RUN,
    price=per_minute(TRANSLATION_PER_MINUTE, "file", "translate"),
    example={"file": sample_upload("speech.wav"), "target_language": "es"},
    inferred=True,
    max_upload_bytes=UPLOAD_LIMITS["translate"],
)
SPEECH_TO_SPEECH = _multipart(
    "speech.sts",
    path="/v1/sts/",
    summary="Speech to speech: change style, emotion or delivery (≤ 50 MB); audio bytes",
    request=SpeechToSpeechRequest,
    answer=AUDIO,
    statuses=UPLOAD_RUN,
    price=None,  # the price table does not list it
    example={"file": sample_upload("speech.wav"), "voice": "af_bella"},
    inferred=True,
    role=Role.AUDIO,
    max_upload_bytes=UPLOAD_LIMITS["speech-to-speech"],
)
ENHANCE = _multipart(
    "audio.enhance",
    path="/v1/audio/enhance/",
    summary="Audio enhancement: denoise, clarity, super resolution; audio bytes",
    request=EnhanceRequest,
    answer=AUDIO,
    statuses=TOOL_ERRORS,
    price=per_minute(ENHANCEMENT_PER_MINUTE, "file"),
    example={"file": sample_upload("noisy_audio.wav"), "denoise": True, "enhance_clarity": True},
    inferred=False,
    role=Role.AUDIO,
)
SEPARATE = _multipart(
    "audio.separate",
    path="/v1/audio/separate/",
    summary="Vocal removal / stem splitting (2, 4, 5 or 6 stems)",
    request=SeparateRequest,
    answer=JsonBody(SeparateResult),
    statuses=(*TOOL_ERRORS, 404),
    price=per_minute(STEMS_PER_MINUTE, "file"),
    example={"file": sample_upload("song.wav"), "model": "demucs", "stems": 2},
    inferred=True,
)
ECHO_REMOVAL = _multipart(
    "audio.remove-echo",
    path="/v1/audio/remove-echo/",
    summary="Echo and reverb removal; audio bytes",
    request=EchoRemovalRequest,
    answer=AUDIO,
    statuses=TOOL_ERRORS,
    price=None,  # the price table does not list it
    example={"file": sample_upload("room.wav"), "type": "both", "intensity": 3},
    inferred=True,
    role=Role.AUDIO,
)
ANALYZE = _multipart(
    "audio.analyze",
    path="/v1/audio/analyze/",
    summary="Key & BPM finder: key, scale, BPM, time signature (free)",
    request=AnalyzeRequest,
    answer=JsonBody(KeyBpmResult),
    statuses=(*KEYED, 413, 503),
    price=flat(0),
    example={"file": sample_upload("song.wav")},
    inferred=True,
)
CONVERT = _multipart(
    "audio.convert",
    path="/v1/audio/convert/",
    summary="Audio converter between formats (free); audio bytes",
    request=ConvertRequest,
    answer=CONVERTED_AUDIO,
    statuses=(*KEYED, 413),
    price=flat(0),
    example={
        "file": sample_upload("song.wav"),
        "format": "mp3",
        "bitrate": 192,
        "sample_rate": 44100,
        "channels": "stereo",
    },
    inferred=True,
    role=Role.AUDIO,
)
VOICE_CHAT = _multipart(
    "voice-chat",
    path="/v1/voice-chat/",
    summary="Voice chat: audio or text in, an AI answer with synthesized speech out",
    request=VoiceChatRequest,
    answer=JsonBody(VoiceChatResult),
    statuses=UPLOAD_RUN,
    price=flat(VOICE_CHAT_PER_TURN),
    example={"text": "What is the capital of France?"},
    inferred=True,
)
EMBED = _multipart(
    "voice.embed",
    path="/v1/voice-embed/",
    summary="Voice embedding: pre-compute an embed_id from reference audio",
    request=EmbedRequest,
    answer=JsonBody(EmbedResult),
    statuses=UPLOAD_RUN,
    price=None,  # the price table does not list it
    example={"file": sample_upload("reference.wav"), "model": "chatterbox"},
    inferred=True,
)

AUDIO_ENDPOINTS = (
    STT,
    VOICE_CONVERT,
    TRANSLATE,
    SPEECH_TO_SPEECH,
    ENHANCE,
    SEPARATE,
    ECHO_REMOVAL,
    ANALYZE,
    CONVERT,
    VOICE_CHAT,
    EMBED,
)
