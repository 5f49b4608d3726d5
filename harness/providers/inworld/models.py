"""Inworld TTS's wire payloads for its non-streaming synthesis, as its REST reference writes them (camelCase JSON).

POST https://api.inworld.ai/tts/v1/voice        Authorization: Basic <Base64 credential>
    {"text", "voiceId", "modelId", "audioConfig": {"audioEncoding", "sampleRateHertz", "bitRate",
     "speakingRate"}, "temperature", "timestampType", "applyTextNormalization"}
    200 {"audioContent": "<base64>", "usage": {"processedCharactersCount", "modelId"}, "timestampInfo"}
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from harness.core.spec import RequestModel, ResponseModel

# "Synthesize speech": "Receive results after all text input has been processed." (the request fields below)
REFERENCE = "https://docs.inworld.ai/api-reference/ttsAPI/texttospeech/synthesize-speech"
# "Make your first TTS API request": the non-streaming request (`text`, `voiceId` "Ashley", `modelId`
# "inworld-tts-1.5-max", no audioConfig) with "Authorization": f"Basic {os.getenv('INWORLD_API_KEY')}", the key
# being the Portal's "Base64 credentials" copied as-is.
QUICKSTART = "https://docs.inworld.ai/docs/quickstart-tts"
# Prices: Inworld's own pricing page is not among the stored pages. Its figures are read from a transcription
# that cites Inworld ("On-demand pricing starts at $5 per million characters ... for TTS-1.5 Mini and $10 per
# million characters ... for TTS-1.5 Max"), matched by WaveSpeed's "$0.005 per 1,000 characters" for Mini
# ("at half the cost" of Max). The page the prices belong to:
PRICING = "https://inworld.ai/pricing"

MAX_TEXT_CHARS = 2000  # text: "The text to be synthesized into speech. Maximum input of 2,000 characters."

# The offerings' two, and the known models the declaration takes beyond them (declaration.KNOWN_MODELS: the TTS models
# page's previous generation, and inworld-tts-2, which clients send by default).
ModelId = Literal["inworld-tts-1.5-max", "inworld-tts-1.5-mini", "inworld-tts-1-max", "inworld-tts-1", "inworld-tts-2"]
# audioEncoding: the values the declaration can say the bytes of. LINEAR16 answers a WAV file (the reference's
# example audioContent starts "UklGR", i.e. "RIFF"); MP3, OGG_OPUS (Opus in Ogg) and FLAC name themselves.
# A transcription of Inworld's schema also lists ALAW, MULAW, PCM and WAV; the stored reference text does not
# say whether ALAW, MULAW and WAV carry a header or at what rate, so the sandbox answers them as it assumes, with a
# finding (declaration.FORMATS). PCM: the bidirectional socket takes it (Inworld's own example, source: sdk), and the
# stream reference names it ("If using PCM, every chunk ..."), so the HTTP endpoints take it as the socket does.
AudioEncoding = Literal["LINEAR16", "MP3", "OGG_OPUS", "FLAC", "PCM", "ALAW", "MULAW", "WAV"]


class AudioConfig(RequestModel):
    """ "Configurations to use when synthesizing speech.\""""

    audioEncoding: AudioEncoding | None = None
    sampleRateHertz: int | None = Field(
        None, ge=8000, le=48000, description="The sample rate of the audio, 8000 to 48000 (default 48000)."
    )
    bitRate: int | None = Field(None, gt=0, description="Bits per second of compressed encodings (default 128000).")
    speakingRate: float | None = Field(None, ge=0.5, le=1.5, description="Speaking rate, 0.5 to 1.5 (default 1.0).")


class SynthesizeSpeechRequest(RequestModel):
    text: str = Field(
        min_length=1,
        max_length=MAX_TEXT_CHARS,
        description="The text to be synthesized into speech. Maximum input of 2,000 characters.",
    )
    voiceId: str = Field(min_length=1, description="The ID of the voice to use for synthesizing speech.")
    modelId: ModelId
    audioConfig: AudioConfig | None = None
    temperature: float | None = Field(
        None,
        gt=0,
        le=2,
        description="Determines the degree of randomness when sampling audio tokens "
        "to generate the response. Defaults to 1.1. Accepts values between 0 and 2.",
    )
    timestampType: Literal["TIMESTAMP_TYPE_UNSPECIFIED", "WORD", "CHARACTER"] | None = None
    applyTextNormalization: Literal["APPLY_TEXT_NORMALIZATION_UNSPECIFIED", "ON", "OFF"] | None = None


class Usage(ResponseModel):
    processedCharactersCount: int | None = None
    modelId: str | None = None


class SynthesizeSpeechResponse(ResponseModel):
    # "The audio data bytes encoded in the format as specified in the request. For encodings that are wrapped in
    # containers (e.g. MP3, OGG_OPUS) ..." — base64 in JSON.
    audioContent: str
    usage: Usage | None = None
    timestampInfo: dict[str, Any] | None = None


# "Synthesize speech (stream): Receive audio chunks as they are individually processed ... A successful response
# returns a stream of objects", each {"result": SynthesizeSpeechResponse} (STREAM_REFERENCE, its OpenAPI).
STREAM_REFERENCE = "https://docs.inworld.ai/api-reference/ttsAPI/texttospeech/synthesize-speech-stream"


class StreamChunk(ResponseModel):
    result: SynthesizeSpeechResponse


class ErrorBody(ResponseModel):
    """The stored reference shows no error body. Inworld's REST API is a gRPC transcoding (`/tts/v1/voice:stream`),
    whose gateway writes `{"code", "message", "details"}` (google.rpc.Status): that is the shape declared, marked as
    not quoted from a stored page (declaration.DOC_DRIFT)."""

    code: int | str | None = None
    message: str
    details: list[Any] | None = None
