"""Gemini text to speech as its guide describes it, in the HTTP speech family's terms: generateContent with audio
output, the model in the path, base64 PCM at `/candidates/0/content/parts/0/inlineData/data` beside its mimeType,
the `x-goog-api-key` header, Google's error body; and streamGenerateContent (`?alt=sse`), each event the same answer
with a piece of the audio, as the official client calls it. Priced per token, which a request alone does not give:
unpriced. Its Live API's WebSocket (a speech-to-speech model asked to say the text) is `sockets.py`.
"""

from __future__ import annotations

from harness.core.evidence import DOCUMENTS, Evidence, EvidenceSource
from harness.core.prices.units import Unit
from harness.core.protocols.billing import BilledSignal
from harness.core.protocols.catalogues import KnownModel
from harness.core.protocols.http_speech import (
    ErrorShape,
    Format,
    FormatWords,
    Model,
    Slots,
    SpeechRefusal,
    SpeechRefusals,
    SpeechService,
    Synthesis,
    Voice,
)
from harness.core.protocols.realtime_grammar import AudioSpec
from harness.core.protocols.websocket_speech import with_sockets
from harness.core.spec import (
    AudioAt,
    Auth,
    BodyKind,
    DocDrift,
    Endpoint,
    EventMark,
    EventStreamBody,
    JsonBody,
    Response,
    Role,
)
from harness.providers.gemini.models import (
    CLOUD_GUIDE,
    GUIDE,
    PRICING,
    RESPONSE_EXAMPLE,
    SDK,
    SDK_STREAM,
    ErrorBody,
    GenerateSpeechRequest,
    GenerateSpeechResponse,
    StreamSpeechRequest,
)
from harness.providers.gemini.sockets import GENAI_INTERRUPTED, SOCKETS

HOST = "api"
RATE = 24000
LABEL = "audio/L16;codec=pcm;rate=24000"  # what the answer's inlineData.mimeType says
# The bytes are little-endian 16-bit samples: the guide's own sample writes them straight into a WAV file (a WAV's
# samples are little-endian), whatever RFC 2586's "L16" (network byte order) would say. Read as such.
PCM = f"audio/pcm;rate={RATE}"

VOICE_SLOT = "/generationConfig/speechConfig/voiceConfig/prebuiltVoiceConfig/voiceName"
FORMATS = (Format(name="pcm", spec=AudioSpec("pcm_s16le", RATE, "raw"), media_type=PCM),)


def _error(status: int, words: str) -> Response:
    return Response(status=status, bodies=(JsonBody(ErrorBody),), description=words, inferred=True)


GENERATE = Endpoint(
    key="models.generate_content",
    method="POST",
    path="/v1beta/models/{model}:generateContent",
    host=HOST,
    role=Role.AUDIO,
    summary="generateContent with audio output: the speech as base64 PCM in inlineData",
    request=GenerateSpeechRequest,
    body_kind=BodyKind.JSON,
    responses=(
        Response(
            status=200,
            bodies=(
                JsonBody(
                    GenerateSpeechResponse,
                    audio=AudioAt("/candidates/0/content/parts/0/inlineData/data", media_type=PCM),
                ),
            ),
            description="GenerateContentResponse",
        ),
        _error(400, "INVALID_ARGUMENT (a bad API key included)"),
        _error(403, "PERMISSION_DENIED"),
        _error(404, "NOT_FOUND: a model that does not exist"),
        _error(429, "RESOURCE_EXHAUSTED"),
        _error(500, "INTERNAL"),
    ),
    example={
        "model": "gemini-3.8-flash-tts",
        "contents": [{"parts": [{"text": "Say cheerfully: Have a wonderful day!"}]}],
        "generationConfig": {
            "responseModalities": ["AUDIO"],
            "speechConfig": {"voiceConfig": {"prebuiltVoiceConfig": {"voiceName": "Kore"}}},
        },
    },
    doc=GUIDE,
)

AUDIO_AT = "/candidates/0/content/parts/0/inlineData/data"
# "It is null while a streamed response is still in progress, and set on the chunk that ends it." (Google's Kotlin
# client, GenerateContentResponse.finishReason: source: sdk). The event carrying it ends the stream, whatever the
# reason: audio after it is no part of the answer. No stored page shows a streamed speech answer, so a stream that
# never says it is not refused for that.
FINISH_REFERENCE = (
    "https://googleapis.github.io/kotlin-genai/google-genai-kotlin/com.google.genai.kotlin.types/"
    "-generate-content-response/finish-reason.html"
)
FINISHED = EventMark(present=("/candidates/0/finishReason",), required=False)
SAYS = FormatWords(media_type="/candidates/0/content/parts/0/inlineData/mimeType")  # the rate of its samples
ERRORS = GENERATE.responses[1:]

STREAM = Endpoint(
    key="models.stream_generate_content",
    method="POST",
    path="/v1beta/models/{model}:streamGenerateContent",
    host=HOST,
    role=Role.STREAM,
    query_fields=("alt",),
    summary="streamGenerateContent with audio output (alt=sse): each event a GenerateContentResponse with a piece of "
    "the speech as base64 PCM",
    request=StreamSpeechRequest,
    body_kind=BodyKind.JSON,
    responses=(
        Response(
            status=200,
            bodies=(EventStreamBody(GenerateSpeechResponse, audio=AudioAt(AUDIO_AT, media_type=PCM), last=FINISHED),),
            description="A stream of GenerateContentResponse",
        ),
        *ERRORS,
    ),
    example={
        "model": "gemini-3.8-flash-tts",
        "alt": "sse",
        "contents": [{"parts": [{"text": "Say cheerfully: Have a wonderful day!"}]}],
        "generationConfig": {
            "responseModalities": ["AUDIO"],
            "speechConfig": {"voiceConfig": {"prebuiltVoiceConfig": {"voiceName": "Kore"}}},
        },
    },
    doc=SDK_STREAM,
)

# Prebuilt voices the guide's examples name (Kore, Puck) and others of its voice list.
VOICE_LIST = tuple(
    Voice(name, "en-US")
    for name in (
        "Kore",
        "Puck",
        "Zephyr",
        "Charon",
        "Fenrir",
        "Leda",
        # The rest of the 30 prebuilt voices, as clients list them (read 2026-11-25; no stored Google page shows the
        # whole
        # list): LiveKit Agents' Google plugin (agents-js reference, google.beta.realtime.Voice: "Achernar" | "Achird" |
        # ... | "Zubenelgenubi", "Available voice options"), the same 30 as WaveSpeed's Gemini 3.8 Flash-Lite TTS page
        # ("voice ... Prebuilt voice for single-speaker speech ... Options: \"Achernar\", \"Achird\", ...").
        "Achernar",
        "Achird",
        "Algenib",
        "Algieba",
        "Alnilam",
        "Aoede",
        "Autonoe",
        "Callirrhoe",
        "Despina",
        "Enceladus",
        "Erinome",
        "Gacrux",
        "Iapetus",
        "Laomedeia",
        "Orus",
        "Pulcherrima",
        "Rasalgethi",
        "Sadachbia",
        "Sadaltager",
        "Schedar",
        "Sulafat",
        "Umbriel",
        "Vindemiatrix",
        "Zubenelgenubi",
    )
)


# The languages: the v1beta SpeechConfig.languageCode's valid values as a client generated from the API's schema carries
# them (geminix 0.2.0, https://hexdocs.pm/geminix/Geminix.V1beta.SpeechConfig.html, read 2026-11-26: "Valid values are:
# de-DE, en-AU, ... and th-TH"); the speech-generation guide's own list is not among the stored pages, and later models
# are said to speak more. The text decides (the request's languageCode is optional and not sent).
LANGUAGES = (
    "en-US",
    "en-AU",
    "en-GB",
    "en-IN",
    "de-DE",
    "es-US",
    "es-ES",
    "fr-FR",
    "fr-CA",
    "hi-IN",
    "pt-BR",
    "ar-XA",
    "id-ID",
    "it-IT",
    "ja-JP",
    "tr-TR",
    "vi-VN",
    "bn-IN",
    "gu-IN",
    "kn-IN",
    "ml-IN",
    "mr-IN",
    "ta-IN",
    "te-IN",
    "nl-NL",
    "ko-KR",
    "cmn-CN",
    "pl-PL",
    "ru-RU",
    "th-TH",
)
LANGUAGES_SOURCE = (
    "SpeechConfig.languageCode's valid values (v1beta), as geminix 0.2.0 carries them: "
    "https://hexdocs.pm/geminix/Geminix.V1beta.SpeechConfig.html (read 2026-11-26; source: client)"
)


def _model(name: str, words: str) -> Model:
    return Model(
        name=name,
        synthesis=GENERATE.key,
        voice="Kore",
        languages=LANGUAGES,
        languages_source=LANGUAGES_SOURCE,
        description=f"{words} (voice Kore)",
    )


def _streamed(name: str, words: str) -> Model:
    """The same model over streamGenerateContent: its own offering, the request naming the model as it is."""
    return Model(
        name=f"{name}-stream",
        synthesis=STREAM.key,
        voice="Kore",
        sets={"/model": name},
        languages=LANGUAGES,
        languages_source=LANGUAGES_SOURCE,
        description=f"{words} over streamGenerateContent (voice Kore)",
    )


MODELS = (
    _model("gemini-3.8-flash-tts", "Gemini 3.8 Flash TTS"),
    _model("gemini-3.8-flash-lite-tts", "Gemini 3.8 Flash-Lite TTS"),
    _model("gemini-2.5-flash-preview-tts", "Gemini 2.5 Flash Preview TTS (shut down 2026-12-18)"),
    # Google Cloud's page marks both 3.8 models as streaming; the 2.5 preview's streaming is not stated.
    _streamed("gemini-3.8-flash-tts", "Gemini 3.8 Flash TTS"),
    _streamed("gemini-3.8-flash-lite-tts", "Gemini 3.8 Flash-Lite TTS"),
)

# Model codes the references list beyond the offerings (read 2026-11-25), taken and spoken like the offering of their
# generation, unpriced. The 3.1 preview's page (FLASH_3_1_PAGE): "`gemini-3.1-flash-tts-preview` is a legacy preview
# model. For new and production workloads, migrate to Gemini 3.8 Flash TTS"; "Model code gemini-3.1-flash-tts-preview";
# it is Pipecat's default (pipecat-ai 1.14.0, GeminiTTSService: model="gemini-3.1-flash-tts-preview"). The models
# page (MODELS_PAGE, its Spanish edition the stored one): "TTS de la versión preliminar de Gemini 2.5 Pro
# gemini-2.5-pro-preview-tts".
FLASH_3_1_PAGE = "https://ai.google.dev/gemini-api/docs/models/gemini-3.1-flash-tts-preview"
MODELS_PAGE = "https://ai.google.dev/gemini-api/docs/models/gemini-v2?hl=nl"
KNOWN_MODELS = (
    KnownModel(
        name="gemini-3.1-flash-tts-preview",
        like="gemini-3.8-flash-tts",
        words='"Model code gemini-3.1-flash-tts-preview"; "a legacy preview model" (' + FLASH_3_1_PAGE + ", read "
        '2026-11-25); GeminiTTSService(model="gemini-3.1-flash-tts-preview") (pipecat-ai 1.14.0)',
        evidence=(DOCUMENTS, Evidence(EvidenceSource.CLIENT, "pipecat-ai==1.14.0", "GeminiTTSService")),
    ),
    KnownModel(
        name="gemini-2.5-pro-preview-tts",
        like="gemini-2.5-flash-preview-tts",
        words='"TTS de la versión preliminar de Gemini 2.5 Pro gemini-2.5-pro-preview-tts" ('
        + MODELS_PAGE
        + ", read 2026-11-25)",
    ),
)

REFUSALS = SpeechRefusals(
    invalid=SpeechRefusal(400, "INVALID_ARGUMENT", "Invalid value: {detail}"),
    missing_key=SpeechRefusal(
        403,
        "PERMISSION_DENIED",
        "Method doesn't allow unregistered callers (callers without "
        "established identity). Please use API Key or other form of API consumer identity to call "
        "this API.",
    ),
    bad_key=SpeechRefusal(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key."),
    unknown_voice=SpeechRefusal(400, "INVALID_ARGUMENT", "Voice name {detail} is not supported."),
    unknown_model=SpeechRefusal(
        404,
        "NOT_FOUND",
        "models/{detail} is not found for API version v1beta, or is not supported for generateContent.",
    ),
    rate_limited=SpeechRefusal(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota)."),
    quota=SpeechRefusal(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota."),
    not_found=SpeechRefusal(404, "NOT_FOUND", "The requested URL {detail} was not found on this server."),
    busy=SpeechRefusal(503, "UNAVAILABLE", "The model is overloaded. Please try again later."),
    server_error=SpeechRefusal(500, "INTERNAL", "An internal error has occurred."),
)

# The tokens a generation was billed (usageMetadata: the text read, the audio written; gemini.toml prices both). A
# stream's counts are read from its last chunk carrying them (which chunk carries the final counts is not stated).
_TOKENS = (
    '"Use the usageMetadata attribute on the response object after calling generate_content. This returns the '
    "total number of tokens in both the input and the output: totalTokenCount. It also returns the token counts "
    "of the input and output separately: promptTokenCount (input tokens) and candidatesTokenCount (output "
    'tokens)." (ai.google.dev/gemini-api/docs/tokens)'
)
BILLING = (
    BilledSignal(unit=Unit.TEXT_TOKENS, at="/usageMetadata/promptTokenCount", evidence=_TOKENS),
    BilledSignal(unit=Unit.AUDIO_TOKENS, at="/usageMetadata/candidatesTokenCount", evidence=_TOKENS),
)


SERVICE = SpeechService(
    name="gemini",
    title="Gemini API speech generation (generateContent and streamGenerateContent, audio output)",
    hosts={HOST: "https://generativelanguage.googleapis.com"},
    auth=Auth(header="x-goog-api-key", others=(Auth(header="", query="key"),)),
    key_env="GEMINI_API_KEY",
    docs=(
        GUIDE,
        PRICING,
        SDK,
        RESPONSE_EXAMPLE,
        SDK_STREAM,
        CLOUD_GUIDE,
        FINISH_REFERENCE,
        GENAI_INTERRUPTED,
    ),  # the Live socket's interruption (sockets.py)
    error_model=ErrorBody,
    errors=ErrorShape({"error": {"code": "{status}", "message": "{message}", "status": "{code}"}}),
    refusals=REFUSALS,
    syntheses=(
        Synthesis(
            endpoint=GENERATE,
            slots=Slots(text="/contents/0/parts/0/text", voice=VOICE_SLOT, model="/model"),
            formats=FORMATS,
            default_format="pcm",
            template={"generationConfig": {"responseModalities": ["AUDIO"]}},
            answer={
                "candidates": [
                    {
                        "content": {"role": "model", "parts": [{"inlineData": {"mimeType": LABEL}}]},
                        "finishReason": "STOP",
                        "index": 0,
                    }
                ]
            },
            format_words=SAYS,
            billing=BILLING,
        ),
        Synthesis(
            endpoint=STREAM,
            slots=Slots(text="/contents/0/parts/0/text", voice=VOICE_SLOT, model="/model"),
            formats=FORMATS,
            default_format="pcm",
            template={"alt": "sse", "generationConfig": {"responseModalities": ["AUDIO"]}},
            answer={
                "candidates": [
                    {"content": {"role": "model", "parts": [{"inlineData": {"mimeType": LABEL}}]}, "index": 0}
                ]
            },
            format_words=SAYS,
            billing=BILLING,
        ),
    ),
    models=MODELS,
    voices=VOICE_LIST,
    known_models=KNOWN_MODELS,
    proto3_json=True,
    doc_drift=(
        DocDrift(
            "L16 byte order",
            "The answer labels its audio audio/L16 (network byte order, RFC 2586), "
            "but the guide's sample writes the bytes straight into a WAV file: they are read as "
            "little-endian.",
            (GUIDE, RESPONSE_EXAMPLE),
        ),
        DocDrift(
            "3.8 answer",
            "The stored guide text shows the 3.8 models' requests (speech_metadata, "
            "voice configs) but no answer example: their inlineData is declared as the 2.5 answer shows "
            "it (headerless 24 kHz PCM); an answer in another mimeType is a finding to check.",
            (GUIDE, SDK),
        ),
        DocDrift(
            "streaming",
            "The stored Gemini API guide shows no streamed speech: streamGenerateContent is "
            "declared as the official client calls it (?alt=sse, each event's data a "
            "GenerateContentResponse) and as Google Cloud's page for the same models names it, on its "
            "own host.",
            (SDK_STREAM, CLOUD_GUIDE),
        ),
    ),
)

PROVIDER = with_sockets(SERVICE, SOCKETS)
