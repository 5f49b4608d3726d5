"""LMNT's wire payloads for `POST /v1/ai/speech/bytes`, as its API reference writes them (the reference's text is
carried by the official client `lmnt` 2.13.0, generated from it: `SpeechResource.generate`, `ErrorBody`).

    POST https://api.lmnt.com/v1/ai/speech/bytes      X-API-Key: KEY   lmnt-version: 1.2
        {"text", "voice", "model", "format", "language", "sample_rate", "temperature", "top_p", "debug"}
        200: the audio as the body ("streams the audio as binary data chunks in real-time as they are generated")
    errors: {"message", "type"}
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from harness.core.spec import RequestModel, ResponseModel

# "Generate speech stream": POST /v1/ai/speech/bytes (the request fields below).
REFERENCE = "https://docs.lmnt.com/api-reference/speech/generate-speech-stream"
# "Using the API": "a RESTful API at https://api.lmnt.com"; headers X-API-Key (required) and lmnt-version (required).
OVERVIEW = "https://docs.lmnt.com/api/overview"
# Pricing: LMNT's pricing page is not among the stored pages; a transcription of it (api-evangelist/lmnt finops,
# 2026-06-12): Indie 200,000 characters included, overage $0.05 per 1,000; Pro 1,250,000, $0.045; Premium
# 5,700,000, $0.035. No pay-as-you-go rate: the declaration takes the Indie overage, $50 per 1M characters.
PRICING = "https://www.lmnt.com/pricing"

MAX_TEXT_CHARS = 5000  # text: "max 5000 characters per request (including spaces)"

# format: "Streamable formats: mp3 (96kbps MP3 audio), ulaw (8-bit G711 µ-law audio with a WAV header), webm (WebM
# format with Opus audio codec), pcm_s16le, pcm_f32le. Non-streamable formats: aac, wav (16-bit PCM audio in WAV
# container)."
AudioFormat = Literal["aac", "mp3", "ulaw", "wav", "webm", "pcm_s16le", "pcm_f32le"]
Language = Literal[
    "auto",
    "ar",
    "as",
    "bn",
    "cs",
    "da",
    "de",
    "en",
    "es",
    "fi",
    "fr",
    "hi",
    "id",
    "it",
    "ja",
    "ko",
    "ml",
    "mr",
    "nl",
    "pl",
    "pt",
    "ru",
    "sk",
    "sv",
    "ta",
    "te",
    "th",
    "tr",
    "uk",
    "ur",
    "vi",
    "zh",
]


class SpeechRequest(RequestModel):
    text: str = Field(
        min_length=1,
        max_length=MAX_TEXT_CHARS,
        description="The text to generate speech from; max 5000 characters per request (including spaces).",
    )
    voice: str = Field(min_length=1, description="The voice id of the voice to use.")
    model: Literal["blizzard", "aurora"] | None = None  # aurora: an alias of blizzard (declaration.KNOWN_MODELS)
    format: AudioFormat | None = None
    language: Language | None = None  # "Defaults to auto language detection"
    # "Defaults to 24000 for all formats except mulaw which defaults to 8000."
    sample_rate: Literal[8000, 16000, 24000] | None = None
    temperature: float | None = Field(None, ge=0, description="Lower values (like 0.3) ... higher (like 1.0).")
    top_p: float | None = Field(None, ge=0, le=1, description="Controls the stability of the generated speech.")
    debug: bool | None = None


# "Generate speech (detailed)": POST /v1/ai/speech, "returns a JSON object that contains a base64-encoded audio string
# and optionally word-level timestamps. This endpoint waits for all speech to be generated before responding" (the
# official client's `speech.generate_detailed`, generated from LMNT's openapi.yaml#/paths/v1/ai/speech/post; source:
# sdk). The stored reference pages describe the bytes endpoint; the timing guide below describes this one's times.
DETAILED_SDK = (
    "https://pypi.org/project/lmnt/2.13.0/ (lmnt/resources/speech.py: generate_detailed, "
    "lmnt/types/speech_generate_detailed_response.py)"
)
TIMING_GUIDE = "https://docs.lmnt.com/guides/timing-and-synchronization"


class DetailedRequest(SpeechRequest):
    """SpeechGenerateDetailedParams: the bytes endpoint's fields and `return_timestamps`: "If set as `true`, the
    response will contain a `timestamps` array describing where each input element falls in the generated audio"."""

    model: Literal["blizzard", "aurora"] | None = None  # the client's Literal["blizzard"]; aurora its alias
    return_timestamps: bool | None = None


class DetailedTimestamp(ResponseModel):
    """SpeechGenerateDetailedResponse.Timestamp."""

    text: str  # "The generated input element; beginning and ending with a short silence."
    start: float  # "The start time of the generated input element, in seconds."
    duration: float  # "The spoken duration of the generated input element, in seconds."


class DetailedResponse(ResponseModel):
    audio: str  # "The base64-encoded audio file; the format is determined by the `format` parameter."
    # "An array describing where each generated input element (words and non-words like spaces, punctuation, etc.)
    # falls in the audio."
    timestamps: list[DetailedTimestamp] | None = None


class ErrorBody(ResponseModel):
    """ErrorBody: "message: Human-readable error message; type: Slug identifying the error category"."""

    message: str
    type: Literal[
        "invalid_request_error",
        "authentication_error",
        "permission_error",
        "not_found_error",
        "payment_required_error",
        "rate_limit_error",
        "internal_server_error",
    ]


# --- the speech session WebSocket ---------------------------------------------------------------------------------
# "Our streaming WebSocket API endpoint: wss://api.lmnt.com/v1/ai/speech/stream ... a bidirectional protocol that
# sends both text and binary data" (the reference's "Speech session (WebSocket)"). The stored reference page writes
# an older grammar ({"text"}, {"flush": true}, {"eof": true}, no type field); the official client `lmnt` 2.13.0,
# "Generated by carbonsteel ... Source: asyncapi.yaml" (lmnt/resources/sessions.py, lmnt/types/speech_session_*.py),
# speaks the one below, and the declaration follows it (source: sdk): every message typed; the server answers the
# init with `ready`, a flush with `flush_complete` once its audio is out, and closes after `finish` ("Inform the
# server you're done appending text to this session and want it to close when the server has finished dispatching
# speech"); audio as binary frames; errors {"type": "error", "error": ErrorBody, "request_id"}.
SESSION_REFERENCE = "https://docs.lmnt.com/api-reference/speech/streaming"
SESSION_GUIDE = "https://docs.lmnt.com/getting-started/streaming-example"
SESSION_SDK = "https://pypi.org/project/lmnt/2.13.0/ (lmnt/resources/sessions.py, generated from LMNT's asyncapi.yaml)"
API_VERSION = "1.2"  # lmnt/_api_version.py: LMNT_API_VERSION, sent as the init's "lmnt-version"


class SessionInit(RequestModel):
    """SpeechSessionInit (source: sdk): "X-API-Key: Your API key obtained from your account page"."""

    x_api_key: str = Field(alias="X-API-Key", min_length=1)
    type: Literal["init"] | None = None
    voice: str = Field(min_length=1, description="The voice ID to use for speech generation")
    format: Literal["mp3", "pcm_s16le", "pcm_f32le", "ulaw", "webm"] | None = None
    language: Language | None = None
    lmnt_version: str | None = Field(None, alias="lmnt-version")
    return_timestamps: bool | None = None
    sample_rate: Literal[24000, 16000, 8000] | None = None


class SessionText(RequestModel):
    type: Literal["text"]
    text: str


class SessionFlush(RequestModel):
    type: Literal["flush"]
    nonce: int


class SessionFinish(RequestModel):
    type: Literal["finish"]


class SessionReady(ResponseModel):
    type: Literal["ready"]
    request_id: str  # "Per-session request ID"


class SessionFlushComplete(ResponseModel):
    type: Literal["flush_complete"]
    nonce: int  # "The nonce that was carried by the original `flush`."


class Timestamp(ResponseModel):
    """Timestamp (source: sdk; lmnt/types/timestamp.py, "Source: asyncapi.yaml#/components/schemas/session/timestamp";
    the detailed answer's own, lmnt/types/speech_generate_detailed_response.py, has the same fields)."""

    text: str  # "The text segment"
    start: float  # "The time at which the text starts, in seconds"
    duration: float  # "The spoken duration of the text segment, in seconds"


class SessionTimestamps(ResponseModel):
    """SpeechSessionTimestamps (source: sdk): "Array of timestamp objects, one per generated text token. Start times
    are cumulative, and reset to 0.0 after a `flush` or `reset`."."""

    type: Literal["timestamps"]
    timestamps: list[Timestamp] | None = None


class SessionError(ResponseModel):
    type: Literal["error"]
    error: ErrorBody
    request_id: str
