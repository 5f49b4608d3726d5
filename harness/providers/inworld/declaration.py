"""Inworld TTS as its documents describe it, in the HTTP speech family's terms: the non-streaming synthesis
(`POST /tts/v1/voice`) answering base64 audio at `/audioContent`, the Portal's Base64 credential as
`Authorization: Basic`, and its two TTS-1.5 models priced per million characters.
"""

from __future__ import annotations

from dataclasses import replace

from harness.core.evidence import Evidence, EvidenceSource
from harness.core.prices.units import Unit
from harness.core.protocols.billing import BilledSignal
from harness.core.protocols.catalogues import KnownModel
from harness.core.protocols.http_speech import (
    ErrorShape,
    Format,
    Model,
    Slots,
    SpeechRefusal,
    SpeechRefusals,
    SpeechService,
    Synthesis,
    Voice,
    g711,
)
from harness.core.protocols.marks import Marks
from harness.core.protocols.realtime_grammar import AudioSpec
from harness.core.protocols.websocket_speech import with_sockets
from harness.core.spec import AudioAt, Auth, BodyKind, DocDrift, Endpoint, JsonBody, NdjsonBody, Response, Role
from harness.providers.inworld.models import (
    PRICING,
    QUICKSTART,
    REFERENCE,
    STREAM_REFERENCE,
    ErrorBody,
    StreamChunk,
    SynthesizeSpeechRequest,
    SynthesizeSpeechResponse,
)
from harness.providers.inworld.sockets import SOCKETS

HOST = "api"
DEFAULT_RATE = 48000  # sampleRateHertz: "default 48000" (a transcription of the schema; the page text is cut)
RATES = tuple(range(8000, 48001))  # sampleRateHertz: "8000 to 48000" (the request model's range), every one taken

# The quickstart's non-streaming request sends no audioConfig and saves the answer as an .mp3 file: MP3 is the
# default. LINEAR16 comes back as a WAV file (the reference's example audioContent begins "UklGR", "RIFF").
FORMATS = (
    Format(
        name="MP3",
        spec=AudioSpec("mp3", DEFAULT_RATE, "mp3"),
        media_type="audio/mpeg",
        rates=(16000, 22050, 24000, 32000, 44100, 48000),
    ),
    Format(name="LINEAR16", spec=AudioSpec("pcm_s16le", DEFAULT_RATE, "wav"), media_type="audio/wav", rates=RATES),
    Format(
        name="OGG_OPUS",
        spec=AudioSpec("opus", 48000, "ogg"),
        media_type="audio/ogg",
        rates=(8000, 12000, 16000, 24000, 48000),
    ),
    Format(name="FLAC", spec=AudioSpec("flac", DEFAULT_RATE, "flac"), media_type="audio/flac", rates=RATES),
    # PCM, as the socket declares it (sockets.FORMATS): the schema lists it for audioEncoding, the socket and the
    # stream reference name it, and no stored page shows the HTTP endpoints refusing it (issue 53: the sandbox's
    # stream refused the PCM its socket takes). Headerless 16-bit samples at the asked rate.
    Format(name="PCM", spec=AudioSpec("pcm_s16le", DEFAULT_RATE, "raw"), media_type="audio/pcm", rates=RATES),
    # ALAW, MULAW, WAV: in the schema's transcription only, which says neither a header nor a rate: answered as assumed
    g711("ALAW", "pcm_alaw", RATES),
    g711("MULAW", "pcm_mulaw", RATES),
    Format(
        name="WAV",
        spec=AudioSpec("pcm_s16le", DEFAULT_RATE, "wav"),
        media_type="audio/wav",
        rates=RATES,
        assumed=(
            "the documents do not say its samples or rate; the sandbox answers a WAV file of 16-bit PCM at the asked "
            "rate (48000 Hz where none is asked)"
        ),
    ),
)


def _error(status: int, words: str) -> Response:
    return Response(status=status, bodies=(JsonBody(ErrorBody),), description=words, inferred=True)


SYNTHESIZE = Endpoint(
    key="tts.synthesize",
    method="POST",
    path="/tts/v1/voice",
    summary="Synthesize speech: receive results after all text input has been processed (base64 audioContent)",
    host=HOST,
    role=Role.AUDIO,
    request=SynthesizeSpeechRequest,
    body_kind=BodyKind.JSON,
    responses=(
        Response(
            status=200,
            bodies=(JsonBody(SynthesizeSpeechResponse, audio=AudioAt("/audioContent")),),
            description="A successful response.",
        ),
        # The stored reference lists no error statuses; these are the ones every call can meet (a bad
        # request, a missing or bad credential, the rate limit, a server fault), marked inferred.
        _error(400, "INVALID_ARGUMENT: a request the reference forbids (text over 2,000 characters, ...)"),
        _error(401, "UNAUTHENTICATED: no valid Basic credential"),
        _error(429, "RESOURCE_EXHAUSTED: rate limited"),
        _error(500, "INTERNAL"),
    ),
    example={
        "text": "What a wonderful day to be a text-to-speech model!",
        "voiceId": "Ashley",
        "modelId": "inworld-tts-1.5-max",
    },
    doc=REFERENCE,
)

# The stream answers NDJSON-like JSON objects, one per chunk, the audio at /result/audioContent. MP3 only: "If using
# PCM, every chunk, not just the initial chunk, [carries its own header]" — a LINEAR16 stream is a series of WAV files,
# which the family's chunked answers do not write (its WebSocket does: sockets.STREAM, chunk_files).
# MP3, PCM's headerless pieces (each a whole number of samples), and the headerless G.711 pieces as assumed
# FLAC, WAV: how the file arrives in pieces is not said ("If using PCM, every chunk ..." only): one file, streamed whole
STREAM_FORMATS = (
    FORMATS[0],
    FORMATS[4],
    FORMATS[5],
    FORMATS[6],
    replace(
        FORMATS[3],
        assumed=(
            "the documents do not say how the file arrives in pieces; the sandbox answers one FLAC file streamed "
            "whole, its header once at the stream's start"
        ),
    ),
    replace(
        FORMATS[7],
        assumed=(
            "the documents do not say its samples, rate or pieces; the sandbox answers one WAV file of 16-bit PCM at "
            "the asked rate streamed whole, its header once at the stream's start"
        ),
    ),
)

STREAM = Endpoint(
    key="tts.synthesize-stream",
    method="POST",
    path="/tts/v1/voice:stream",
    host=HOST,
    role=Role.STREAM,
    summary="Synthesize speech (stream): audio chunks as they are individually processed, one JSON object each",
    request=SynthesizeSpeechRequest,
    body_kind=BodyKind.JSON,
    responses=(
        Response(
            status=200,
            bodies=(NdjsonBody(StreamChunk, audio=AudioAt("/result/audioContent")),),
            description="A successful response returns a stream of objects.",
        ),
        _error(400, "INVALID_ARGUMENT"),
        _error(401, "UNAUTHENTICATED: no valid Basic credential"),
        _error(429, "RESOURCE_EXHAUSTED: rate limited"),
        _error(500, "INTERNAL"),
    ),
    example={
        "text": "What a wonderful day to be a text-to-speech model!",
        "voiceId": "Ashley",
        "modelId": "inworld-tts-1.5-max",
        "audioConfig": {"audioEncoding": "MP3"},
    },
    doc=STREAM_REFERENCE,
)

# Voices the documents name: "Ashley" (the quickstart), "Dennis" (the SDK and client examples), "Hades" (a
# provider page's example). The voices list endpoint is not in the stored reference text: no listing declared.
VOICE_LIST = (Voice("Ashley", "en-US", "Female"), Voice("Dennis", "en-US", "Male"), Voice("Hades", "en-US", "Male"))

# TTS 1.5's languages: the TTS models page's table (TTS_MODELS_PAGE, read 2026-11-26: "inworld-tts-1.5-max ... en, zh,
# ja, ko, ru, it, es, pt, fr, de, pl, nl, hi, he, ar", the same for inworld-tts-1.5-mini); the text decides.
LANGUAGES = ("en", "zh", "ja", "ko", "ru", "it", "es", "pt", "fr", "de", "pl", "nl", "hi", "he", "ar")
LANGUAGES_SOURCE = "https://docs.inworld.ai/docs/tts/tts-models (read 2026-11-26): the models' supported languages"

MODELS = (
    Model(
        name="inworld-tts-1.5-max",
        synthesis=SYNTHESIZE.key,
        voice="Ashley",
        max_chars=2000,
        languages=LANGUAGES,
        languages_source=LANGUAGES_SOURCE,
        description="Inworld TTS-1.5 Max (voice Ashley)",
    ),
    Model(
        name="inworld-tts-1.5-mini",
        synthesis=SYNTHESIZE.key,
        voice="Ashley",
        max_chars=2000,
        languages=LANGUAGES,
        languages_source=LANGUAGES_SOURCE,
        description="Inworld TTS-1.5 Mini (voice Ashley)",
    ),
    Model(
        name="inworld-tts-1.5-max-stream",
        synthesis=STREAM.key,
        voice="Ashley",
        sets={"/modelId": "inworld-tts-1.5-max"},
        max_chars=2000,
        languages=LANGUAGES,
        languages_source=LANGUAGES_SOURCE,
        description="Inworld TTS-1.5 Max over /tts/v1/voice:stream (voice Ashley)",
    ),
)

# gRPC status names as the gateway writes them; the messages are the sandbox's own words (none is quoted).
# Model ids beyond the two offerings (read 2026-11-25), taken at every synthesis and the socket, spoken like
# inworld-tts-1.5-max, unpriced. The TTS models page (TTS_MODELS_PAGE): "Llama Inworld TTS Max inworld-tts-1-max Our
# most powerful previous generation model"; "Llama Inworld TTS inworld-tts-1 Our fastest previous generation mo[del]".
# inworld-tts-2 is on no stored Inworld page by its id (the models overview names "Realtime TTS-2 ... available in
# Research Preview"); clients send it by default: Pipecat (pipecat-ai 1.14.0, InworldTTSService and
# InworldHttpTTSService: model="inworld-tts-2"), LiveKit Agents (livekit-plugins-inworld 1.8.9: `TTSModels =
# Literal["inworld-tts-2", "inworld-tts-1.5-max"]`), Mastra's voice-inworld ("= { name: 'inworld-tts-2' }").
TTS_MODELS_PAGE = "https://docs.inworld.ai/docs/tts/tts-models"
_PREVIOUS = '"{words}" (' + TTS_MODELS_PAGE + ", read 2026-11-25)"
KNOWN_MODELS = (
    KnownModel(
        name="inworld-tts-1-max",
        like="inworld-tts-1.5-max",
        words=_PREVIOUS.format(
            words="Llama Inworld TTS Maxinworld-tts-1-max Our most powerful previous generation model"
        ),
    ),
    KnownModel(
        name="inworld-tts-1",
        like="inworld-tts-1.5-max",
        words=_PREVIOUS.format(words="Llama Inworld TTSinworld-tts-1 Our fastest previous generation mo"),
    ),
    KnownModel(
        name="inworld-tts-2",
        like="inworld-tts-1.5-max",
        words='default_settings = self.Settings(model="inworld-tts-2", voice="Ashley", ...) (pipecat-ai 1.14.0); '
        'TTSModels = Literal["inworld-tts-2", "inworld-tts-1.5-max"] (livekit-plugins-inworld 1.8.9); '
        '"Realtime TTS-2 Our most powerful and expressive model, available in Research Preview" '
        "(https://docs.inworld.ai/runtime/models), read 2026-11-25",
        evidence=(
            Evidence(EvidenceSource.CLIENT, "pipecat-ai==1.14.0", "InworldTTSService"),
            Evidence(EvidenceSource.CLIENT, "livekit-plugins-inworld==1.8.9", "TTS(model=...)"),
        ),
    ),
)

REFUSALS = SpeechRefusals(
    invalid=SpeechRefusal(400, "3", "{detail}"),
    missing_key=SpeechRefusal(401, "16", "Unauthenticated: no credentials in the Authorization header"),
    bad_key=SpeechRefusal(401, "16", "Unauthenticated: invalid credentials"),
    unknown_voice=SpeechRefusal(400, "3", "Unknown voice: {detail}"),
    rate_limited=SpeechRefusal(429, "8", "Rate limit exceeded"),
    quota=SpeechRefusal(429, "8", "Quota exceeded"),
    unknown_model=SpeechRefusal(400, "3", "Unknown model: {detail}"),
    not_found=SpeechRefusal(404, "5", "Not Found"),
    busy=SpeechRefusal(503, "14", "The service is currently unavailable."),
    server_error=SpeechRefusal(500, "13", "Internal error"),
)

# The characters a synthesis processed (the answer's usage).
BILLING = (
    BilledSignal(
        unit=Unit.CHARACTERS,
        at="/usage/processedCharactersCount",
        evidence=(
            'Inworld\'s REST reference "Synthesize speech" (docs.inworld.ai/api-reference/ttsAPI/texttospeech/'
            'synthesize-speech): the answer {"audioContent", "usage": {"processedCharactersCount", "modelId"}, '
            '"timestampInfo"}'
        ),
    ),
)

# Word times, asked with `timestampType` WORD (CHARACTER asks for characters instead; the benchmark asks for words), in
# seconds, in the answer and in each object of the stream (its own words: "Each streamed chunk includes alignment data
# for that specific chunk"). The words' phoneme and viseme details (`phoneticDetails`) are not read.
_TIMESTAMPS_PAGE = "https://docs.inworld.ai/tts/capabilities/timestamps"
_TIMESTAMP_WORDS = (
    '"Set the timestampType request parameter to control granularity: WORD: Return timestamps for '
    'each word ...; CHARACTER: Return timestamps for each character or punctuation"; "When '
    "enabled, the response includes timestamp arrays: WORD: timestampInfo.wordAlignment with words, "
    'wordStartTimeSeconds, wordEndTimeSeconds"; "Each streamed chunk includes alignment data for '
    'that specific chunk." (' + _TIMESTAMPS_PAGE + ", read 2026-11-26)"
)


def _word_alignment(prefix: str) -> Marks:
    return Marks(
        text_at=f"{prefix}/timestampInfo/wordAlignment/words",
        start_at=f"{prefix}/timestampInfo/wordAlignment/wordStartTimeSeconds",
        end_at=f"{prefix}/timestampInfo/wordAlignment/wordEndTimeSeconds",
        asked_by="/timestampType",
        asked_value="WORD",
        evidence=_TIMESTAMP_WORDS,
    )


SERVICE = SpeechService(
    name="inworld",
    title="Inworld TTS (REST, its stream and the bidirectional WebSocket)",
    hosts={HOST: "https://api.inworld.ai"},
    # "Your authentication credentials. For Basic authentication, please populate Basic
    # $INWORLD_RUNTIME_BASE64_CREDENTIAL" (the key is already the Base64 credential: "do not encode it again").
    auth=Auth(header="Authorization", scheme="Basic"),
    key_env="INWORLD_API_KEY",
    docs=(REFERENCE, QUICKSTART, PRICING, STREAM_REFERENCE),
    error_model=ErrorBody,
    errors=ErrorShape({"code": "{code}", "message": "{message}", "details": []}),
    refusals=REFUSALS,
    syntheses=(
        Synthesis(
            endpoint=SYNTHESIZE,
            slots=Slots(
                text="/text",
                voice="/voiceId",
                model="/modelId",
                format="/audioConfig/audioEncoding",
                rate="/audioConfig/sampleRateHertz",
            ),
            formats=FORMATS,
            default_format="MP3",
            billing=BILLING,
            marks=_word_alignment(""),
        ),
        Synthesis(
            endpoint=STREAM,
            slots=Slots(
                text="/text",
                voice="/voiceId",
                model="/modelId",
                format="/audioConfig/audioEncoding",
                rate="/audioConfig/sampleRateHertz",
            ),
            formats=STREAM_FORMATS,
            default_format="MP3",
            marks=_word_alignment("/result"),
        ),
    ),
    models=MODELS,
    voices=VOICE_LIST,
    known_models=KNOWN_MODELS,
    doc_drift=(
        DocDrift(
            "error body",
            "The stored reference shows no error body or error statuses: the declared "
            "google.rpc.Status shape ({code, message, details}, code the gRPC number) is the gRPC "
            "gateway's, not a quoted example; check it against the provider.",
            (REFERENCE,),
        ),
        DocDrift(
            "audioConfig required",
            "A transcription of Inworld's schema marks audioConfig required; "
            "the quickstart's non-streaming request sends none (and gets MP3).",
            (QUICKSTART,),
        ),
    ),
)

PROVIDER = with_sockets(SERVICE, SOCKETS)
