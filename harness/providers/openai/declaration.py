"""OpenAI's speech endpoint as its reference describes it, in the HTTP speech family's terms: `POST /v1/audio/speech`
in its two answer forms, picked by the body's `stream_format` — the audio file itself (`audio`, the default), sent
chunked as it is made, and Server-Sent Events (`sse`: `speech.audio.delta` with base64 audio at `/audio`, then
`speech.audio.done` with usage), which only gpt-4o-mini-tts answers; its three models, its thirteen built-in voices,
six formats (pcm: 16-bit little-endian samples at 24 kHz, no header), speed 0.25-4.0, instructions, the error body
`{"error": {message, type, param, code}}` and the per-character prices of tts-1 and tts-1-hd.

From the reference (https://platform.openai.com/docs/api-reference/audio/createSpeech, read 2026-11-24):
"model: One of the available TTS models: `tts-1`, `tts-1-hd` or `gpt-4o-mini-tts`"; "Supported built-in voices
are `alloy`, `ash`, `ballad`, `coral`, `echo`, `fable`, `onyx`, `nova`, `sage`, `shimmer`, `verse`, `marin`, and
`cedar`"; "response_format: The format to audio in. Supported formats are `mp3`, `opus`, `aac`, `flac`, `wav`, and
`pcm`"; "stream_format: The format to stream the audio in. Supported formats are `sse` and `audio`. `sse` is not
supported for `tts-1` or `tts-1-hd`." The prices (per character for tts-1 and tts-1-hd, per token for gpt-4o-mini-tts,
estimated before sending and billed from the SSE usage) are in harness/data/prices/openai.toml. Its Realtime API's
WebSocket (a speech-to-speech model asked to say the text) is `sockets.py`.
"""

from __future__ import annotations

from harness.core.evidence import DOCUMENTS, Evidence, EvidenceSource
from harness.core.languages import codes_of
from harness.core.prices.units import Unit
from harness.core.protocols.billing import BilledSignal
from harness.core.protocols.catalogues import KnownModel
from harness.core.protocols.conformance import Clause, ConformClauses, Judge
from harness.core.protocols.http_speech import (
    ErrorShape,
    Format,
    Model,
    Selector,
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
from harness.providers.openai.models import (
    DONE_EVENT,
    ERROR_CODES,
    INPUT_WORDS,
    INSTRUCTIONS_WORDS,
    MODEL_PRICES_PAGE,
    OVERVIEW,
    PCM_RATE,
    REFERENCE,
    SNAPSHOTS_PAGE,
    SPEED_WORDS,
    ErrorBody,
    SpeechEvent,
    SpeechRequest,
)
from harness.providers.openai.sockets import SOCKETS

HOST = "v1"  # the documented base URL ends in /v1 (the official client's `base_url`); the sandbox mounts /openai/v1

FORMATS = (
    Format(name="mp3", spec=AudioSpec("mp3", PCM_RATE, "mp3"), media_type="audio/mpeg"),
    Format(
        name="opus", spec=AudioSpec("opus", 48000, "ogg"), media_type="audio/opus"
    ),  # Opus codes at 48 kHz whatever it is fed
    Format(name="aac", spec=AudioSpec("aac", PCM_RATE, "aac"), media_type="audio/aac"),
    Format(name="flac", spec=AudioSpec("flac", PCM_RATE, "flac"), media_type="audio/flac"),
    Format(name="wav", spec=AudioSpec("pcm_s16le", PCM_RATE, "wav"), media_type="audio/wav"),
    # "raw samples in 24kHz (16-bit signed, low-endian), without the header"; the reference names no Content-Type
    Format(name="pcm", spec=AudioSpec("pcm_s16le", PCM_RATE, "raw"), media_type="audio/pcm"),
)
AUDIO_TYPES = tuple(dict.fromkeys(fmt.media_type for fmt in FORMATS))


def _error(status: int, words: str) -> Response:
    return Response(status=status, bodies=(JsonBody(ErrorBody),), description=words)


ERRORS = (
    _error(400, "bad parameter, unknown voice, input too long"),
    _error(401, "missing or invalid key"),
    _error(404, "unknown model"),
    _error(429, "rate limit or quota"),
    _error(500, "server error"),
    _error(503, "overloaded"),
)

SPEECH = Endpoint(
    key="audio.speech",
    method="POST",
    path="/audio/speech",
    host=HOST,
    role=Role.STREAM,
    summary="Generates audio from the input text: the audio file, sent chunked as it is made",
    request=SpeechRequest,
    body_kind=BodyKind.JSON,
    responses=(
        Response(status=200, bodies=(AudioBody(AUDIO_TYPES, pcm_rate=PCM_RATE),), description="The audio file content"),
        *ERRORS,
    ),
    example={"model": "gpt-4o-mini-tts", "input": "The quick brown fox jumped over the lazy dog.", "voice": "alloy"},
    doc=REFERENCE,
)

SPEECH_SSE = Endpoint(
    key="audio.speech.sse",
    method="POST",
    path="/audio/speech",
    host=HOST,
    role=Role.STREAM,
    summary="Generates audio from the input text, as Server-Sent Events: speech.audio.delta, then speech.audio.done",
    request=SpeechRequest,
    body_kind=BodyKind.JSON,
    responses=(
        Response(
            status=200,
            bodies=(EventStreamBody(SpeechEvent, audio=AudioAt("/audio")),),
            description="text/event-stream: speech.audio.delta ... speech.audio.done",
        ),
        *ERRORS,
    ),
    example={
        "model": "gpt-4o-mini-tts",
        "input": "Today is a wonderful day to build something people love!",
        "voice": "coral",
        "instructions": "Speak in a cheerful and positive tone.",
        "response_format": "wav",
        "stream_format": "sse",
    },  # the text-to-speech guide's instructions example, asked as SSE
    doc=REFERENCE,
)

VOICE_LIST = tuple(
    Voice(name)
    for name in (
        "alloy",
        "ash",
        "ballad",
        "coral",
        "echo",
        "fable",
        "onyx",
        "nova",
        "sage",
        "shimmer",
        "verse",
        "marin",
        "cedar",
    )
)


# The languages: the text-to-speech guide's "The TTS model generally follows the Whisper model in terms of language
# support" and its list (https://platform.openai.com/docs/guides/text-to-speech; the guide is not among the stored
# pages: its words read 2026-11-26 as quoted, whole, in a community answer that links it). The voices are
# multilingual; the text decides (the request has no language field).
LANGUAGES = codes_of(
    (
        "English",
        "Afrikaans",
        "Arabic",
        "Armenian",
        "Azerbaijani",
        "Belarusian",
        "Bosnian",
        "Bulgarian",
        "Catalan",
        "Chinese",
        "Croatian",
        "Czech",
        "Danish",
        "Dutch",
        "Estonian",
        "Finnish",
        "French",
        "Galician",
        "German",
        "Greek",
        "Hebrew",
        "Hindi",
        "Hungarian",
        "Icelandic",
        "Indonesian",
        "Italian",
        "Japanese",
        "Kannada",
        "Kazakh",
        "Korean",
        "Latvian",
        "Lithuanian",
        "Macedonian",
        "Malay",
        "Marathi",
        "Maori",
        "Nepali",
        "Norwegian",
        "Persian",
        "Polish",
        "Portuguese",
        "Romanian",
        "Russian",
        "Serbian",
        "Slovak",
        "Slovenian",
        "Spanish",
        "Swahili",
        "Swedish",
        "Tagalog",
        "Tamil",
        "Thai",
        "Turkish",
        "Ukrainian",
        "Urdu",
        "Vietnamese",
        "Welsh",
    )
)
LANGUAGES_SOURCE = (
    'https://platform.openai.com/docs/guides/text-to-speech, "generally follows the Whisper model in '
    'terms of language support" and its list (quoted; read 2026-11-26)'
)

MODELS = (
    Model(
        name="tts-1",
        synthesis=SPEECH.key,
        voice="alloy",
        max_chars=4096,
        languages=LANGUAGES,
        languages_source=LANGUAGES_SOURCE,
        description="tts-1 (voice alloy)",
    ),
    Model(
        name="tts-1-hd",
        synthesis=SPEECH.key,
        voice="alloy",
        max_chars=4096,
        languages=LANGUAGES,
        languages_source=LANGUAGES_SOURCE,
        description="tts-1-hd (voice alloy)",
    ),
    # The benchmark asks gpt-4o-mini-tts for SSE and times its first audio, as before.
    Model(
        name="gpt-4o-mini-tts",
        synthesis=SPEECH_SSE.key,
        voice="alloy",
        max_chars=4096,
        languages=LANGUAGES,
        languages_source=LANGUAGES_SOURCE,
        description="gpt-4o-mini-tts, streamed as SSE (voice alloy)",
    ),
    # The same model answered as the audio file (`stream_format` audio): its own offering, the request naming the model
    # as it is (`sets` at the model slot).
    Model(
        name="gpt-4o-mini-tts-audio",
        synthesis=SPEECH.key,
        voice="alloy",
        sets={"/model": "gpt-4o-mini-tts"},
        max_chars=4096,
        languages=LANGUAGES,
        languages_source=LANGUAGES_SOURCE,
        description="gpt-4o-mini-tts, the audio file (voice alloy)",
    ),
)

# gpt-4o-mini-tts's dated snapshots (SNAPSHOTS_PAGE, read 2026-11-25): the same model pinned, spoken and priced as it;
# the newer one is also the official client's (openai 3.57.0 SpeechModel: "tts-1", "tts-1-hd", "gpt-4o-mini-tts",
# "gpt-4o-mini-tts-2025-12-15"). Not offerings of their own: the benchmark runs the alias.
_SNAPSHOTS_WORDS = (
    '"以下は、GPT-4o Mini TTS で利用可能なすべてのスナップショットとエイリアスの一覧です" '
    "(" + SNAPSHOTS_PAGE + ", read 2026-11-25)"
)
REALTIME_2_1_PAGE = "https://developers.openai.com/zh-Hans/api/docs/models/gpt-realtime-2.1"
_REALTIME_SDK = Evidence(EvidenceSource.SDK, "openai==3.57.0", "client.realtime.connect")
KNOWN_MODELS = (
    KnownModel(
        name="gpt-4o-mini-tts-2025-12-15",
        like="gpt-4o-mini-tts",
        words=_SNAPSHOTS_WORDS + '; SpeechModel = Literal[..., "gpt-4o-mini-tts-2025-12-15"] (openai 3.57.0)',
        alias=True,
        evidence=(DOCUMENTS, Evidence(EvidenceSource.SDK, "openai==3.57.0", "audio.speech.create")),
    ),
    KnownModel(name="gpt-4o-mini-tts-2025-03-20", like="gpt-4o-mini-tts", words=_SNAPSHOTS_WORDS, alias=True),
    # The names the voice-agent frameworks ask the Realtime socket for by default, beyond its offerings (each another
    # model: spoken as gpt-realtime-1.5, unpriced). Both are in the official client's list of the session's models
    # (openai 3.57.0, RealtimeSessionCreateRequest.model: Literal["gpt-realtime", "gpt-realtime-1.5", "gpt-realtime-2",
    # "gpt-realtime-2.1", ...]; "gpt-realtime" among its "Deprecated values: ... Announced shutdown date: 2027-01-20").
    KnownModel(
        name="gpt-realtime-2.1",
        like="gpt-realtime-1.5",
        socket="realtime",
        words='"GPT-Realtime-2.1 在 GPT-Realtime-2 的基础上改进了字母数字识别", its endpoints "Realtime '
        'v1/realtime" (' + REALTIME_2_1_PAGE + ", read 2026-11-27); Pipecat 1.14.0's "
        "OpenAIRealtimeLLMService default model",
        evidence=(
            DOCUMENTS,
            _REALTIME_SDK,
            Evidence(EvidenceSource.CLIENT, "pipecat-ai==1.14.0", "OpenAIRealtimeLLMService"),
        ),
    ),
    KnownModel(
        name="gpt-realtime",
        like="gpt-realtime-1.5",
        socket="realtime",
        words="RealtimeSessionCreateRequest.model (openai 3.57.0, realtime_session_create_request.py): "
        '"gpt-realtime", deprecated, "Announced shutdown date: 2027-01-20" (read 2026-11-27); '
        "LiveKit Agents 1.8.9's RealtimeModel default model",
        evidence=(_REALTIME_SDK, Evidence(EvidenceSource.CLIENT, "livekit-plugins-openai==1.8.9", "RealtimeModel")),
    ),
)

REFUSALS = SpeechRefusals(
    invalid=SpeechRefusal(400, "invalid_value", "{detail}"),
    missing_key=SpeechRefusal(
        401, "missing_api_key", "You didn't provide an API key. Send it as Authorization: Bearer KEY."
    ),
    bad_key=SpeechRefusal(401, "invalid_api_key", "Incorrect API key provided."),
    unknown_voice=SpeechRefusal(400, "invalid_value", "Invalid value for 'voice': {detail}"),
    unknown_model=SpeechRefusal(
        404, "model_not_found", "The model '{detail}' does not exist or you do not have access to it."
    ),
    rate_limited=SpeechRefusal(429, "rate_limit_exceeded", "Rate limit reached for requests."),
    quota=SpeechRefusal(
        429, "insufficient_quota", "You exceeded your current quota, please check your plan and billing details."
    ),
    not_found=SpeechRefusal(404, "unknown_url", "Invalid URL (POST {detail})"),  # the method of every documented path
    too_long=SpeechRefusal(400, "string_above_max_length", "{detail}"),
    busy=SpeechRefusal(503, "server_error", "The engine is currently overloaded, please try again later."),
    server_error=SpeechRefusal(500, "server_error", "The server had an error while processing your request."),
)


def _error_body(kind: str) -> dict[str, object]:
    return {"error": {"message": "{message}", "type": kind, "param": "{param}", "code": "{code}"}}


SLOTS = Slots(text="/input", voice="/voice", model="/model", format="/response_format", speed="/speed")

# What speech.audio.done's usage says was billed (gpt-4o-mini-tts: text tokens in, audio tokens out; openai.toml).
_USAGE = (
    "OpenAI's OpenAPI spec as generated into SDK types: SpeechAudioDoneEvent \"Emitted when the speech "
    'synthesis is complete and all audio has been streamed.", '
    'usage "Token usage statistics for the request.": '
)
SSE_BILLING = (
    BilledSignal(
        unit=Unit.TEXT_TOKENS,
        at="/usage/input_tokens",
        event=DONE_EVENT,
        source="sdk",
        evidence=_USAGE
        + (
            'input_tokens "Number of input tokens in the prompt" (docs.rs/openai-openapi-types '
            "SpeechAudioDoneEventUsage; hexdocs.pm/ex_openai ExOpenAI.Components.SpeechAudioDoneEvent)"
        ),
    ),
    BilledSignal(
        unit=Unit.AUDIO_TOKENS,
        at="/usage/output_tokens",
        event=DONE_EVENT,
        source="sdk",
        evidence=_USAGE + ('output_tokens "Number of output tokens generated" (the same types)'),
    ),
)


# What a server compatible with `POST /v1/audio/speech` must do (`tts-harness conform URL`, docs/conform.md): each
# clause in the reference's words, judged by one check of the harness (harness.core.protocols.conformance).
_FORMATS_WORDS = (
    "response_format: The format to audio in. Supported formats are `mp3`, `opus`, `aac`, `flac`, `wav`, and `pcm`."
)
_PCM_WORDS = (
    'pcm: "raw samples in 24kHz (16-bit signed, low-endian), without the header" (the text-to-speech '
    "guide, https://platform.openai.com/docs/guides/text-to-speech)"
)
_STREAM_WORDS = (
    "stream_format: The format to stream the audio in. Supported formats are `sse` and `audio`. `sse` is "
    "not supported for `tts-1` or `tts-1-hd`."
)
_EVENT_WORDS = (
    'speech.audio.delta "Emitted for each chunk of audio data generated during speech synthesis", audio '
    '"A chunk of Base64-encoded audio data"; speech.audio.done "Emitted when the speech synthesis is '
    'complete and all audio has been streamed", usage "Token usage statistics for the request" '
    "(input_tokens, output_tokens, total_tokens; the OpenAPI spec's SpeechAudioDeltaEvent and "
    "SpeechAudioDoneEvent, as generated into openai-client-base and ex_openai)"
)
_ERROR_WORDS = 'errors answer {"error": {"message", "type", "param", "code"}} (' + ERROR_CODES + ")"
_NOT_FOR_INSTRUCTIONS = ("tts-1", "tts-1-hd")


def _format_clause(fmt: Format) -> Clause:
    words = _FORMATS_WORDS + (" " + _PCM_WORDS if fmt.name == "pcm" else "")
    asks = (
        "pcm: headerless 16-bit little-endian mono samples at 24 kHz"
        if fmt.name == "pcm"
        else f"{fmt.name}: the answer is {fmt.name} audio, labelled {fmt.media_type}"
    )
    return Clause(
        name=f"format-{fmt.name}",
        asks=asks,
        words=words,
        source=REFERENCE,
        judge=Judge.FAMILY,
        check=f"format-{fmt.name}",
    )


CONFORMANCE = ConformClauses(
    endpoint="POST /v1/audio/speech",
    clauses=(
        *(_format_clause(fmt) for fmt in FORMATS),
        Clause(
            name="speed",
            asks="speed 2.0 lasts about half as long as 1.0 (0.25 to 4.0 accepted)",
            words=SPEED_WORDS,
            source=REFERENCE,
            judge=Judge.FAMILY,
            check="speed",
        ),
        Clause(
            name="instructions",
            asks="a request with instructions is spoken, on a model that takes them",
            words="instructions: " + INSTRUCTIONS_WORDS,
            source=REFERENCE,
            judge=Judge.ACCEPTED,
            sets={"/instructions": "Speak in a cheerful and positive tone."},
            not_for=_NOT_FOR_INSTRUCTIONS,
        ),
        Clause(
            name="stream-audio",
            asks="stream_format audio: the audio file, sent chunked as it is made",
            words=_STREAM_WORDS + ' 200: "The audio file content".',
            source=REFERENCE,
            judge=Judge.FAMILY,
            check="stream-audio",
        ),
        Clause(
            name="stream-sse",
            asks="stream_format sse: text/event-stream, speech.audio.delta events, then speech.audio.done with usage",
            words=_STREAM_WORDS + " " + _EVENT_WORDS,
            source=REFERENCE,
            judge=Judge.FAMILY,
            check="stream-sse",
            not_for=_NOT_FOR_INSTRUCTIONS,
        ),
        Clause(
            name="seams",
            asks="the streamed file's chunks join as one sound: no header, no inserted gap at a seam",
            words=_STREAM_WORDS + ' 200: "The audio file content": one file, whatever its chunks.',
            source=REFERENCE,
            judge=Judge.FAMILY,
            check="seams",
        ),
        Clause(
            name="error-bad-voice",
            asks="an unknown voice: 400 in OpenAI's error body",
            words="voice: Supported built-in voices are `alloy`, ... `cedar`; " + _ERROR_WORDS,
            source=REFERENCE,
            judge=Judge.FAMILY,
            check="error-bad-voice",
        ),
        Clause(
            name="error-long-input",
            asks="4097 characters: 400 in OpenAI's error body",
            words="input: " + INPUT_WORDS + " " + _ERROR_WORDS,
            source=REFERENCE,
            judge=Judge.FAMILY,
            check="error-long-input",
        ),
        Clause(
            name="error-bad-key",
            asks="a wrong key: 401 in OpenAI's error body",
            words='401 "Invalid Authentication" ("Incorrect API key provided"); ' + _ERROR_WORDS,
            source=ERROR_CODES,
            judge=Judge.PLAN,
            check="401-invalid-key",
        ),
        Clause(
            name="voices",
            asks="each of the thirteen built-in voices is spoken",
            words="voice: Supported built-in voices are `alloy`, `ash`, `ballad`, `coral`, `echo`, `fable`, `onyx`, "
            "`nova`, `sage`, `shimmer`, `verse`, `marin`, and `cedar`.",
            source=REFERENCE,
            judge=Judge.VOICES,
        ),
    ),
)


SERVICE = SpeechService(
    name="openai",
    title="OpenAI speech (/v1/audio/speech)",
    hosts={HOST: "https://api.openai.com/v1"},
    auth=Auth(header="Authorization", scheme="Bearer"),
    key_env="OPENAI_API_KEY",
    docs=(REFERENCE, MODEL_PRICES_PAGE, ERROR_CODES, OVERVIEW),
    request_id_header="x-request-id",  # OVERVIEW: every answer names its request; the official client reads it
    error_model=ErrorBody,
    # The error `type` the reference uses per status; `code` says more ("model_not_found", "invalid_api_key").
    errors=ErrorShape(
        _error_body("invalid_request_error"),
        by_status={
            429: _error_body("rate_limit_exceeded"),
            500: _error_body("server_error"),
            503: _error_body("server_error"),
        },
    ),
    refusals=REFUSALS,
    syntheses=(
        Synthesis(
            endpoint=SPEECH,
            slots=SLOTS,
            formats=FORMATS,
            default_format="mp3",
            chosen_by=Selector("/stream_format", ("audio",), by_default=True),
        ),
        Synthesis(
            endpoint=SPEECH_SSE,
            slots=SLOTS,
            formats=FORMATS,
            default_format="mp3",
            chosen_by=Selector("/stream_format", ("sse",)),
            answer={"type": "speech.audio.delta"},
            last_event={"type": DONE_EVENT, "usage": {"input_tokens": 0, "output_tokens": 0, "total_tokens": 0}},
            billing=SSE_BILLING,
        ),
    ),
    models=MODELS,
    voices=VOICE_LIST,
    known_models=KNOWN_MODELS,
    doc_drift=(
        DocDrift(
            "two answers on one path",
            "POST /v1/audio/speech answers the audio file when stream_format is "
            "audio (the default) and Server-Sent Events when it is sse: both are declared, as two answer "
            "forms of the one path picked by `stream_format` (audio.speech and audio.speech.sse); "
            "gpt-4o-mini-tts is offered on both (gpt-4o-mini-tts-audio: the file).",
            (REFERENCE,),
        ),
        DocDrift(
            "usage",
            "speech.audio.done carries usage in tokens, which the reference does not relate to "
            "characters: the sandbox writes the input's tokens at the price sheet's characters a token and "
            "the audio's tokens at its tokens a second (both estimates, openai.toml).",
            (REFERENCE,),
        ),
    ),
    file_protocols=("openai-speech",),
    conformance=CONFORMANCE,
)

PROVIDER = with_sockets(SERVICE, SOCKETS)
