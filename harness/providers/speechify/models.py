"""Speechify's wire payloads for `POST /v1/audio/speech`, as its API reference writes them (snake_case JSON).

POST https://api.sws.speechify.com/v1/audio/speech      Authorization: Bearer KEY
    {"input", "voice_id", "audio_format", "language", "model", "options": {"loudness_normalization",
     "text_normalization"}}
    200 {"audio_data": "<base64>", "audio_format", "billable_characters_count", "speech_marks"}
errors: "Error responses include a JSON body with an error field describing the issue."
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from harness.core.spec import RequestModel, ResponseModel

# "Speech": "Gets the speech data for the given input" (the request and response fields below).
REFERENCE = "https://docs.sws.speechify.com/v1/api-reference/api-reference/tts/audio/speech"
# "Introduction": "The Speechify API is a RESTful service at https://api.sws.speechify.com. All requests require an
# API key in the Authorization header. Authorization: Bearer YOUR_API_KEY" and the error statuses 400, 401, 402,
# 429, 500.
INTRODUCTION = "https://docs.sws.speechify.com/api-reference"
# "Convert text into lifelike audio with a single API call. Up to 2,000 characters per request, 20,000 when
# streaming." and the catalogue voices "george, henry, carly, sophia, …".
OVERVIEW = "https://docs.sws.speechify.com/overview"
# Prices: Speechify's API pricing page is not among the stored pages; its Pay-As-You-Go rate is read from a
# transcription of it (api-evangelist/speechify plans, 2026-06-21, "not reconciled"): "from $6-$10 per 1M
# characters (confirm current rate)". The declaration takes the upper figure.
PRICING = "https://speechify.com/pricing-api/"

MAX_INPUT_CHARS = 2000  # "Up to 2,000 characters per request" (the non-streaming endpoint)

# audio_format "Allowed values" are not in the stored page text; the official client (speechify-api 4.0.0,
# GetSpeechRequestAudioFormat) lists "wav", "mp3", "ogg", "aac", "pcm". The reference: "Defaults to wav".
AudioFormat = Literal["wav", "mp3", "ogg", "aac", "pcm"]
# model: "Defaults to simba-english" ... "simba-base and simba-turbo are deprecated. Use simba-english or
# simba-multilingual instead."
SpeechModel = Literal["simba-english", "simba-multilingual"]


class SpeechOptions(RequestModel):
    """ "GetSpeechOptionsRequest is the wrapper for request parameters to the client" (its two switches)."""

    loudness_normalization: bool | None = None
    text_normalization: bool | None = None


class SpeechRequest(RequestModel):
    input: str = Field(
        min_length=1,
        max_length=MAX_INPUT_CHARS,
        description="Plain text or SSML to be synthesized to speech (up to 2,000 characters).",
    )
    voice_id: str = Field(min_length=1, description="Id of the voice to be used for synthesizing speech.")
    audio_format: AudioFormat | None = None
    language: str | None = Field(None, description="Language of the input ... e.g. en-US.")
    model: SpeechModel | None = None
    options: SpeechOptions | None = None


# The stream endpoint: "Character limit 2,000 | 20,000" (speech | stream), "Raw audio chunks"; the Accept header names
# the format: "MP3 audio/mpeg, OGG audio/ogg, AAC audio/aac, PCM audio/pcm ... WAV format is not available for
# streaming" (STREAMING).
STREAMING = "https://docs.sws.speechify.com/tts/guides/streaming"
MAX_STREAM_CHARS = 20_000


class StreamRequest(RequestModel):
    input: str = Field(
        min_length=1, max_length=MAX_STREAM_CHARS, description="Process larger text inputs (up to 20,000 characters)"
    )
    voice_id: str = Field(min_length=1, description="Id of the voice to be used for synthesizing speech.")
    language: str | None = Field(None, description="Language of the input ... e.g. en-US.")
    model: SpeechModel | None = None
    options: SpeechOptions | None = None
    accept: Literal["audio/mpeg", "audio/ogg", "audio/aac", "audio/pcm"] = "audio/mpeg"  # the Accept header


class SpeechResponse(ResponseModel):
    """The reference lists the answer's fields without marking any required (the official client requires all
    but speech_marks). Only the audio is required here: the family's sandbox answer carries the audio alone, and
    a check that the other fields are present against the provider needs the family to write them."""

    audio_data: str  # "Synthesized speech audio, Base64-encoded"
    audio_format: str | None = None  # "The format of the audio data"
    billable_characters_count: int | None = None  # "The number of billable characters processed in the request."
    speech_marks: dict[str, Any] | None = None


class ErrorBody(ResponseModel):
    """ "Error responses include a JSON body with an error field describing the issue.\""""

    error: Any


# POST /v1/audio/stream/with-timestamps, from the official client (speechify-api 4.0.0, source: sdk; read 2026-11-25):
# `AudioClient.stream_with_timestamps` and its docstring ("The response is a Server-Sent Events stream. Each
# `speech.chunk` event carries a Base64-encoded run of audio, the speech marks that became final with it, or both
# ... A terminal `speech.done` event ends the stream"), `SpeechStreamEvent` (speech.chunk {audio, speech_marks},
# speech.done {billable_characters_count, audio_duration_ms}, speech.error {error, request_id}; "The payload's `type`
# field mirrors the `event:` name"), `AudioStreamOutputFormat` and `GetStreamRequestModel`. The stored reference
# pages do not hold this endpoint.
TIMED_STREAM_SDK = (
    "https://pypi.org/project/speechify-api/4.0.0/ (speechify/audio/raw_client.py: stream_with_timestamps)"
)
# "simba-3.0 is now available on POST /v1/audio/speech and POST /v1/audio/stream via the model field. It's the new
# streaming-native voice model" (its example: "voice_id": "george", "model": "simba-3.0"); "Currently English only".
SIMBA_3_CHANGELOG = "https://docs.sws.speechify.com/tts/changelog/2026/5/9"
# output_format: "The output audio format as a `codec_sampleRate_bitrate` string. Takes precedence over the `Accept`
# header when set ... `wav_*` formats are not supported on streaming".
TimedOutputFormat = Literal[
    "pcm_8000",
    "pcm_16000",
    "pcm_22050",
    "pcm_24000",
    "pcm_44100",
    "pcm_48000",
    "mp3_22050_32",
    "mp3_22050_64",
    "mp3_22050_96",
    "mp3_22050_128",
    "mp3_22050_160",
    "mp3_22050_192",
    "mp3_24000_32",
    "mp3_24000_64",
    "mp3_24000_96",
    "mp3_24000_128",
    "mp3_24000_160",
    "mp3_24000_192",
    "ulaw_8000",
    "ogg_24000",
    "aac_24000",
]
# model: "Defaults to `simba-3.0` ... `simba-3.2` is the streaming-native model with the lowest TTFB ...
# `simba-english` and `simba-multilingual` are the legacy Simba 1.6 models" (which "return 400
# `speech_marks_unsupported` here").
TimedStreamModel = Literal["simba-english", "simba-multilingual", "simba-3.0", "simba-3.2"]


class TimedStreamRequest(RequestModel):
    input: str = Field(
        min_length=1, max_length=MAX_STREAM_CHARS, description="Plain text or SSML to be synthesized to speech."
    )
    voice_id: str = Field(min_length=1, description="Id of the voice to be used for synthesizing speech.")
    language: str | None = Field(None, description="Language of the input ... e.g. en-US.")
    model: TimedStreamModel | None = None
    options: SpeechOptions | None = None
    output_format: TimedOutputFormat | None = None


class SpeechStreamEvent(ResponseModel):
    """One event of the stream, its `type` the SSE event's name: speech.chunk (audio, speech marks, or both),
    speech.done (the billed characters and the audio's length) or speech.error (the error envelope)."""

    type: Literal["speech.chunk", "speech.done", "speech.error"]
    audio: str | None = None
    speech_marks: list[Any] | None = None
    billable_characters_count: int | None = None
    audio_duration_ms: int | None = None
    error: Any = None
    request_id: str | None = None
