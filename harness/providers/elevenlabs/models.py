"""ElevenLabs' text-to-speech payloads as its API reference writes them (read 2026-11-25).

From "Create speech", "Stream speech", "Create speech with timing", "Stream speech with timing" (their OpenAPI
operations `convert`, `stream`, `convert-with-timestamps`, `stream-with-timestamps`) and "WebSocket"
(WS_REFERENCE, whose AsyncAPI 2.6.0 file names the socket's messages):

    POST /v1/text-to-speech/{voice_id}[/stream]?output_format=mp3_44100_128    xi-api-key: KEY
        {"text": "...", "model_id": "eleven_multilingual_v2", "voice_settings": {...}, ...}
        200: the audio ("/stream": sent as it is made) · 422 "Validation Error"
    POST /v1/text-to-speech/{voice_id}[/stream]/with-timestamps
        200: {"audio_base64", "alignment": {"characters", "character_start_times_seconds",
              "character_end_times_seconds"}, "normalized_alignment": {...}} (streamed: one such object a line)

    WSS /v1/text-to-speech/{voice_id}/stream-input?model_id=...&output_format=pcm_24000&...
      client  InitializeConnection {"text": " ", "voice_settings", "generation_config":
                  {"chunk_length_schedule": [120, 160, 250, 290]}, "xi_api_key"?}   ("must be a blank space")
              SendText {"text": "... " ("should always end with a single space"), "try_trigger_generation",
                  "flush"}
              CloseConnection {"text": ""}                                        ("End the stream")
      server  AudioOutput {"audio": "<base64, encoded using the selected output_format>",
                  "normalizedAlignment": {"charStartTimesMs", "charDurationsMs", "chars"}, "alignment": {...}}
                  ("these times are relative to the returned chunk from the model")
              FinalOutput {"isFinal": true}              ("If set to `True`, `audio` will be null.")
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from harness.core.spec import RequestModel, ResponseModel

REFERENCE = "https://elevenlabs.io/docs/api-reference/text-to-speech/convert"
# The help centre on numbers, dates and symbols: the apply_text_normalization modes.
NORMALISATION_PAGE = (
    "https://help.elevenlabs.io/hc/en-us/articles/14888917355409-Why-are-numbers-dates-symbols-"
    "and-acronyms-not-properly-pronounced-or-spoken-in-the-correct-language"
)
STREAM_REFERENCE = "https://elevenlabs.io/docs/api-reference/text-to-speech/stream"
TIMESTAMPS_REFERENCE = "https://elevenlabs.io/docs/api-reference/text-to-speech/convert-with-timestamps"
STREAM_TIMESTAMPS_REFERENCE = "https://elevenlabs.io/docs/api-reference/text-to-speech/stream-with-timestamps"
WS_REFERENCE = "https://elevenlabs.io/docs/api-reference/text-to-speech/v-1-text-to-speech-voice-id-stream-input"
# The multi-context socket: its reference (an AsyncAPI 2.6.0 file) and its guide, read 2026-11-25, and the official
# SDK's types (elevenlabs 2.78.0: InitialiseContext, SendTextMulti, CloseContext, CloseSocket, ...).
MULTI_REFERENCE = (
    "https://elevenlabs.io/docs/api-reference/text-to-speech/v-1-text-to-speech-voice-id-multi-stream-input"
)
MULTI_GUIDE = "https://elevenlabs.io/docs/eleven-api/guides/how-to/websockets/multi-context-web-socket"
MULTI_CONTEXT_LIMIT = "https://github.com/livekit/agents-js/issues/1985"  # the server's own refusal, quoted there
MODELS_PAGE = "https://help.elevenlabs.io/hc/en-us/articles/21811236079505-How-do-I-find-the-model-ID"
# ElevenLabs' own documentation repository (elevenlabs/elevenlabs-docs at 3557f0b1, 2025-08-25; read 2026-11-25),
# fern/docs/pages/product-guides/voices/default-voices.mdx, titled "Default Voices (to delete)" and redirected to
# /docs/capabilities/voices on the site: "Default voices were previously referred to as "premade" voices. The latter
# term is still used when accessing default voices via the API", its "Current Default Voices" table (name, voice_id,
# gender, age, accent, ...) and its "Legacy Voices" ("Legacy voices will remain available for the foreseeable future").
DEFAULT_VOICES_PAGE = (
    "https://github.com/elevenlabs/elevenlabs-docs/blob/main/fern/docs/pages/product-guides/voices/default-voices.mdx"
)

DEFAULT_FORMAT = "mp3_44100_128"  # "default: mp3_44100_128"
DEFAULT_MODEL = "eleven_multilingual_v2"  # "Defaults to eleven_multilingual_v2"

#: The HTTP endpoints' `output_format` values (OpenAPI enum); the WebSocket's AsyncAPI lists fewer.
HTTP_FORMATS = (
    "mp3_22050_32",
    "mp3_24000_48",
    "mp3_44100_32",
    "mp3_44100_64",
    "mp3_44100_96",
    "mp3_44100_128",
    "mp3_44100_192",
    "pcm_8000",
    "pcm_16000",
    "pcm_22050",
    "pcm_24000",
    "pcm_32000",
    "pcm_44100",
    "pcm_48000",
    "ulaw_8000",
    "alaw_8000",
    "opus_48000_32",
    "opus_48000_64",
    "opus_48000_96",
    "opus_48000_128",
    "opus_48000_192",
)
WS_FORMATS = (
    "mp3_22050_32",
    "mp3_44100_32",
    "mp3_44100_64",
    "mp3_44100_96",
    "mp3_44100_128",
    "mp3_44100_192",
    "pcm_8000",
    "pcm_16000",
    "pcm_22050",
    "pcm_24000",
    "pcm_44100",
    "ulaw_8000",
    "alaw_8000",
    "opus_48000_32",
    "opus_48000_64",
    "opus_48000_96",
    "opus_48000_128",
    "opus_48000_192",
)
OutputFormat = Literal[HTTP_FORMATS]  # type: ignore[valid-type]


class VoiceSettings(RequestModel):
    stability: float | None = None
    similarity_boost: float | None = None
    style: float | None = None
    use_speaker_boost: bool | None = None
    speed: float | None = Field(
        None,
        ge=0.7,
        le=1.2,
        description="Controls the speed of the generated speech. "
        "Values range from 0.7 to 1.2, with 1.0 being the default speed.",
    )


class SpeechRequest(RequestModel):
    voice_id: str | None = Field(None, min_length=1)  # in the path: /v1/text-to-speech/{voice_id}
    output_format: OutputFormat | None = None  # in the query
    text: str = Field(min_length=1)
    model_id: str = DEFAULT_MODEL
    language_code: str | None = None
    voice_settings: VoiceSettings | None = None
    pronunciation_dictionary_locators: list[dict[str, Any]] | None = Field(
        None, max_length=3, description="You may have up to 3 locators per request"
    )
    seed: int | None = Field(None, ge=0, le=4294967295, description="Must be integer between 0 and 4294967295.")
    previous_text: str | None = None
    next_text: str | None = None
    previous_request_ids: list[str] | None = Field(
        None, max_length=3, description="A maximum of 3 request_ids can be send."
    )
    next_request_ids: list[str] | None = Field(
        None, max_length=3, description="A maximum of 3 request_ids can be send."
    )
    use_pvc_as_ivc: bool | None = None
    apply_text_normalization: Literal["auto", "on", "off"] | None = None
    apply_language_text_normalization: bool | None = None


class CharacterAlignment(ResponseModel):
    characters: list[str]
    character_start_times_seconds: list[float]
    character_end_times_seconds: list[float]


class AudioWithTimestamps(ResponseModel):
    """The with-timestamps answer, and each line of its stream (`StreamingAudioChunkWithTimestampsResponse`)."""

    audio_base64: str
    alignment: CharacterAlignment | None = None
    normalized_alignment: CharacterAlignment | None = None


class ValidationProblem(ResponseModel):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorBody(ResponseModel):
    """422 "Validation Error" (the OpenAPI's HTTPValidationError)."""

    detail: list[ValidationProblem]


class ErrorDetail(ResponseModel):
    status: str
    message: str


class ErrorBody(ResponseModel):
    """`{"detail": {"status": "invalid_api_key", "message": "..."}}`: 401, 404 and 429 (inferred)."""

    detail: ErrorDetail | list[ValidationProblem]


# --- the stream-input socket's messages ---------------------------------------------------------------


class GenerationConfig(RequestModel):
    chunk_length_schedule: list[float] | None = None  # "Each item should be in the range 50-500."


class InitializeConnection(RequestModel):
    text: Literal[" "]
    voice_settings: VoiceSettings | None = None
    generation_config: GenerationConfig | None = None
    pronunciation_dictionary_locators: list[dict[str, Any]] | None = None
    xi_api_key: str | None = None
    authorization: str | None = None


class SendText(RequestModel):
    text: str = Field(min_length=1)
    try_trigger_generation: bool | None = None
    voice_settings: VoiceSettings | None = None
    generator_config: GenerationConfig | None = None
    flush: bool | None = None


class CloseConnection(RequestModel):
    text: Literal[""]


class Alignment(ResponseModel):
    charStartTimesMs: list[float]
    charDurationsMs: list[float] | None = None
    chars: list[str]


class AudioOutput(ResponseModel):
    audio: str | None
    normalizedAlignment: Alignment | None = None
    alignment: Alignment | None = None
    isFinal: bool | None = None


class FinalOutput(ResponseModel):
    isFinal: Literal[True]


class ErrorOutput(ResponseModel):
    message: str
    error: str
    code: int | str | None = None


# --- the multi-stream-input socket's messages (source: sdk, MULTI_REFERENCE) -------------------------------------


class InitializeContext(RequestModel):
    """The first message of a context: a blank text, its `context_id`, its settings."""

    text: Literal[" "]
    context_id: str | None = None
    voice_settings: VoiceSettings | None = None
    generation_config: GenerationConfig | None = None
    pronunciation_dictionary_locators: list[dict[str, Any]] | None = None
    xi_api_key: str | None = None


class SendContextText(RequestModel):
    """Text for a context ("" keeps it alive)."""

    text: str
    context_id: str | None = None
    flush: bool | None = None
    try_trigger_generation: bool | None = None


class FlushContext(RequestModel):
    context_id: str | None = None
    flush: Literal[True]
    text: str | None = None


class CloseContext(RequestModel):
    context_id: str | None = None
    close_context: Literal[True]


class CloseSocket(RequestModel):
    close_socket: Literal[True]


class ContextAudioOutput(AudioOutput):
    contextId: str | None = None


class ContextFinalOutput(FinalOutput):
    contextId: str | None = None


# --- the Text to Dialogue socket's messages (source: client; sockets.TEXT_TO_DIALOGUE) ---------------------------


class DialogueInit(RequestModel):
    """The first message: the voices the connection speaks in (`{"voices": [voice_id]}`), the key where no header
    carries it, and the voices' settings, as independent clients send it."""

    voices: list[str] = Field(min_length=1)
    xi_api_key: str | None = None
    voice_settings: VoiceSettings | None = None


class DialogueInput(RequestModel):
    text: str
    voice_id: str = Field(min_length=1)
    new_turn: bool | None = None  # a turn starts where the voice changes, or where this says so


class DialogueInputs(RequestModel):
    """Text for the dialogue: `{"inputs": [{"text", "voice_id", "new_turn"?}]}` (a `flush` speaks it now)."""

    inputs: list[DialogueInput] = Field(min_length=1)
    flush: bool | None = None


class DialogueFlush(RequestModel):
    """A flush: `{"flush": true}` alone, or beside inputs ("Force generation of buffered text without closing the
    connection": the official SDK's TextToDialogueWebsocketClientMessage)."""

    flush: Literal[True]
    inputs: list[DialogueInput] | None = None


class DialogueKeepAlive(RequestModel):
    """`{"keep_alive": true}`: "Resets the 20s inactivity timer; performs no synthesis" (the official SDK's
    TextToDialogueWebsocketClientMessage)."""

    keep_alive: Literal[True]


class DialogueAudio(ResponseModel):
    audio: str


class DialogueTurnDone(ResponseModel):
    is_final_audio_for_turn: Literal[True]


class DialogueFinal(ResponseModel):
    is_final: Literal[True]
