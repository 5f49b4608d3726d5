"""Google Cloud Text-to-Speech v1's wire payloads, as its REST reference writes them (camelCase JSON).

POST https://texttospeech.googleapis.com/v1/text:synthesize
    {"input": {"text"|"ssml"|"markup"}, "voice": {"languageCode", "name", "ssmlGender"},
     "audioConfig": {"audioEncoding", "speakingRate", "pitch", "volumeGainDb", "sampleRateHertz",
                     "effectsProfileId"}}
    200 {"audioContent": "<base64>"}
GET  https://texttospeech.googleapis.com/v1/voices?languageCode=en-US
    200 {"voices": [{"languageCodes", "name", "ssmlGender", "naturalSampleRateHertz"}]}
errors: google.rpc.Status over HTTP, {"error": {"code", "message", "status", "details"}}
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from harness.core.spec import RequestModel, ResponseModel

REFERENCE = "https://cloud.google.com/text-to-speech/docs/reference/rest/v1/text/synthesize"
VOICES_REFERENCE = "https://cloud.google.com/text-to-speech/docs/reference/rest/v1/voices/list"
GEMINI_TTS_PAGE = "https://docs.cloud.google.com/text-to-speech/docs/gemini-tts"
ENCODINGS_REFERENCE = "https://cloud.google.com/text-to-speech/docs/reference/rest/v1/AudioConfig"
ERRORS_REFERENCE = "https://cloud.google.com/apis/design/errors"
# Google's pricing page (cloud.google.com/text-to-speech/pricing) is not in the stored material; the prices quote
# a third-party transcription of it, dated by its own words ("as of 2024-06").
PRICING = "https://bicov.pro/blog/new-google-text-to-speech-cost"

MAX_INPUT_BYTES = 5000  # "The input size is limited to 5000 bytes." (quotas: "Total characters per request")

AudioEncoding = Literal["LINEAR16", "MP3", "OGG_OPUS", "MULAW", "ALAW"]
SsmlGender = Literal["SSML_VOICE_GENDER_UNSPECIFIED", "MALE", "FEMALE", "NEUTRAL"]


class SynthesisInput(RequestModel):
    """ "Contains text input to be synthesized. Either `text` or `ssml` must be supplied.\""""

    text: str | None = Field(
        None,
        min_length=1,
        max_length=MAX_INPUT_BYTES,
        description="The raw text to be synthesized (at most 5000 bytes).",
    )
    ssml: str | None = Field(
        None,
        min_length=1,
        max_length=MAX_INPUT_BYTES,
        description="The SSML document to be synthesized (at most 5000 bytes).",
    )

    @model_validator(mode="after")
    def _one_of(self) -> SynthesisInput:
        if (self.text is None) == (self.ssml is None):
            raise ValueError("input: exactly one of text and ssml must be supplied")
        if len((self.text or self.ssml or "").encode("utf-8")) > MAX_INPUT_BYTES:
            raise ValueError(f"input: at most {MAX_INPUT_BYTES} bytes")
        return self


class VoiceSelectionParams(RequestModel):
    languageCode: str = Field(
        min_length=2,
        description="Required. The language (and potentially also the "
        'region) of the voice expressed as a BCP-47 language tag, e.g. "en-US".',
    )
    name: str | None = None  # "The name of the voice. If both the name and the gender are not set, ..."
    ssmlGender: SsmlGender | None = None
    # Gemini-TTS (GEMINI_TTS_PAGE, read 2026-11-25): "模型 ID gemini-2.5-flash-tts" ... "model: \"gemini-2.5-flash-tts\"
    # ... speaker: \"Kore\""; the official client's VoiceSelectionParams.model_name (google-cloud-texttospeech 2.38.0,
    # field 6, source: sdk), which Pipecat's GeminiTTSService sets (pipecat-ai 1.14.0: model_name=
    # "gemini-3.1-flash-tts-preview", name "Kore"). Any name: no stored page shows one refused.
    modelName: str | None = None


class AudioConfig(RequestModel):
    audioEncoding: AudioEncoding  # "Required. The format of the audio byte stream."
    # The reference's range is [0.25, 2.0] today (it said 4.0 before; the SDKs' generated docs say 2.0 too).
    speakingRate: float | None = Field(
        None,
        ge=0.25,
        le=2.0,
        description="Optional. Input only. Speaking "
        "rate/speed, in the range [0.25, 2.0]. 1.0 is the normal native speed",
    )
    pitch: float | None = Field(
        None, ge=-20.0, le=20.0, description="Optional. Input only. Speaking pitch, in the range [-20.0, 20.0]."
    )
    volumeGainDb: float | None = Field(
        None,
        ge=-96.0,
        le=16.0,
        description="Optional. Input only. Volume "
        "gain (in dB) of the normal native volume supported by the specific "
        "voice, in the range [-96.0, 16.0].",
    )
    sampleRateHertz: int | None = Field(None, gt=0)
    effectsProfileId: list[str] | None = None


class SynthesizeSpeechRequest(RequestModel):
    input: SynthesisInput
    voice: VoiceSelectionParams
    audioConfig: AudioConfig


class SynthesizeSpeechResponse(ResponseModel):
    audioContent: str  # "The audio data bytes encoded as specified in the request ... A base64-encoded string."


# v1beta1's text:synthesize: v1's request and answer, and timepoints at the SSML's <mark>s where asked
# (enableTimePointing: ["SSML_MARK"]). The reference's words, read 2026-11-26; the official client
# google-cloud-texttospeech 2.38.0 (texttospeech_v1beta1/types/cloud_tts.py) has the same fields.
V1BETA1_REFERENCE = "https://cloud.google.com/text-to-speech/docs/reference/rest/v1beta1/text/synthesize"
TIMEPOINT_TYPE_REFERENCE = (
    "https://cloud.google.com/ruby/docs/reference/google-cloud-text_to_speech-v1beta1/latest/"
    "Google-Cloud-TextToSpeech-V1beta1-SynthesizeSpeechRequest-TimepointType"
)
TIMEPOINT_REFERENCE = (
    "https://docs.cloud.google.com/ruby/docs/reference/google-cloud-text_to_speech-v1beta1/latest/"
    "Google-Cloud-TextToSpeech-V1beta1-Timepoint"
)
# "TIMEPOINT_TYPE_UNSPECIFIED: Not specified. No timepoint information will be returned." "SSML_MARK: Timepoint
# information of <mark> tags in SSML input will be returned."
TimepointType = Literal["TIMEPOINT_TYPE_UNSPECIFIED", "SSML_MARK"]


class SynthesizeSpeechRequestV1beta1(SynthesizeSpeechRequest):
    # "enableTimePointing[]: Whether and what timepoints are returned in the response."
    enableTimePointing: list[TimepointType] | None = None
    advancedVoiceOptions: dict[str, Any] | None = None  # "Advanced voice options." (its fields: not used here)


class Timepoint(ResponseModel):
    """Timepoint: "This contains a mapping between a certain point in the input text and a corresponding time in the
    output audio"."""

    markName: str  # "Timepoint name as received from the client within <mark> tag."
    timeSeconds: float  # "Time offset in seconds from the start of the synthesized audio."


class SynthesizeSpeechResponseV1beta1(SynthesizeSpeechResponse):
    # "A link between a position in the original request input and a corresponding time in the output audio. It's
    # only supported via <mark> of SSML input."
    timepoints: list[Timepoint] | None = None
    audioConfig: dict[str, Any] | None = None  # "The audio metadata of audioContent."


class ListVoicesRequest(RequestModel):
    languageCode: str | None = None  # "Optional. Recommended. BCP-47 language tag."


class VoiceEntry(ResponseModel):
    languageCodes: list[str]
    name: str
    ssmlGender: SsmlGender
    naturalSampleRateHertz: int


class ListVoicesResponse(ResponseModel):
    voices: list[VoiceEntry]


class Status(ResponseModel):
    code: int
    message: str
    status: str
    details: list[dict[str, Any]] | None = None


class ErrorBody(ResponseModel):
    """`{"error": {"code": 400, "message": "...", "status": "INVALID_ARGUMENT"}}` (google.rpc.Status as JSON)."""

    error: Status
