"""Azure AI Speech text to speech (REST), as its reference writes it.

    POST https://{region}.tts.speech.microsoft.com/cognitiveservices/v1
        Ocp-Apim-Subscription-Key: KEY   (or Authorization: Bearer TOKEN)
        Content-Type: application/ssml+xml   X-Microsoft-OutputFormat: riff-24khz-16bit-mono-pcm
        <speak version='1.0' xml:lang='en-US'><voice xml:lang='en-US' name='en-US-AvaMultilingualNeural'>
            ...</voice></speak>
        200: the audio in the asked format; errors: 400, 401, 415, 429, 502 with no body
    GET  https://{region}.tts.speech.microsoft.com/cognitiveservices/voices/list
        200: [{"Name", "DisplayName", "LocalName", "ShortName", "Gender", "Locale", "LocaleName",
               "SampleRateHertz", "VoiceType", "Status", "WordsPerMinute"}]
    POST https://{region}.api.cognitive.microsoft.com/sts/v1.0/issueToken   Ocp-Apim-Subscription-Key: KEY
        200: the access token, as text ("valid for 10 minutes")

The request model holds what the SSML document and the headers carry: the text, the voice, the language
(rendered into the document by `harness.core.ssml.SSML_BODY`) and the output format (the header).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, RootModel

from harness.core.spec import RequestModel, ResponseModel

REFERENCE = "https://learn.microsoft.com/azure/ai-services/speech-service/rest-text-to-speech"
SSML_REFERENCE = "https://learn.microsoft.com/azure/ai-services/speech-service/speech-synthesis-markup-structure"
PRICING = "https://azure.microsoft.com/pricing/details/cognitive-services/speech-services/"

# "The maximum audio length of the REST API is 10 minutes"; the SSML request itself is bounded by the service's
# "Maximum request size: 64 KB" (Speech service quotas and limits): the text inside it, at most that.
MAX_SSML_BYTES = 64 * 1024

# X-Microsoft-OutputFormat: every value the reference lists (streaming, then non-streaming riff-*).
OUTPUT_FORMATS = (
    "amr-wb-16000hz",
    "audio-16khz-16bit-32kbps-mono-opus",
    "audio-16khz-32kbitrate-mono-mp3",
    "audio-16khz-64kbitrate-mono-mp3",
    "audio-16khz-128kbitrate-mono-mp3",
    "audio-24khz-16bit-24kbps-mono-opus",
    "audio-24khz-16bit-48kbps-mono-opus",
    "audio-24khz-48kbitrate-mono-mp3",
    "audio-24khz-96kbitrate-mono-mp3",
    "audio-24khz-160kbitrate-mono-mp3",
    "audio-48khz-96kbitrate-mono-mp3",
    "audio-48khz-192kbitrate-mono-mp3",
    "g722-16khz-64kbps",
    "ogg-16khz-16bit-mono-opus",
    "ogg-24khz-16bit-mono-opus",
    "ogg-48khz-16bit-mono-opus",
    "raw-8khz-8bit-mono-alaw",
    "raw-8khz-8bit-mono-mulaw",
    "raw-8khz-16bit-mono-pcm",
    "raw-16khz-16bit-mono-pcm",
    "raw-16khz-16bit-mono-truesilk",
    "raw-22050hz-16bit-mono-pcm",
    "raw-24khz-16bit-mono-pcm",
    "raw-24khz-16bit-mono-truesilk",
    "raw-44100hz-16bit-mono-pcm",
    "raw-48khz-16bit-mono-pcm",
    "webm-16khz-16bit-mono-opus",
    "webm-24khz-16bit-24kbps-mono-opus",
    "webm-24khz-16bit-mono-opus",
    "riff-8khz-8bit-mono-alaw",
    "riff-8khz-8bit-mono-mulaw",
    "riff-8khz-16bit-mono-pcm",
    "riff-16khz-16bit-mono-pcm",
    "riff-22050hz-16bit-mono-pcm",
    "riff-24khz-16bit-mono-pcm",
    "riff-44100hz-16bit-mono-pcm",
    "riff-48khz-16bit-mono-pcm",
)
OutputFormat = Literal[OUTPUT_FORMATS]  # type: ignore[valid-type]


class SynthesizeRequest(RequestModel):
    """What one request carries: the SSML document's text, voice and language, and the format header."""

    text: str = Field(
        min_length=1,
        max_length=MAX_SSML_BYTES,
        description="The text the SSML document speaks "
        "(the SSML request is at most 64 KB: Speech service quotas and limits).",
    )
    voice: str = Field(min_length=1)  # <voice name='...'>
    language: str = Field("en-US", min_length=2)  # xml:lang
    output_format: OutputFormat  # the X-Microsoft-OutputFormat header: "Specifies the audio output format."
    # Not a wire field (the wire is the document): "ssml" puts the text into the <voice> element as SSML content
    # (a `<break time="500ms"/>` an element, as the SSML pages show it), "text" escapes it as words.
    text_type: Literal["text", "ssml"] = "text"


class VoiceEntry(ResponseModel):
    Name: str
    DisplayName: str
    LocalName: str
    ShortName: str
    Gender: str
    Locale: str
    LocaleName: str
    SampleRateHertz: str
    VoiceType: str
    Status: str
    WordsPerMinute: str | None = None


class VoiceList(RootModel[list[VoiceEntry]]):
    """The voices list is a JSON array of voices."""


class ErrorBody(ResponseModel):
    """The REST endpoint answers its errors with no body; this stands for a body a proxy may add."""

    message: str | None = None
