"""ElevenLabs as its API reference describes it, in the HTTP speech family's terms (`SpeechService`) with its
stream-input WebSocket in the WebSocket speech family's (`sockets.py`): Create speech, Stream speech, and both with
timing, the voice in the path, `output_format` in the query, the `xi-api-key` header.

From the reference (models.REFERENCE and its sibling pages, read 2026-11-25) and the help centre's model list
(models.MODELS_PAGE): "Multilingual v2 eleven_multilingual_v2 | Flash v2.5 eleven_flash_v2_5 | Turbo v2.5
eleven_turbo_v2_5"; the voice `JBFqnCBsd6RMkjVDRZzb` is the reference's example, `21m00Tcm4TlvDq8ikWAM` (Rachel) the
SDK examples'. Prices: "The Flash and Turbo models cost 1 credit per 2 characters, and all other models cost 1 credit
per character"; the USD price of a credit depends on the plan and ElevenLabs' API pricing page is not in the stored
material: unpriced rather than guessed.

Each model is offered over the stream-input socket under its own name (the socket's `suffix` ""), as the benchmark has
always run it, and over Create speech as `<model>-http` (the route whose answer carries its bill, `character-cost`);
Create speech, its stream and both with timing serve the same `model_id`s.
"""

from __future__ import annotations

from harness.core.evidence import DOCUMENTS, Evidence, EvidenceSource
from harness.core.prices.units import Unit
from harness.core.protocols.billing import BilledSignal
from harness.core.protocols.catalogues import Catalogue, KnownModel
from harness.core.protocols.http_speech import (
    ErrorShape,
    Model,
    Normalisation,
    Slots,
    SpeechRefusal,
    SpeechRefusals,
    SpeechService,
    Synthesis,
    Voice,
)
from harness.core.protocols.marks import Marks
from harness.core.protocols.markup import Markup, Syntax, Tag, TagKind
from harness.core.protocols.websocket_speech import with_sockets
from harness.core.spec import (
    AudioAt,
    AudioBody,
    Auth,
    BodyKind,
    DocDrift,
    Endpoint,
    JsonBody,
    NdjsonBody,
    Response,
    Role,
)
from harness.providers.elevenlabs.models import (
    DEFAULT_FORMAT,
    DEFAULT_MODEL,
    DEFAULT_VOICES_PAGE,
    HTTP_FORMATS,
    MODELS_PAGE,
    MULTI_GUIDE,
    MULTI_REFERENCE,
    NORMALISATION_PAGE,
    REFERENCE,
    STREAM_REFERENCE,
    STREAM_TIMESTAMPS_REFERENCE,
    TIMESTAMPS_REFERENCE,
    WS_REFERENCE,
    AudioWithTimestamps,
    ErrorBody,
    SpeechRequest,
    ValidationErrorBody,
)
from harness.providers.elevenlabs.sockets import FIRST, SOCKETS, format_of, media_type_of

HOST = "api"
MODELS = ("eleven_flash_v2_5", "eleven_turbo_v2_5", "eleven_multilingual_v2")
CONVERT, STREAM, WITH_TIMESTAMPS, STREAM_WITH_TIMESTAMPS = (
    "tts.convert",
    "tts.stream",
    "tts.with-timestamps",
    "tts.stream-with-timestamps",
)

# Every output_format of the OpenAPI enum, the benchmark's first (raw PCM at 24 kHz leads the lossless ones).
FORMATS = tuple(format_of(name) for name in (*FIRST, *(f for f in HTTP_FORMATS if f not in FIRST)))
AUDIO = AudioBody((*dict.fromkeys(media_type_of(f).split(";")[0] for f in HTTP_FORMATS), "application/octet-stream"))


def _errors() -> tuple[Response, ...]:
    return (
        Response(status=422, bodies=(JsonBody(ValidationErrorBody),), description="Validation Error"),
        Response(status=401, bodies=(JsonBody(ErrorBody),), description="invalid_api_key", inferred=True),
        Response(status=404, bodies=(JsonBody(ErrorBody),), description="voice_not_found", inferred=True),
        Response(status=429, bodies=(JsonBody(ErrorBody),), description="too_many_concurrent_requests", inferred=True),
    )


def _endpoint(key: str, suffix: str, summary: str, body: object, role: Role, doc: str) -> Endpoint:
    return Endpoint(
        key=key,
        method="POST",
        path="/v1/text-to-speech/{voice_id}" + suffix,
        summary=summary,
        host=HOST,
        role=role,
        request=SpeechRequest,
        body_kind=BodyKind.JSON,
        query_fields=("output_format",),
        responses=(Response(status=200, bodies=(body,), description=summary), *_errors()),  # type: ignore[arg-type]
        example={
            "voice_id": "JBFqnCBsd6RMkjVDRZzb",
            "text": "The first move is what sets everything in motion.",
            "model_id": "eleven_multilingual_v2",
        },
        doc=doc,
    )


TIMED = JsonBody(AudioWithTimestamps, audio=AudioAt("/audio_base64"))
ENDPOINTS = (
    _endpoint(CONVERT, "", "Create speech: the audio in output_format", AUDIO, Role.AUDIO, REFERENCE),
    _endpoint(STREAM, "/stream", "Stream speech: the audio, sent as it is made", AUDIO, Role.AUDIO, STREAM_REFERENCE),
    _endpoint(
        WITH_TIMESTAMPS,
        "/with-timestamps",
        "Create speech with timing: base64 audio and character alignment",
        TIMED,
        Role.AUDIO,
        TIMESTAMPS_REFERENCE,
    ),
    # "Stream speech with timing": a stream of StreamingAudioChunkWithTimestampsResponse objects, one JSON object a
    # line (the SDK reads it with iter_lines and json.loads; Pipecat's ElevenLabsHttpTTSService reads it line by line).
    _endpoint(
        STREAM_WITH_TIMESTAMPS,
        "/stream/with-timestamps",
        "Stream speech with timing: base64 audio chunks with character alignment, one JSON object a line",
        NdjsonBody(AudioWithTimestamps, audio=AudioAt("/audio_base64")),
        Role.STREAM,
        STREAM_TIMESTAMPS_REFERENCE,
    ),
)
SLOTS = Slots(text="/text", voice="/voice_id", model="/model_id", format="/output_format")
# "model_id ... Defaults to eleven_multilingual_v2": a request without it (the official client's, unless given one) is
# spoken by that model.
# The credits a synthesis was charged (Flash and Turbo: one a 2 characters; voice multipliers included), a header no
# stored ElevenLabs page names.
BILLING = (
    BilledSignal(
        unit=Unit.CREDITS,
        header="character-cost",
        source="client",
        evidence=(
            '"ElevenLabs ... YES - character-cost header on TTS response (also request-id, x-trace-id)" '
            "(receptron/mulmocast-cli issue #1420, 2026-06-18); clients read it: "
            'cost = int(response.headers["character-cost"]); '
            '"Billed credits from the character-cost header (v4 Turbo: 0.5/char)"'
        ),
    ),
)
# The text-normalisation switch of every synthesis (the request model's `apply_text_normalization`: "auto" | "on" |
# "off", by default "auto").
NORMALISATION = Normalisation(
    pointer="/apply_text_normalization",
    off="off",
    on="on",
    evidence=(
        '"The apply_text_normalization parameter has three modes: on, which means it is always applied; off, which '
        "means it is never applied; auto, which means that the AI will automatically decide when to apply text "
        'normalization"; "Text normalization spells out numbers and dates to ensure better pronunciation" '
        "(" + NORMALISATION_PAGE + ")"
    ),
)
# Both routes with timing answer the characters' times in seconds from the utterance's start, in the answer (each line
# of the stream carrying those of its audio), always: no flag asks for them.
_ALIGNMENT_WORDS = (
    'the answer {"audio_base64", "alignment": {"characters", "character_start_times_seconds", '
    '"character_end_times_seconds"}, "normalized_alignment"} (' + TIMESTAMPS_REFERENCE + "); each "
    "line of the stream one such object, StreamingAudioChunkWithTimestampsResponse ("
    + STREAM_TIMESTAMPS_REFERENCE
    + ")"
)
ALIGNMENT = Marks(
    text_at="/alignment/characters",
    start_at="/alignment/character_start_times_seconds",
    end_at="/alignment/character_end_times_seconds",
    chars=True,
    evidence=_ALIGNMENT_WORDS,
)
_MARKED = {WITH_TIMESTAMPS: ALIGNMENT, STREAM_WITH_TIMESTAMPS: ALIGNMENT}
# Pauses: a `<break time="1.5s" />` in the text, on every model but Eleven v3 (which reads its own [pause] tags): there
# the tag is ignored. No field asks for it: the text is always read so.
PAUSES_PAGE = (
    "https://help.elevenlabs.io/hc/en-us/articles/24352686926609-Do-pauses-and-SSML-phoneme-tags-work-with-the-API"
)
MARKUP = Markup(
    syntax=Syntax.INLINE,
    tags=(
        Tag(
            kind=TagKind.BREAK,
            form='<break time="{s}s" />',
            doc=PAUSES_PAGE,
            max_ms=3000,
            unsupported_on=("eleven_v3",),
            quote='"You can use the break tag when generating audio via the API. This will create an exact and natural '
            'pause in the speech. ... The syntax for the break tag is <break time="1.5s" /> and the AI can handle '
            "pauses of up to 3 seconds in length. All of our models, with the exception of Eleven V3, support SSML "
            'break tags" '
            "(read 2026-11-26)",
        ),
    ),
)
SYNTHESES = tuple(
    Synthesis(
        endpoint=endpoint,
        slots=SLOTS,
        formats=FORMATS,
        default_format=DEFAULT_FORMAT,
        default_model=DEFAULT_MODEL,
        billing=BILLING,
        normalisation=NORMALISATION,
        marks=_MARKED.get(endpoint.key),
        markup=MARKUP,
    )
    for endpoint in ENDPOINTS
)

# The default ("premade") voices of DEFAULT_VOICES_PAGE's "Current Default Voices" table (read 2026-11-25): name,
# voice_id, gender, accent. George (JBFqnCBsd6RMkjVDRZzb) is also the reference's example and leads: the benchmark's
# voice. Rachel (21m00Tcm4TlvDq8ikWAM), the SDK examples' voice, is in the page's "Legacy Voices" table.
DEFAULT_VOICES = (
    ("George", "JBFqnCBsd6RMkjVDRZzb", "male", "British"),
    ("Alice", "Xb7hH8MSUJpSbSDYk0k2", "female", "British"),
    ("Aria", "9BWtsMINqrJLrRacOk9x", "female", "American"),
    ("Bill", "pqHfZKP75CvOlQylNhV4", "male", "American"),
    ("Brian", "nPczCjzI2devNBz1zQrb", "male", "American"),
    ("Callum", "N2lVS1w4EtoT3dr4eOWO", "male", "Transatlantic"),
    ("Charlie", "IKne3meq5aSn9XLyUdCD", "male", "Australian"),
    ("Charlotte", "XB0fDUnXU5powFXDhCwa", "female", "Swedish"),
    ("Chris", "iP95p4xoKVk53GoZ742B", "male", "American"),
    ("Daniel", "onwK4e9ZLuTAKqWW03F9", "male", "British"),
    ("Eric", "cjVigY5qzO86Huf0OWal", "male", "American"),
    ("Jessica", "cgSgspJ2msm6clMCkdW9", "female", "American"),
    ("Laura", "FGY2WhTYpPnrIDTdsKH5", "female", "American"),
    ("Liam", "TX3LPaxmHKxFdv7VOQHJ", "male", "American"),
    ("Lily", "pFZP5JQG7iQjIQuC4Bku", "female", "British"),
    ("Matilda", "XrExE9yKIg1WjnnlVkGX", "female", "American"),
    ("River", "SAz9YHcvj6GT2YYXdXww", "non-binary", "American"),
    ("Roger", "CwhRBWXzGAHq8TQ4Fs17", "male", "American"),
    ("Sarah", "EXAVITQu4vr4xnSDxMaL", "female", "American"),
    ("Will", "bIHbv24MWmeRgasZH58o", "male", "American"),
)
LEGACY_VOICES = (("Rachel", "21m00Tcm4TlvDq8ikWAM", "female", "American"),)
_LANGUAGE = {"American": "en-US", "British": "en-GB", "Australian": "en-AU"}  # else "en": the accent names no region


def _voice(name: str, voice_id: str, gender: str, accent: str, category: str) -> Voice:
    return Voice(
        voice_id,
        _LANGUAGE.get(accent, "en"),
        gender,
        extra={"label": name, "category": category, "accent": accent, "source": DEFAULT_VOICES_PAGE},
    )


VOICES = (
    *(_voice(*row, category="premade") for row in DEFAULT_VOICES),
    *(_voice(*row, category="premade (legacy)") for row in LEGACY_VOICES),
)

# Each model's languages, from the models overview (MODELS_OVERVIEW, read 2026-11-26): "eleven_multilingual_v2 ... en,
# ja, zh, de, hi, fr, ko, pt, it, es, id, nl, tr, fil, pl, sv, bg, ro, ar, cs, el, fi, hr, ms, sk, da, ta, uk, ru";
# "eleven_flash_v2_5 ... All eleven_multilingual_v2 languages plus: hu, no, vi". Turbo v2.5 is listed with Flash v2.5's
# 32 (the SDK's README: "Supports 32 languages"). The text decides the language (its voices are multilingual); the
# request's optional `language_code` is not sent.
MULTILINGUAL_V2_LANGUAGES = (
    "en",
    "ja",
    "zh",
    "de",
    "hi",
    "fr",
    "ko",
    "pt",
    "it",
    "es",
    "id",
    "nl",
    "tr",
    "fil",
    "pl",
    "sv",
    "bg",
    "ro",
    "ar",
    "cs",
    "el",
    "fi",
    "hr",
    "ms",
    "sk",
    "da",
    "ta",
    "uk",
    "ru",
)
FLASH_V2_5_LANGUAGES = (*MULTILINGUAL_V2_LANGUAGES, "hu", "no", "vi")
_LANGUAGES = {
    "eleven_multilingual_v2": MULTILINGUAL_V2_LANGUAGES,
    "eleven_flash_v2_5": FLASH_V2_5_LANGUAGES,
    "eleven_turbo_v2_5": FLASH_V2_5_LANGUAGES,
}
_LANGUAGES_SOURCE = (
    "models overview, https://elevenlabs.io/docs/overview/models (read 2026-11-26): "
    '"eleven_flash_v2_5 ... All eleven_multilingual_v2 languages plus: hu, no, vi"'
)

MODELS_DECLARED = (
    *(
        Model(
            name=name,
            synthesis=CONVERT,
            voice=VOICES[0].name,
            languages=_LANGUAGES[name],
            languages_source=_LANGUAGES_SOURCE,
            description=f"{name} (voice {VOICES[0].name})",
        )
        for name in MODELS
    ),
    # Create speech as an offering of its own (<model>-http): the one route whose answer says what it billed (the
    # `character-cost` header, BILLING); no stored page shows a bill in the sockets' messages, which keep the
    # models' own names (sockets.py).
    *(
        Model(
            name=f"{name}-http",
            synthesis=CONVERT,
            voice=VOICES[0].name,
            sets={"/model_id": name},
            languages=_LANGUAGES[name],
            languages_source=_LANGUAGES_SOURCE,
            description=f"{name} over Create speech (voice {VOICES[0].name})",
        )
        for name in MODELS
    ),
    # The routes with timing as offerings of their own, benchmarked where a run names them (`named_only`: the default
    # run has the model's other routes): their character marks measured against the audio (docs/marks.md).
    *(
        Model(
            name=f"{name}-{suffix}",
            synthesis=key,
            voice=VOICES[0].name,
            sets={"/model_id": name},
            languages=_LANGUAGES[name],
            languages_source=_LANGUAGES_SOURCE,
            named_only=True,
            description=f"{name} over {words} (voice {VOICES[0].name}): its character timing marks",
        )
        for name in MODELS[:1]
        for suffix, key, words in (
            ("timestamps", WITH_TIMESTAMPS, "Create speech with timing"),
            ("stream-timestamps", STREAM_WITH_TIMESTAMPS, "Stream speech with timing"),
        )
    ),
)

# Open: the default voices are a sample. The reference's voice_id is "ID of the voice to be used. Use the Get voices
# endpoint to list all the available voices" — the account's own (cloned, designed) voices and the voice library's
# voices added to it, thousands beyond the default table. Every voice id the references and the default-voices table
# show (JBFqnCBsd6RMkjVDRZzb, 21m00Tcm4TlvDq8ikWAM, the 20 above) is 20 ASCII letters and digits: the form.
VOICE_CATALOGUE = Catalogue(
    open=True,
    form=r"[A-Za-z0-9]{20}",
    why='voice_id: "Use the Get voices endpoint to list all the available voices" (the '
    "account's voices and the voice library's); every id shown is 20 letters and digits",
)

# The models the references list beyond the three offerings, and those clients send that no stored ElevenLabs page
# lists (read 2026-11-25): taken at every synthesis and socket, spoken like the offering of their kind, unpriced (the
# credit's USD price is not in the stored material for any model). Models overview (MODELS_OVERVIEW): "eleven_v3
# Human-like and expressive speech generation 70+ languages"; "eleven_flash_v2 Ultra-fast model optimized for
# real-time use (~75ms†) en". LiveKit Agents' plugin (livekit-plugins-elevenlabs 1.8.9, models.TTSModels) lists
# "eleven_monolingual_v1", "eleven_multilingual_v1", "eleven_turbo_v2", "eleven_v3_conversational", "eleven_v4",
# "eleven_v4_turbo" besides; Pipecat (pipecat-ai 1.14.0, services/elevenlabs/tts.py) names eleven_v3_conversational
# among "Models that reject the previous_text/next_text context parameters".
MODELS_OVERVIEW = "https://elevenlabs.io/docs/overview/models"
_LIVEKIT = Evidence(EvidenceSource.CLIENT, "livekit-plugins-elevenlabs==1.8.9", "TTS(model=...): TTSModels")
_PIPECAT = Evidence(EvidenceSource.CLIENT, "pipecat-ai==1.14.0", "ElevenLabsTTSService (settings.model)")
_LIVEKIT_WORDS = 'TTSModels = Literal[..., "{name}", ...] (livekit-plugins-elevenlabs 1.8.9, read 2026-11-25)'
KNOWN_MODELS = (
    KnownModel(
        name="eleven_v3",
        like="eleven_multilingual_v2",
        words='"eleven_v3 Human-like and expressive speech generation 70+ '
        'languages" (' + MODELS_OVERVIEW + ", read 2026-11-25)",
        evidence=(DOCUMENTS, _LIVEKIT),
    ),
    KnownModel(
        name="eleven_flash_v2",
        like="eleven_flash_v2_5",
        words='"eleven_flash_v2 Ultra-fast model optimized for real-time '
        'use (~75ms†) en" (' + MODELS_OVERVIEW + ", read 2026-11-25)",
        evidence=(DOCUMENTS, _LIVEKIT),
    ),
    KnownModel(
        name="eleven_turbo_v2",
        like="eleven_turbo_v2_5",
        words=_LIVEKIT_WORDS.format(name="eleven_turbo_v2"),
        evidence=(_LIVEKIT,),
    ),
    KnownModel(
        name="eleven_multilingual_v1",
        like="eleven_multilingual_v2",
        words=_LIVEKIT_WORDS.format(name="eleven_multilingual_v1"),
        evidence=(_LIVEKIT,),
    ),
    KnownModel(
        name="eleven_monolingual_v1",
        like="eleven_multilingual_v2",
        words=_LIVEKIT_WORDS.format(name="eleven_monolingual_v1"),
        evidence=(_LIVEKIT,),
    ),
    KnownModel(
        name="eleven_v3_conversational",
        like="eleven_multilingual_v2",
        words=_LIVEKIT_WORDS.format(name="eleven_v3_conversational") + "; ELEVENLABS_CONTEXT_UNSUPPORTED_MODELS = "
        '{"eleven_v3", "eleven_v3_conversational"} (pipecat-ai 1.14.0)',
        evidence=(_LIVEKIT, _PIPECAT),
    ),
    KnownModel(
        name="eleven_v4",
        like="eleven_multilingual_v2",
        words=_LIVEKIT_WORDS.format(name="eleven_v4"),
        evidence=(_LIVEKIT,),
    ),
    KnownModel(
        name="eleven_v4_turbo",
        like="eleven_turbo_v2_5",
        words=_LIVEKIT_WORDS.format(name="eleven_v4_turbo"),
        evidence=(_LIVEKIT,),
    ),
)

REFUSALS = SpeechRefusals(
    # 422 "Validation Error": the documented {"detail": [{"loc", "msg", "type"}]} (ErrorShape.by_status)
    invalid=SpeechRefusal(422, "invalid_request", "{detail}"),
    missing_key=SpeechRefusal(401, "invalid_api_key", "Missing the xi-api-key header."),
    bad_key=SpeechRefusal(401, "invalid_api_key", "Invalid API key."),
    unknown_voice=SpeechRefusal(404, "voice_not_found", "A voice with the voice_id {detail} was not found."),
    rate_limited=SpeechRefusal(
        429, "too_many_concurrent_requests", "Too many concurrent requests for your plan; retry shortly."
    ),
    quota=SpeechRefusal(401, "quota_exceeded", "This request exceeds your quota."),
    unknown_model=SpeechRefusal(422, "model_not_found", "model_id {detail} is not a model of this account"),
    not_found=SpeechRefusal(404, "not_found", "Not Found: {detail}"),
    busy=SpeechRefusal(503, "service_unavailable", "The service is temporarily unavailable."),
    server_error=SpeechRefusal(500, "internal_server_error", "Internal server error."),
)

SERVICE = SpeechService(
    name="elevenlabs",
    title="ElevenLabs (REST and the stream-input WebSocket)",
    hosts={HOST: "https://api.elevenlabs.io"},
    auth=Auth(header="xi-api-key"),
    key_env="ELEVENLABS_API_KEY",
    docs=(REFERENCE, WS_REFERENCE, MODELS_PAGE, DEFAULT_VOICES_PAGE, MULTI_REFERENCE, MULTI_GUIDE),
    error_model=ErrorBody,
    errors=ErrorShape(
        {"detail": {"status": "{code}", "message": "{message}"}},
        by_status={422: {"detail": [{"loc": ["body"], "msg": "{message}", "type": "value_error"}]}},
    ),
    refusals=REFUSALS,
    syntheses=SYNTHESES,
    models=MODELS_DECLARED,
    voices=VOICES,
    known_models=KNOWN_MODELS,
    file_protocols=("elevenlabs",),
    voice_catalogue=VOICE_CATALOGUE,
    doc_drift=(
        DocDrift(
            "default voices",
            'The stored list of default ("premade") voices is the documentation '
            'repository\'s page "Default Voices (to delete)", which the site redirects to its voices '
            "page; that page names no voice ids. Its voices are declared as the page lists them (read "
            "2026-11-25); an account's own voices are not known to the sandbox.",
            (DEFAULT_VOICES_PAGE,),
        ),
    ),
)

PROVIDER = with_sockets(SERVICE, SOCKETS)
