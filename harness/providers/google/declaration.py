"""Google Cloud Text-to-Speech as its documents describe it, in the HTTP speech family's terms: one
synthesis endpoint answering base64 audio at `/audioContent`, the voices list, API-key or OAuth auth, the
google.rpc error shape, and the voice types priced per million characters (each voice type is a model); its
gRPC bidirectional streaming synthesis in `streaming` (the gRPC streaming speech family).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from harness.core.protocols.grpc_speech import with_rpcs
from harness.core.protocols.http_speech import (
    ErrorShape,
    Format,
    Listing,
    Model,
    Slots,
    SpeechRefusal,
    SpeechRefusals,
    SpeechService,
    Synthesis,
    Voice,
)
from harness.core.protocols.marks import Marks
from harness.core.protocols.markup import Markup, Syntax, Tag, TagKind
from harness.core.protocols.realtime_grammar import AudioSpec
from harness.core.spec import AudioAt, Auth, BodyKind, DocDrift, Endpoint, JsonBody, Response, Role
from harness.providers.google.models import (
    ENCODINGS_REFERENCE,
    ERRORS_REFERENCE,
    PRICING,
    REFERENCE,
    TIMEPOINT_REFERENCE,
    TIMEPOINT_TYPE_REFERENCE,
    V1BETA1_REFERENCE,
    VOICES_REFERENCE,
    ErrorBody,
    ListVoicesRequest,
    ListVoicesResponse,
    SynthesizeSpeechRequest,
    SynthesizeSpeechRequestV1beta1,
    SynthesizeSpeechResponse,
    SynthesizeSpeechResponseV1beta1,
)
from harness.providers.google.streaming import RPCS

HOST = "api"
RATES = (8000, 11025, 16000, 22050, 24000, 32000, 44100, 48000)  # sampleRateHertz: converted on request

# audioEncoding: "LINEAR16: Uncompressed 16-bit signed little-endian samples (Linear PCM). Audio content
# returned as LINEAR16 also contains a WAV file header." "MP3: MP3 audio at 32kbps." "OGG_OPUS: Opus encoded
# audio wrapped in an ogg container." "MULAW: 8-bit samples that compand 14-bit audio samples using G.711
# PCMU/mu-law. Audio content returned as MULAW also contains a WAV file header." "ALAW: ... G.711 PCMU/A-law.
# Audio content returned as ALAW also contains a WAV file header."
FORMATS = (
    Format(name="LINEAR16", spec=AudioSpec("pcm_s16le", 24000, "wav"), media_type="audio/wav", rates=RATES),
    Format(
        name="MP3",
        spec=AudioSpec("mp3", 24000, "mp3"),
        media_type="audio/mpeg",
        rates=(16000, 22050, 24000, 32000, 44100, 48000),
    ),
    Format(
        name="OGG_OPUS",
        spec=AudioSpec("opus", 48000, "ogg"),
        media_type="audio/ogg",
        rates=(8000, 12000, 16000, 24000, 48000),
    ),
    Format(name="MULAW", spec=AudioSpec("pcm_mulaw", 8000, "wav"), media_type="audio/wav", rates=(8000,)),
    Format(name="ALAW", spec=AudioSpec("pcm_alaw", 8000, "wav"), media_type="audio/wav", rates=(8000,)),
)


def _error(status: int, words: str) -> Response:
    return Response(status=status, bodies=(JsonBody(ErrorBody),), description=words)


ERRORS = (
    _error(400, "INVALID_ARGUMENT: a bad voice, encoding, rate or text"),
    _error(401, "UNAUTHENTICATED: no valid credential"),
    _error(403, "PERMISSION_DENIED: the key may not call the API"),
    _error(429, "RESOURCE_EXHAUSTED: quota"),
    _error(500, "INTERNAL"),
    _error(503, "UNAVAILABLE"),
)
EXAMPLE = {
    "input": {"text": "Android is a mobile operating system developed by Google."},
    "voice": {"languageCode": "en-US", "name": "en-US-Neural2-F"},
    "audioConfig": {"audioEncoding": "MP3"},
}

SYNTHESIZE = Endpoint(
    key="text.synthesize",
    method="POST",
    path="/v1/text:synthesize",
    summary="Synthesizes speech synchronously: base64 audio in audioContent",
    host=HOST,
    role=Role.AUDIO,
    request=SynthesizeSpeechRequest,
    body_kind=BodyKind.JSON,
    responses=(
        Response(
            status=200,
            bodies=(JsonBody(SynthesizeSpeechResponse, audio=AudioAt("/audioContent")),),
            description="SynthesizeSpeechResponse: audioContent, base64",
        ),
        *ERRORS,
    ),
    example=EXAMPLE,
    doc=REFERENCE,
)

# v1beta1's: "POST https://texttospeech.googleapis.com/v1beta1/text:synthesize", the same request with
# enableTimePointing, the same answer with timepoints (and its audioConfig).
SYNTHESIZE_V1BETA1 = Endpoint(
    key="v1beta1.text.synthesize",
    method="POST",
    path="/v1beta1/text:synthesize",
    summary="Synthesizes speech synchronously (v1beta1): base64 audio, and the times of the SSML's marks where asked",
    host=HOST,
    role=Role.AUDIO,
    request=SynthesizeSpeechRequestV1beta1,
    body_kind=BodyKind.JSON,
    responses=(
        Response(
            status=200,
            bodies=(JsonBody(SynthesizeSpeechResponseV1beta1, audio=AudioAt("/audioContent")),),
            description="SynthesizeSpeechResponse: audioContent, base64; timepoints",
        ),
        *ERRORS,
    ),
    example=EXAMPLE,
    doc=V1BETA1_REFERENCE,
)

# Timepoints name the SSML document's <mark>s (not its words): when the voice reaches each, in seconds from the
# audio's start, where the request asks with SSML_MARK. Plain text has no marks, so no timepoints.
TIMEPOINTS = Marks(
    text_at="/markName",
    start_at="/timeSeconds",
    items_at="/timepoints",
    ssml_marks=True,
    asked_by="/enableTimePointing",
    asked_value=["SSML_MARK"],
    evidence='enableTimePointing[]: "Whether and what timepoints are returned in the response."; timepoints[]: "A '
    "link between a position in the original request input and a corresponding time in the output audio. "
    "It's only supported via <mark> of SSML input.\" (" + V1BETA1_REFERENCE + '); "SSML_MARK value: 1 '
    'Timepoint information of <mark> tags in SSML input will be returned." ('
    + TIMEPOINT_TYPE_REFERENCE
    + '); Timepoint mark_name "Timepoint name as received from the client within <mark> tag.", '
    'time_seconds "Time offset in seconds from the start of the synthesized audio." ('
    + TIMEPOINT_REFERENCE
    + ", read 2026-11-26)",
)

VOICES = Endpoint(
    key="voices.list",
    method="GET",
    path="/v1/voices",
    summary="Returns a list of Voice supported for synthesis",
    host=HOST,
    role=Role.OTHER,
    request=ListVoicesRequest,
    body_kind=BodyKind.QUERY,
    responses=(
        Response(status=200, bodies=(JsonBody(ListVoicesResponse),), description="ListVoicesResponse"),
        _error(401, "UNAUTHENTICATED"),
        _error(403, "PERMISSION_DENIED"),
        _error(429, "RESOURCE_EXHAUSTED"),
    ),
    example={"languageCode": "en-US"},
    doc=VOICES_REFERENCE,
)


def _voices_body(voices: Sequence[Voice]) -> dict[str, Any]:
    return {
        "voices": [
            {
                "languageCodes": [v.language],
                "name": v.name,
                "ssmlGender": v.gender,
                "naturalSampleRateHertz": int(v.extra.get("naturalSampleRateHertz", 24000)),
            }
            for v in voices
        ]
    }


def _voice(name: str, gender: str, model: str) -> Voice:
    return Voice(name, "en-US", gender, (model,), {"naturalSampleRateHertz": 24000})


# Voice names carry their type: "en-US-Standard-C", "en-US-Wavenet-D", "en-US-Neural2-F", "en-US-Studio-O",
# "en-US-Chirp3-HD-Charon" (the voices list and the "Supported voices and languages" page).
VOICE_LIST = (
    _voice("en-US-Standard-C", "FEMALE", "standard"),
    _voice("en-US-Standard-D", "MALE", "standard"),
    _voice("en-US-Wavenet-D", "MALE", "wavenet"),
    _voice("en-US-Wavenet-F", "FEMALE", "wavenet"),
    _voice("en-US-Neural2-F", "FEMALE", "neural2"),
    _voice("en-US-Neural2-J", "MALE", "neural2"),
    _voice("en-US-Studio-O", "FEMALE", "studio"),
    _voice("en-US-Studio-Q", "MALE", "studio"),
    _voice("en-US-Chirp3-HD-Charon", "MALE", "chirp3-hd"),
    _voice("en-US-Chirp3-HD-Kore", "FEMALE", "chirp3-hd"),
    # The Chirp 3: HD page's other voices in en-US (CHIRP3_HD_PAGE, read 2026-11-25): "Voice Options Name | Gender ...
    # Aoede | Female, Puck | Male, Charon | Male, Kore | Female, Fenrir | Male, Leda | Female, Orus | Male, Zephyr |
    # Female"; "The format follows <locale>-<model>-<voice> ... en-US-Chirp3-HD-Kore".
    *(
        _voice(f"en-US-Chirp3-HD-{name}", gender, "chirp3-hd")
        for name, gender in (
            ("Aoede", "FEMALE"),
            ("Puck", "MALE"),
            ("Fenrir", "MALE"),
            ("Leda", "FEMALE"),
            ("Orus", "MALE"),
            ("Zephyr", "FEMALE"),
        )
    ),
)
CHIRP3_HD_PAGE = "https://cloud.google.com/text-to-speech/docs/chirp3-hd"
# Chirp 3: HD's languages, each a locale's voices (CHIRP3_HD_PAGE, its Japanese edition read 2026-11-26, "Supported
# languages ... Language BCP-47 code": the list below, to "Vietnamese (Vietnam) vi-VN"); a voice is named
# "<locale>-Chirp3-HD-<voice>" (the same page), so each locale's Kore speaks its language for the benchmark.
CHIRP3_HD_LOCALES = (
    "ar-XA",
    "bn-IN",
    "bg-BG",
    "hr-HR",
    "cs-CZ",
    "da-DK",
    "nl-BE",
    "nl-NL",
    "en-AU",
    "en-IN",
    "en-GB",
    "en-US",
    "et-EE",
    "fi-FI",
    "fr-CA",
    "fr-FR",
    "de-DE",
    "el-GR",
    "gu-IN",
    "he-IL",
    "hi-IN",
    "hu-HU",
    "id-ID",
    "it-IT",
    "ja-JP",
    "kn-IN",
    "ko-KR",
    "lv-LV",
    "lt-LT",
    "ml-IN",
    "cmn-CN",
    "mr-IN",
    "nb-NO",
    "pl-PL",
    "pt-BR",
    "ro-RO",
    "ru-RU",
    "sr-RS",
    "sk-SK",
    "sl-SI",
    "es-ES",
    "es-US",
    "sw-KE",
    "sv-SE",
    "ta-IN",
    "te-IN",
    "th-TH",
    "tr-TR",
    "uk-UA",
    "ur-IN",
    "vi-VN",
)
CHIRP3_HD_LANGUAGES_SOURCE = (
    f"{CHIRP3_HD_PAGE}?hl=ja (read 2026-11-26): supported languages, BCP-47 codes; voice "
    "names <locale>-Chirp3-HD-<voice>"
)
# One voice of each other locale, tied to the model (a locale's voice speaks its language only).
CHIRP3_HD_LOCAL_VOICES = tuple(
    Voice(
        f"{locale}-Chirp3-HD-Kore",
        locale,
        "FEMALE",
        ("chirp3-hd",),
        {"naturalSampleRateHertz": 24000, "source": CHIRP3_HD_PAGE},
    )
    for locale in CHIRP3_HD_LOCALES
    if not locale.startswith("en-")
)
# Gemini-TTS' speakers, named without a locale and spoken by the Gemini-TTS model the request's voice.modelName names
# (GEMINI_TTS_PAGE's examples: 'speaker: "Kore"', 'speaker: "Aoede"'; its voice options the same prebuilt voices as
# Chirp 3: HD's, whose page gives these eight with their genders). Pipecat's GeminiTTSService (pipecat-ai 1.14.0)
# sends name "Kore" with model_name "gemini-3.1-flash-tts-preview" over StreamingSynthesize: refused before. Tied to
# no declared model (no Gemini-TTS offering: the REST answer names no price), so any synthesis speaks them.
GEMINI_TTS_VOICES = tuple(
    Voice(name, "en-US", gender, (), {"naturalSampleRateHertz": 24000})
    for name, gender in (
        ("Kore", "FEMALE"),
        ("Aoede", "FEMALE"),
        ("Puck", "MALE"),
        ("Charon", "MALE"),
        ("Fenrir", "MALE"),
        ("Leda", "FEMALE"),
        ("Orus", "MALE"),
        ("Zephyr", "FEMALE"),
    )
)

# Their prices: harness/data/prices/google.toml (third-party transcriptions, each said so).
MODELS = (
    Model(name="standard", synthesis=SYNTHESIZE.key, voice="en-US-Standard-C"),
    Model(name="wavenet", synthesis=SYNTHESIZE.key, voice="en-US-Wavenet-F"),
    Model(name="neural2", synthesis=SYNTHESIZE.key, voice="en-US-Neural2-F"),
    Model(name="studio", synthesis=SYNTHESIZE.key, voice="en-US-Studio-O"),
    Model(
        name="chirp3-hd",
        synthesis=SYNTHESIZE.key,
        voice="en-US-Chirp3-HD-Kore",
        languages=CHIRP3_HD_LOCALES,
        languages_source=CHIRP3_HD_LANGUAGES_SOURCE,
    ),
)

REFUSALS = SpeechRefusals(
    invalid=SpeechRefusal(400, "INVALID_ARGUMENT", "Invalid value: {detail}"),
    missing_key=SpeechRefusal(
        401,
        "UNAUTHENTICATED",
        "Method doesn't allow unregistered callers (callers without "
        "established identity). Please use API Key or other form of API consumer identity to "
        "call this API.",
    ),
    bad_key=SpeechRefusal(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key."),
    unknown_voice=SpeechRefusal(400, "INVALID_ARGUMENT", "Voice '{detail}' does not exist. Is it misspelled?"),
    rate_limited=SpeechRefusal(
        429,
        "RESOURCE_EXHAUSTED",
        "Quota exceeded for quota metric 'Requests' of service 'texttospeech.googleapis.com'.",
    ),
    quota=SpeechRefusal(
        429,
        "RESOURCE_EXHAUSTED",
        "Quota exceeded for quota metric 'Characters' of service 'texttospeech.googleapis.com'.",
    ),
    not_found=SpeechRefusal(404, "NOT_FOUND", "The requested URL {detail} was not found on this server."),
    busy=SpeechRefusal(503, "UNAVAILABLE", "The service is currently unavailable."),
    server_error=SpeechRefusal(500, "INTERNAL", "Internal error encountered."),
)

# "Either `text` or `ssml` must be supplied": an SSML document goes at input.ssml.
SLOTS = Slots(
    text="/input/text",
    ssml="/input/ssml",
    voice="/voice/name",
    format="/audioConfig/audioEncoding",
    rate="/audioConfig/sampleRateHertz",
    language="/voice/languageCode",
)
TEMPLATE = {"voice": {"languageCode": "en-US"}, "audioConfig": {}}

# Markup: an SSML document at input.ssml in place of input.text ("Either `text` or `ssml` must be supplied").
SSML_PAGE = "https://cloud.google.com/text-to-speech/docs/ssml"
MARKUP = Markup(
    syntax=Syntax.SSML,
    tags=(
        Tag(
            kind=TagKind.BREAK,
            form='<break time="{ms}ms"/>',
            doc=SSML_PAGE,
            quote='"You can send Speech Synthesis Markup Language (SSML) in your Cloud Text-to-Speech request to allow '
            'for more customization in your audio response by providing details on pauses, ..." <speak> ... I can '
            'pause <break time="3s"/>. ... </speak> "Here is the synthesized text for the example SSML document: ... I '
            "can pause [3 second pause].\" (read 2026-11-27; the page's <break> section gives no maximum: the "
            "vocabulary's 10 s bound)",
        ),
        Tag(
            kind=TagKind.CHARACTERS,
            form='<say-as interpret-as="characters">{text}</say-as>',
            doc=SSML_PAGE,
            quote='"Here are <say-as interpret-as="characters">SSML</say-as> samples." ... "Here are S S M L samples." '
            "(read 2026-11-27)",
        ),
        Tag(
            # the page says digits one by one with "characters" too: no "digits" value is shown
            kind=TagKind.DIGITS,
            form='<say-as interpret-as="characters">{text}</say-as>',
            doc=SSML_PAGE,
            quote='"Or I can even speak in digits. The digits for ten are <say-as '
            'interpret-as="characters">10</say-as>." ... "The digits for ten are one oh." (read 2026-11-27)',
        ),
        Tag(
            kind=TagKind.SUB,
            form='<sub alias="{value}">{text}</sub>',
            doc=SSML_PAGE,
            quote='"I can also substitute phrases, like the <sub alias="World Wide Web Consortium">W3C</sub>." ... "I '
            'can also substitute phrases, like the World Wide Web Consortium." (read 2026-11-27; no <phoneme> in the '
            "stored page: none declared)",
        ),
    ),
    document="<speak>{text}</speak>",
    moves_to=(SLOTS.text, SLOTS.ssml or ""),
)

SERVICE = SpeechService(
    name="google",
    title="Google Cloud Text-to-Speech (v1 REST, v1beta1's timepoints)",
    hosts={HOST: "https://texttospeech.googleapis.com"},
    # "x-goog-api-key" header, or "?key=" — and an OAuth 2.0 access token as "Authorization: Bearer".
    auth=Auth(
        header="x-goog-api-key",
        others=(Auth(header="", query="key"), Auth(header="Authorization", scheme="Bearer")),
        invalid_status=400,
    ),
    key_env="GOOGLE_API_KEY",
    docs=(REFERENCE, VOICES_REFERENCE, ENCODINGS_REFERENCE, ERRORS_REFERENCE, PRICING, V1BETA1_REFERENCE),
    error_model=ErrorBody,
    errors=ErrorShape({"error": {"code": "{status}", "message": "{message}", "status": "{code}"}}),
    refusals=REFUSALS,
    syntheses=(
        Synthesis(
            endpoint=SYNTHESIZE,
            slots=SLOTS,
            formats=FORMATS,
            default_format="LINEAR16",
            template=TEMPLATE,
            markup=MARKUP,
        ),
        Synthesis(
            endpoint=SYNTHESIZE_V1BETA1,
            slots=SLOTS,
            formats=FORMATS,
            default_format="LINEAR16",
            template=TEMPLATE,
            marks=TIMEPOINTS,
            markup=MARKUP,
        ),
    ),
    listings=(Listing(VOICES, _voices_body, language_param="languageCode"),),
    models=MODELS,
    voices=(*VOICE_LIST, *GEMINI_TTS_VOICES, *CHIRP3_HD_LOCAL_VOICES),
    doc_drift=(
        DocDrift(
            "bad key status",
            "An API key that is not valid is answered 400 INVALID_ARGUMENT "
            "(reason API_KEY_INVALID), not 401: 401 UNAUTHENTICATED is for a missing credential "
            "or a bad OAuth token.",
            (ERRORS_REFERENCE,),
        ),
    ),
)

PROVIDER = with_rpcs(SERVICE, RPCS)
