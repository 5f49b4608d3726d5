"""Resemble's text to speech as its reference describes it, in the HTTP speech family's terms: `POST /synthesize`
on its synthesis server answering base64 audio at `/audio_content`, `POST /stream` answering a chunked WAV stream,
both with the bearer key; and its streaming WebSocket (`sockets`) in the WebSocket speech family's.
"""

from __future__ import annotations

from harness.core.prices.units import Unit
from harness.core.protocols.billing import BilledSignal
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
)
from harness.core.protocols.marks import Marks
from harness.core.protocols.realtime_grammar import AudioSpec
from harness.core.protocols.websocket_speech import with_sockets
from harness.core.spec import AudioAt, AudioBody, Auth, BodyKind, DocDrift, Endpoint, JsonBody, Response, Role
from harness.providers.resemble.models import (
    INTEGRATIONS,
    REFERENCE,
    SDK,
    STREAM_GUIDE,
    STREAM_PAGE_V1,
    STREAM_REFERENCE,
    SYNCHRONOUS_GUIDE,
    TIMESTAMPS_PAGE,
    ErrorBody,
    StreamRequest,
    SynthesizeRequest,
    SynthesizeResponse,
)
from harness.providers.resemble.sockets import SOCKETS, WS_HOST

HOST = "synthesis"
RATE = 48000  # "sample_rate … Defaults to 48000"
RATES = (8000, 16000, 22050, 32000, 44100, 48000)
FORMATS = (
    Format(name="wav", spec=AudioSpec("pcm_s16le", RATE, "wav"), media_type="audio/wav", rates=RATES),
    Format(name="mp3", spec=AudioSpec("mp3", RATE, "mp3"), media_type="audio/mpeg", rates=(22050, 32000, 44100, 48000)),
)
# The stream has no output_format: "a single-channel PCM WAV stream", its header first.
STREAM_FORMATS = (Format(name="wav", spec=AudioSpec("pcm_s16le", RATE, "wav"), media_type="audio/wav", rates=RATES),)


def _error(status: int, words: str) -> Response:
    return Response(status=status, bodies=(JsonBody(ErrorBody),), description=words, inferred=True)


SYNTHESIZE = Endpoint(
    key="synthesize",
    method="POST",
    path="/synthesize",
    host=HOST,
    role=Role.AUDIO,
    summary="Synchronous synthesis: the whole clip as base64 in audio_content",
    request=SynthesizeRequest,
    body_kind=BodyKind.JSON,
    responses=(
        Response(
            status=200,
            bodies=(JsonBody(SynthesizeResponse, audio=AudioAt("/audio_content")),),
            description="Successful synthesis",
        ),
        _error(400, "Bad Request Error"),
        _error(401, "no valid bearer key"),
        _error(429, "rate limited"),
        _error(500, "a server fault"),
    ),
    example={"voice_uuid": "55592656", "data": "Hello from Resemble!", "sample_rate": 48000, "output_format": "wav"},
    doc=REFERENCE,
)

STREAM = Endpoint(
    key="stream",
    method="POST",
    path="/stream",
    host=HOST,
    role=Role.STREAM,
    summary="Streaming synthesis (HTTP): chunked WAV for progressive playback",
    request=StreamRequest,
    body_kind=BodyKind.JSON,
    responses=(
        Response(status=200, bodies=(AudioBody(("audio/wav",)),), description="Streaming audio response (chunked WAV)"),
        _error(400, "Bad Request Error"),
        _error(401, "no valid bearer key"),
        _error(429, "rate limited"),
        _error(500, "a server fault"),
    ),
    example={
        "voice_uuid": "55592656",
        "data": "Streaming helps deliver synthesized audio before it is finished.",
        "precision": "PCM_16",
    },
    doc=STREAM_REFERENCE,
)

# Voices are uuids of the account's library; "55592656" is the one the reference's own example sends.
VOICE_LIST = (Voice("55592656", "en-US"),)

MODELS = (
    Model(
        name="resemble", synthesis=SYNTHESIZE.key, voice="55592656", description="Resemble synthesis (voice 55592656)"
    ),
    Model(
        name="resemble-stream",
        synthesis=STREAM.key,
        voice="55592656",
        description="Resemble streaming synthesis over HTTP (voice 55592656)",
    ),
)

REFUSALS = SpeechRefusals(
    invalid=SpeechRefusal(400, "400", "{detail}"),
    missing_key=SpeechRefusal(401, "401", "Unauthorized"),
    bad_key=SpeechRefusal(401, "401", "Unauthorized"),
    unknown_voice=SpeechRefusal(400, "400", "Voice not found: {detail}"),
    rate_limited=SpeechRefusal(429, "429", "Too many requests"),
    quota=SpeechRefusal(402, "402", "Insufficient balance"),
    server_error=SpeechRefusal(500, "500", "Internal server error"),
)

# The seconds of audio a synthesis made: the quantity resemble.toml's per-second price multiplies (the reference does
# not call it the billed amount; no billing field is documented).
BILLING = (
    BilledSignal(
        unit=Unit.AUDIO_SECONDS,
        at="/duration",
        evidence=(
            'Resemble\'s reference (docs.resemble.ai/api-reference/text-to-speech/synthesize): 200 {"success": true, '
            '"audio_content", "audio_timestamps", "duration", "synth_duration", ...}: duration, the audio\'s seconds; '
            "billed per second of audio by resemble.toml's (third-party) price"
        ),
    ),
)

# The synchronous answer's character times, always (the request has no flag for them): graph_chars beside graph_times,
# "[start, end] pairs" in seconds. Phonemes (phon_chars, phon_times) are no text of the request: not read.
GRAPH_TIMES = Marks(
    text_at="/audio_timestamps/graph_chars",
    start_at="/audio_timestamps/graph_times",
    paired=True,
    chars=True,
    evidence='"audio_content", "audio_timestamps", "duration", "synth_duration" (' + REFERENCE + "); "
    '"All clip APIs return a timestamps object that maps graphemes and phonemes to start/end offsets in '
    'seconds": graph_chars "Characters of the synthesized text (SSML stripped, entities unescaped).", '
    'graph_times "Array of [start, end] pairs aligned to graph_chars." (' + TIMESTAMPS_PAGE + ", read 2026-11-26)",
)


SERVICE = SpeechService(
    name="resemble",
    title="Resemble AI text to speech (synchronous, HTTP stream, WebSocket)",
    hosts={HOST: "https://f.cluster.resemble.ai", WS_HOST: "https://websocket.cluster.resemble.ai"},
    # The reference's bearer key; the official client's stream sends x-access-token, as the older stream page does.
    auth=Auth(header="Authorization", scheme="Bearer", others=(Auth(header="x-access-token"),)),
    key_env="RESEMBLE_API_KEY",
    docs=(
        REFERENCE,
        STREAM_REFERENCE,
        SYNCHRONOUS_GUIDE,
        STREAM_GUIDE,
        STREAM_PAGE_V1,
        SDK,
        INTEGRATIONS,
        TIMESTAMPS_PAGE,
    ),
    error_model=ErrorBody,
    errors=ErrorShape({"success": False, "message": "{message}"}),
    refusals=REFUSALS,
    syntheses=(
        Synthesis(
            endpoint=SYNTHESIZE,
            slots=Slots(text="/data", voice="/voice_uuid", format="/output_format", rate="/sample_rate"),
            formats=FORMATS,
            default_format="wav",
            template={"precision": "PCM_16"},
            answer={
                "success": True,
                "output_format": "{format}",
                "sample_rate": "{rate}",
                "duration": "{duration_s}",
                "issues": [],
            },
            billing=BILLING,
            marks=GRAPH_TIMES,
        ),
        Synthesis(
            endpoint=STREAM,
            slots=Slots(text="/data", voice="/voice_uuid", rate="/sample_rate"),
            formats=STREAM_FORMATS,
            default_format="wav",
            template={"precision": "PCM_16"},
        ),
    ),
    models=MODELS,
    voices=VOICE_LIST,
    doc_drift=(
        DocDrift(
            "limits",
            "The reference allows 3,000 characters on /synthesize, its guide 2,000; /stream takes 2,000 in both.",
            (REFERENCE, SYNCHRONOUS_GUIDE),
        ),
        DocDrift(
            "precision",
            "PCM_32 is the documented default; the declaration always asks PCM_16, and the "
            "imitation answers 16-bit PCM whatever precision a request names.",
            (REFERENCE,),
        ),
        DocDrift(
            "stream header",
            "The stream's WAV header carries Resemble's cue/list/ltxt timing chunks and "
            "may give its size as 0xFFFFFFFF; the imitation writes a plain WAV header.",
            (STREAM_GUIDE,),
        ),
        DocDrift(
            "auth header",
            "The reference and its examples send Authorization: Bearer KEY; the "
            "synchronous guide's curl sends the bare key.",
            (REFERENCE, SYNCHRONOUS_GUIDE),
        ),
        DocDrift(
            "voices",
            "Voices are uuids of each account's library; 55592656 is the reference's example, "
            "not a voice every live account is known to have.",
            (REFERENCE,),
        ),
        DocDrift("pricing", "No per-character price is in the stored material.", (REFERENCE,)),
    ),
)

PROVIDER = with_sockets(SERVICE, SOCKETS)
