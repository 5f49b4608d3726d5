"""Speechify's text-to-speech API as its documents describe it, in the HTTP speech family's terms: `POST
/v1/audio/speech` answering base64 audio at `/audio_data` with the billable characters, a bearer key, and the
two Simba models priced per million characters.
"""

from __future__ import annotations

from typing import get_args

from harness.core.prices.units import Unit
from harness.core.protocols.billing import BilledSignal
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
    build_provider,
    g711,
    ogg_opus,
)
from harness.core.protocols.marks import Marks
from harness.core.protocols.realtime_grammar import AudioSpec
from harness.core.spec import (
    AudioAt,
    AudioBody,
    Auth,
    BodyKind,
    DocDrift,
    Endpoint,
    EventStreamBody,
    JsonBody,
    Response,
    Role,
)
from harness.providers.speechify.models import (
    INTRODUCTION,
    OVERVIEW,
    PRICING,
    REFERENCE,
    SIMBA_3_CHANGELOG,
    STREAMING,
    TIMED_STREAM_SDK,
    ErrorBody,
    SpeechRequest,
    SpeechResponse,
    SpeechStreamEvent,
    StreamRequest,
    TimedOutputFormat,
    TimedStreamRequest,
)

HOST = "api"
# The stored documents give no sample rate for wav or mp3; 24 kHz is the rate of the official client's
# `output_format` values that name mp3 ("mp3_24000_128", ...), the closest the stored material comes.
RATE = 24000

# "audio_format ... Defaults to wav". "ogg" (which codec?) and "pcm" (which rate, which byte order?) are not
# described in the stored material: answered as assumed, with a finding. "aac": the sandbox writes no AAC.
FORMATS = (
    Format(name="wav", spec=AudioSpec("pcm_s16le", RATE, "wav"), media_type="audio/wav"),
    Format(name="mp3", spec=AudioSpec("mp3", RATE, "mp3"), media_type="audio/mpeg"),
    ogg_opus("ogg"),
    Format(
        name="pcm",
        spec=AudioSpec("pcm_s16le", RATE, "raw"),
        media_type=f"audio/pcm;rate={RATE}",
        assumed=(
            "the documents do not say its rate or byte order; the sandbox answers headerless 16-bit little-endian "
            f"samples at {RATE} Hz, as the stream's audio/pcm"
        ),
    ),
)


def _error(status: int, words: str) -> Response:
    return Response(status=status, bodies=(JsonBody(ErrorBody),), description=words)


SYNTHESIZE = Endpoint(
    key="audio.speech",
    method="POST",
    path="/v1/audio/speech",
    host=HOST,
    role=Role.AUDIO,
    summary="Gets the speech data for the given input: base64 audio_data and billable_characters_count",
    request=SpeechRequest,
    body_kind=BodyKind.JSON,
    # The Introduction's statuses: "400 Invalid request parameters, 401 Missing or invalid API key, 402
    # Insufficient account balance, 429 Rate or concurrency limit exceeded, 500 Server error".
    responses=(
        Response(
            status=200, bodies=(JsonBody(SpeechResponse, audio=AudioAt("/audio_data")),), description="The speech"
        ),
        _error(400, "Invalid request parameters"),
        _error(401, "Missing or invalid API key"),
        _error(402, "Insufficient account balance"),
        _error(429, "Rate or concurrency limit exceeded"),
        _error(500, "Server error"),
    ),
    example={
        "input": "Hello! This is the Speechify text-to-speech API.",
        "voice_id": "george",
        "audio_format": "mp3",
        "model": "simba-english",
    },
    doc=REFERENCE,
)

# The stream's formats, by the Accept header that asks for each: MP3 ("Best compatibility") and PCM ("Raw audio,
# lowest latency", 16-bit little-endian at the speech endpoint's 24 kHz: the stored pages give its rate nowhere else).
STREAM_FORMATS = (
    Format(name="audio/mpeg", spec=AudioSpec("mp3", RATE, "mp3"), media_type="audio/mpeg"),
    Format(name="audio/pcm", spec=AudioSpec("pcm_s16le", RATE, "raw"), media_type=f"audio/pcm;rate={RATE}"),
    ogg_opus("audio/ogg"),  # one file, streamed whole
)

STREAM = Endpoint(
    key="audio.stream",
    method="POST",
    path="/v1/audio/stream",
    host=HOST,
    role=Role.STREAM,
    summary="Stream audio: raw audio chunks by HTTP chunked transfer encoding, the format by the Accept header",
    request=StreamRequest,
    body_kind=BodyKind.JSON,
    header_fields={"accept": "Accept"},
    responses=(
        Response(
            status=200,
            bodies=(AudioBody(("audio/mpeg", "audio/pcm", "audio/ogg", "audio/aac"), pcm_rate=RATE),),
            description="Raw audio chunks",
        ),
        _error(400, "Invalid request parameters"),
        _error(401, "Missing or invalid API key"),
        _error(402, "Insufficient account balance"),
        _error(429, "Rate or concurrency limit exceeded"),
        _error(500, "Server error"),
    ),
    example={
        "input": "Streaming long-form audio with the Speechify API.",
        "voice_id": "george",
        "model": "simba-english",
        "accept": "audio/mpeg",
    },
    doc=STREAMING,
)

# The stream with timestamps (source: sdk, models.TIMED_STREAM_SDK): Server-Sent Events, each event's `type` its
# name; base64 audio at /audio of each speech.chunk, the last event speech.done. Its formats are `output_format`'s:
# declared, the headerless PCM at each of its rates ("pcm_24000": 16-bit little-endian, as the stream's audio/pcm) and
# MP3 at 24 kHz. Left out: the other MP3 bit rates, ulaw_8000, ogg_24000 and aac_24000 (the sandbox writes one MP3
# bit rate; the others' codecs are not described). No default is written down for a request that names neither an
# output_format nor an Accept: the stream endpoint's own MP3 is taken.
TIMED_RATES = (8000, 16000, 22050, 24000, 44100, 48000)
TIMED_FORMATS = (
    Format(name="mp3_24000_128", spec=AudioSpec("mp3", 24000, "mp3"), media_type="audio/mpeg"),
    *(
        Format(name=f"pcm_{rate}", spec=AudioSpec("pcm_s16le", rate, "raw"), media_type=f"audio/pcm;rate={rate}")
        for rate in TIMED_RATES
    ),
    g711("ulaw_8000", "pcm_mulaw"),  # its rate in its name; its header not said: answered as assumed
    # the other MP3 bit rates: MP3 at the rate named, at the one bit rate the sandbox writes (a finding each time)
    *(
        Format(
            name=name,
            spec=AudioSpec("mp3", int(name.split("_")[1]), "mp3"),
            media_type="audio/mpeg",
            assumed=(
                f"the sandbox cannot write the {name.split('_')[2]} kbps the name asks; the sandbox answers MP3 at "
                f"{name.split('_')[1]} Hz at the one bit rate it writes"
            ),
        )
        for name in get_args(TimedOutputFormat)
        if name.startswith("mp3_") and name != "mp3_24000_128"
    ),
    ogg_opus("ogg_24000", 24000),
)

# Speech marks: "returned with every synthesis request" (no flag asks), each word a chunk {start_time, end_time (ms),
# start, end (character indexes into the text), value}: inside the answer's sentence mark (`speech_marks.chunks`), and
# in the timed stream the marks "that became final with" each speech.chunk event's audio (`speech_marks`).
SPEECH_MARKS_PAGE = "https://docs.sws.speechify.com/docs/features/speech-marks"
_MARKS_WORDS = (
    '"Speech marks are returned with every synthesis request and provide a mapping between time and '
    'text"; "type Chunk = { start_time: number // Time in milliseconds when this chunk starts in the '
    "audio; end_time: number // Time in milliseconds when this chunk ends in the audio; start: number // "
    "Character index where this chunk starts in the original text; end: number // Character index where "
    'this chunk ends in the original text; value: string // The text content of this chunk }"; "type '
    "NestedChunk = Chunk & { chunks: Chunk[] // Array of word-level chunks within this "
    'sentence/paragraph }" (' + SPEECH_MARKS_PAGE + ", read 2026-11-26)"
)


def _speech_marks(items_at: str, evidence: str) -> Marks:
    return Marks(
        text_at="/value",
        start_at="/start_time",
        end_at="/end_time",
        items_at=items_at,
        unit_s=0.001,
        offsets_at=("/start", "/end"),
        evidence=evidence,
    )


SPEECH_MARKS = _speech_marks("/speech_marks/chunks", _MARKS_WORDS)
TIMED_MARKS = _speech_marks(
    "/speech_marks",
    _MARKS_WORDS + '; the stream: "Each `speech.chunk` event carries a '
    'Base64-encoded run of audio, the speech marks that became final with it, or both" (' + TIMED_STREAM_SDK + ")",
)

TIMED_STREAM = Endpoint(
    key="audio.stream.timestamps",
    method="POST",
    path="/v1/audio/stream/with-timestamps",
    host=HOST,
    role=Role.STREAM,
    summary="Stream speech with word-level speech marks: speech.chunk events (base64 audio), then speech.done",
    request=TimedStreamRequest,
    body_kind=BodyKind.JSON,
    responses=(
        Response(
            status=200,
            bodies=(EventStreamBody(SpeechStreamEvent, audio=AudioAt("/audio")),),
            description="A Server-Sent Events stream of speech.chunk events followed by one terminal speech.done",
        ),
        _error(400, "Invalid request parameters"),
        _error(401, "Missing or invalid API key"),
        _error(402, "Insufficient account balance"),
        _error(429, "Rate or concurrency limit exceeded"),
        _error(500, "Server error"),
    ),
    example={
        "input": "Hello from Speechify.",
        "voice_id": "george",
        "model": "simba-3.0",
        "output_format": "pcm_24000",
    },
    doc=TIMED_STREAM_SDK,
)

# The catalogue voices the overview names ("george, henry, carly, sophia, …"); every one serves both models
# ("the same voice IDs work across every language"). The voices list (GET /v1/voices) is referred to, not
# described, in the stored reference text: no listing declared.
VOICE_LIST: tuple[Voice, ...] = (
    Voice("george", "en-US", "male"),
    Voice("henry", "en-US", "male"),
    Voice("carly", "en-US", "female"),
    Voice("sophia", "en-US", "female"),
)
# The curated Simba 3 roster, its ids ending `_32` (read 2026-11-25): the official client speechify-api 4.0.0 names
# geffen_32 in its simba-3.2 examples (source: sdk); Mastra's Speechify voice lists the eight ("Speechify's `simba-3.2`
# and `simba-3.0` serve a curated voice set only (`beatrice_32`, `dominic_32`, `edmund_32`, `geffen_32`,
# `harper_32`, `hugh_32`, `imogen_32`, `wyatt_32`)", @mastra/voice-speechify's changeset; its page: "The Simba 3
# models serve a curated voice set only (harper_32, imogen_32, ...)") and LiveKit Agents' Speechify plugin 1.8.9
# defaults to dominic_32 ("Voices whose id carries a `_32` suffix are part of the curated simba-3.2 roster"), both
# source: client. Their genders are not in the stored material: left unsaid.
SIMBA_3_VOICES = (
    "beatrice_32",
    "dominic_32",
    "edmund_32",
    "geffen_32",
    "harper_32",
    "hugh_32",
    "imogen_32",
    "wyatt_32",
)
VOICE_LIST += tuple(Voice(name, "en-US") for name in SIMBA_3_VOICES)

# Simba Multilingual's languages, at the request's `language` ("should follow the locale naming standard (e.g., en-US,
# fr-FR)"): the language support page's "Fully Supported Languages" and "Beta Languages" (LANGUAGE_SUPPORT_PAGE, read
# 2026-11-26); its "Coming Soon" ones are left out.
LANGUAGE_SUPPORT_PAGE = "https://docs.sws.speechify.com/docs/language-support"
MULTILINGUAL_LANGUAGES = (
    "en",
    "fr-FR",
    "de-DE",
    "es-ES",
    "pt-BR",
    "pt-PT",
    "ar-AE",
    "da-DK",
    "nl-NL",
    "et-EE",
    "fi-FI",
    "el-GR",
    "he-IL",
    "hi-IN",
    "it-IT",
    "ja-JP",
    "nb-NO",
    "pl-PL",
    "ru-RU",
    "sv-SE",
    "tr-TR",
    "uk-UA",
    "vi-VN",
)

MODELS = (
    Model(
        name="simba-english",
        synthesis=SYNTHESIZE.key,
        voice="george",
        max_chars=2000,
        description="Simba English (voice george)",
    ),
    Model(
        name="simba-multilingual",
        synthesis=SYNTHESIZE.key,
        voice="george",
        max_chars=2000,
        languages=MULTILINGUAL_LANGUAGES,
        languages_source=f"{LANGUAGE_SUPPORT_PAGE} (read 2026-11-26): fully supported and beta languages",
        description="Simba Multilingual (voice george)",
    ),
    # The same model over the stream endpoint (its own offering; the request names it simba-english).
    Model(
        name="simba-english-stream",
        synthesis=STREAM.key,
        voice="george",
        sets={"/model": "simba-english"},
        max_chars=20_000,
        description="Simba English over /v1/audio/stream (voice george)",
    ),
    # The stream with timestamps serves the streaming-native models only ("the legacy `simba-english` and
    # `simba-multilingual` models return 400 `speech_marks_unsupported` here"): simba-3.0, its default, in the
    # changelog's voice george. No stored price names a model: the pay-as-you-go rate, as for the others.
    Model(
        name="simba-3.0",
        synthesis=TIMED_STREAM.key,
        voice="george",
        max_chars=20_000,
        description="Simba 3.0 over /v1/audio/stream/with-timestamps (voice george)",
    ),
    # "`simba-3.0` and `simba-3.2` both serve this route"; "`simba-3.2` is the streaming-native model with the lowest
    # TTFB and richest expressivity, and the recommended Simba 3 model; it is English only" (speechify-api 4.0.0,
    # audio/client.py, source: sdk; its example pairs it with geffen_32). LiveKit Agents' plugin 1.8.9 defaults to it.
    Model(
        name="simba-3.2",
        synthesis=TIMED_STREAM.key,
        voice="geffen_32",
        max_chars=20_000,
        description="Simba 3.2 over /v1/audio/stream/with-timestamps (voice geffen_32)",
    ),
)

# The codes and messages are the sandbox's own words: the stored pages quote no error body beyond "an error
# field describing the issue".
REFUSALS = SpeechRefusals(
    invalid=SpeechRefusal(400, "invalid_request", "Invalid request parameters: {detail}"),
    missing_key=SpeechRefusal(401, "unauthorized", "Missing API key"),
    bad_key=SpeechRefusal(401, "unauthorized", "Invalid API key"),
    unknown_voice=SpeechRefusal(400, "invalid_request", "Voice not found: {detail}"),
    rate_limited=SpeechRefusal(429, "rate_limited", "Rate or concurrency limit exceeded"),
    quota=SpeechRefusal(402, "insufficient_balance", "Insufficient account balance"),
    unknown_model=SpeechRefusal(400, "invalid_request", "Unknown model: {detail}"),
    not_found=SpeechRefusal(404, "not_found", "Not found: {detail}"),
    busy=SpeechRefusal(500, "server_error", "Server error"),
    server_error=SpeechRefusal(500, "server_error", "Server error"),
)

SERVICE = SpeechService(
    name="speechify",
    title="Speechify text-to-speech API (v1 REST: speech and stream)",
    hosts={HOST: "https://api.sws.speechify.com"},
    auth=Auth(header="Authorization", scheme="Bearer"),
    key_env="SPEECHIFY_API_KEY",  # "Set the SPEECHIFY_API_KEY environment variable and the SDKs authenticate"
    docs=(REFERENCE, INTRODUCTION, OVERVIEW, PRICING, STREAMING, TIMED_STREAM_SDK, SIMBA_3_CHANGELOG),
    error_model=ErrorBody,
    errors=ErrorShape({"error": "{message}"}),
    refusals=REFUSALS,
    syntheses=(
        Synthesis(
            endpoint=SYNTHESIZE,
            slots=Slots(text="/input", voice="/voice_id", model="/model", format="/audio_format", language="/language"),
            formats=FORMATS,
            default_format="wav",
            # the answer's other fields ("audio_format", "billable_characters_count", "speech_marks"):
            # one sentence mark spanning the text and the audio (the client requires all three)
            answer={
                "audio_format": "{format}",
                "billable_characters_count": "{billed_characters}",
                "speech_marks": {
                    "type": "sentence",
                    "start": 0,
                    "end": "{billed_characters}",
                    "start_time": 0,
                    "end_time": "{duration_ms}",
                    "value": "{text}",
                    "chunks": [],
                },
            },
            billing=(
                BilledSignal(
                    unit=Unit.CHARACTERS,
                    at="/billable_characters_count",
                    evidence=(
                        'Speechify API reference "Speech" (docs.sws.speechify.com/v1/api-reference/'
                        'api-reference/tts/audio/speech): billable_characters_count "The number of billable '
                        'characters processed in the request."'
                    ),
                ),
            ),
            format_words=FormatWords(format="/audio_format"),
            default_model="simba-english",
            marks=SPEECH_MARKS,
        ),  # model: "Defaults to simba-english"
        Synthesis(
            endpoint=STREAM,
            slots=Slots(text="/input", voice="/voice_id", model="/model", format="/accept", language="/language"),
            formats=STREAM_FORMATS,
            default_format="audio/mpeg",
            default_model="simba-english",
        ),
        Synthesis(
            endpoint=TIMED_STREAM,
            slots=Slots(
                text="/input", voice="/voice_id", model="/model", format="/output_format", language="/language"
            ),
            formats=TIMED_FORMATS,
            default_format="mp3_24000_128",
            answer={"type": "speech.chunk"},
            marks=TIMED_MARKS,
            event_at="/type",
            last_event={
                "type": "speech.done",
                "billable_characters_count": "{billed_characters}",
                "audio_duration_ms": "{duration_ms}",
            },
            billing=(
                BilledSignal(
                    unit=Unit.CHARACTERS,
                    at="/billable_characters_count",
                    event="speech.done",
                    source="sdk",
                    evidence=(
                        "Speechify's official SDK speechify-api 4.0.0: the stream's terminal event \"speech.done "
                        '{billable_characters_count, audio_duration_ms}"'
                    ),
                ),
            ),
            default_model="simba-3.0",
        ),
    ),  # model: "Defaults to `simba-3.0`"
    models=MODELS,
    voices=VOICE_LIST,
    doc_drift=(
        DocDrift(
            "host",
            "The v1 reference names https://api.sws.speechify.com; Speechify's newer pages and "
            "its official client (speechify-api 4.0.0) use https://api.speechify.ai.",
            (INTRODUCTION,),
        ),
        DocDrift(
            "error body",
            'Only "a JSON body with an error field describing the issue" is documented; '
            "the newer reference's envelope puts an object there ({code, message, fields}): the "
            "declaration accepts either under `error`.",
            (INTRODUCTION,),
        ),
        DocDrift(
            "stream with timestamps",
            "POST /v1/audio/stream/with-timestamps is not in the stored "
            "reference pages: declared from the official client's method, event models and docstring "
            '(source: sdk). A legacy model there is "400 speech_marks_unsupported" in its words; the '
            "sandbox refuses it as an unknown model (400).",
            (TIMED_STREAM_SDK,),
        ),
    ),
)

PROVIDER = build_provider(SERVICE)
