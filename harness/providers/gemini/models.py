"""The Gemini API's wire payloads for speech generation, as its guide writes them (GUIDE) and the official client
`google-genai` 3.6.1 types them (source: sdk, google/genai/types.py: SpeechConfig, SpeechMetadata, Part).

    POST https://generativelanguage.googleapis.com/v1beta/models/{model}:generateContent   x-goog-api-key: KEY
        {"contents": [{"parts": [{"text"}]}],
         "generationConfig": {"responseModalities": ["AUDIO"],
                              "speechConfig": {"voiceConfig": {"prebuiltVoiceConfig": {"voiceName": "Kore"}}}}}
        200 {"candidates": [{"content": {"parts": [{"inlineData": {"mimeType": "audio/L16;codec=pcm;rate=24000",
                                                                      "data": base64}}]}}], "usageMetadata"}
    POST …/v1beta/models/{model}:streamGenerateContent?alt=sse    the same body; SSE, each `data:` a
        GenerateContentResponse carrying a piece of the audio (source: sdk)
    errors: {"error": {"code", "message", "status"}} (google.rpc.Status as JSON)
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from harness.core.spec import RequestModel, ResponseModel

GUIDE = "https://ai.google.dev/gemini-api/docs/speech-generation"
PRICING = "https://ai.google.dev/gemini-api/docs/pricing"
SDK = "https://pypi.org/project/google-genai/3.6.1/ (google/genai/types.py)"
RESPONSE_EXAMPLE = "https://apifox.com/apidoc/docs-site/4012774/309448459e0"  # a relay's page quoting the answer
# The streamed call as the official client makes it (source: sdk, google/genai/models.py _generate_content_stream:
# "{model}:streamGenerateContent?alt=sse", each event a GenerateContentResponse read from its `data:` line).
SDK_STREAM = "https://pypi.org/project/google-genai/3.6.1/ (google/genai/models.py: generate_content_stream)"
# Google Cloud's page for the same TTS models names "the generateContent and streamGenerateContent methods" and
# marks them as streaming (on its own host, aiplatform.googleapis.com).
CLOUD_GUIDE = "https://docs.cloud.google.com/gemini-enterprise-agent-platform/models/speech/text-to-speech"


class _Open(RequestModel):
    """The request's nested objects, read as its top level is: a field they do not list is set aside and recorded
    where the documents are silent (the family's unknown-input policy), never passed unseen."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class PrebuiltVoiceConfig(_Open):
    voiceName: str = Field(min_length=1)


class VoiceConfig(_Open):
    prebuiltVoiceConfig: PrebuiltVoiceConfig


class SpeechConfig(_Open):
    voiceConfig: VoiceConfig | None = None
    languageCode: str | None = None
    multiSpeakerVoiceConfig: dict[str, Any] | None = None


class GenerationConfig(_Open):
    responseModalities: list[Literal["AUDIO"]] = Field(min_length=1)
    speechConfig: SpeechConfig


class Part(_Open):
    text: str = Field(min_length=1)
    speechMetadata: dict[str, Any] | None = None


class Content(_Open):
    role: str | None = None
    parts: list[Part] = Field(min_length=1)


class GenerateSpeechRequest(RequestModel):
    model: str = Field(min_length=1)  # in the path: /v1beta/models/{model}:generateContent
    contents: list[Content] = Field(min_length=1)
    generationConfig: GenerationConfig


class StreamSpeechRequest(GenerateSpeechRequest):
    alt: Literal["sse"]  # in the query: each answer a Server-Sent Event (without it, one JSON array at the end)


class InlineData(BaseModel):
    mimeType: str
    data: str


class AnswerPart(BaseModel):
    model_config = ConfigDict(extra="allow")
    inlineData: InlineData | None = None


class AnswerContent(BaseModel):
    model_config = ConfigDict(extra="allow")
    parts: list[AnswerPart]
    role: str | None = None


class Candidate(BaseModel):
    model_config = ConfigDict(extra="allow")
    content: AnswerContent
    finishReason: str | None = None
    index: int | None = None


class GenerateSpeechResponse(ResponseModel):
    candidates: list[Candidate] = Field(min_length=1)
    usageMetadata: dict[str, Any] | None = None
    modelVersion: str | None = None
    responseId: str | None = None


class Status(ResponseModel):
    code: int
    message: str
    status: str
    details: list[dict[str, Any]] | None = None


class ErrorBody(ResponseModel):
    error: Status
