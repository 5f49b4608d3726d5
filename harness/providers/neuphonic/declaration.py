"""Neuphonic's text to speech as its official client describes it (source: sdk), in the HTTP speech family's terms:
`POST /sse/speak/{lang_code}` answering Server-Sent Events (`event: message`) with base64 16-bit PCM at
`/data/audio`, the `x-api-key` header; its TTS WebSocket in `sockets`.
"""

from __future__ import annotations

from harness.core.protocols.catalogues import Catalogue
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
from harness.core.protocols.realtime_grammar import AudioSpec
from harness.core.protocols.websocket_speech import with_sockets
from harness.core.spec import AudioAt, Auth, BodyKind, DocDrift, Endpoint, EventStreamBody, JsonBody, Response, Role
from harness.providers.neuphonic.models import (
    SDK,
    SDK_WEBSOCKET,
    SDK_WEBSOCKET_JS,
    WEBSOCKET_DOC,
    ErrorBody,
    SpeakEvent,
    SpeakRequest,
)
from harness.providers.neuphonic.sockets import SOCKETS

HOST = "api"
RATE = 24000  # sampling_rate "default=24000"
PCM = f"audio/pcm;rate={RATE}"  # "pcm_linear": 16-bit little-endian samples (the client writes them into a WAV)
FORMATS = (
    Format(
        name="pcm_linear", spec=AudioSpec("pcm_s16le", RATE, "raw"), media_type=PCM, rates=(8000, 16000, 22050, 24000)
    ),
    # encoding's other value (TTSConfig: "pcm_linear", "pcm_mulaw"): headerless 8-bit mu-law at the asked rate
    Format(
        name="pcm_mulaw",
        spec=AudioSpec("pcm_mulaw", RATE, "raw"),
        media_type="audio/x-mulaw",
        rates=(8000, 16000, 22050, 24000),
    ),
)


def _error(status: int, words: str) -> Response:
    return Response(status=status, bodies=(JsonBody(ErrorBody),), description=words, inferred=True)


SPEAK = Endpoint(
    key="sse.speak",
    method="POST",
    path="/sse/speak/{lang_code}",
    host=HOST,
    role=Role.STREAM,
    summary="Speak over Server-Sent Events: base64 PCM chunks, one message event each",
    request=SpeakRequest,
    body_kind=BodyKind.JSON,
    responses=(
        Response(
            status=200,
            bodies=(EventStreamBody(SpeakEvent, audio=AudioAt("/data/audio", media_type=PCM)),),
            description="event: message, data: {status_code, data: {audio, text, sampling_rate}}",
        ),
        _error(400, "a request the API refuses"),
        _error(401, "no valid x-api-key"),
        _error(429, "rate limited"),
        _error(500, "a server fault"),
    ),
    example={
        "text": "Hello, world.",
        "lang_code": "en",
        "speed": 1.0,
        "sampling_rate": 24000,
        "encoding": "pcm_linear",
    },
    doc=SDK,
)

# The client's example voice id; the voices listing (GET /voices) returns ids like it. Read again 2026-11-25: jambonz's
# Neuphonic guide (`JAMBONZ`, source: client): "A voice is a Neuphonic voice id (a UUID). The portal lists Neuphonic's
# stock voices by language; Hannah (eeb488b8-d532-4235-aa57-f070cfc44750) is the English default. Voices you have
# cloned or created in your Neuphonic account are not listed, but work when you enter their id as a custom voice";
# "Neuphonic has no model setting: the voice selects the model." LiveKit's plugin defaults to the first
# (livekit-plugins-neuphonic 1.8.9: `voice_id: str = "8e9c4bc8-3979-48ab-8626-df53befc2090"`).
JAMBONZ = "https://docs.jambonz.org/guides/features/tts-vendor-settings/neuphonic (Models; Voices and languages)"
VOICE_LIST = (
    Voice("8e9c4bc8-3979-48ab-8626-df53befc2090", "en"),
    Voice("eeb488b8-d532-4235-aa57-f070cfc44750", "en", "female", extra={"label": "Hannah"}),
)

# Open: the stock voices are a library listed per language, and the account's cloned and created voices "work when you
# enter their id" (JAMBONZ); every id shown is a UUID. An id of another form gets the not-found refusal.
VOICE_CATALOGUE = Catalogue(
    open=True,
    form=r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    why='a voice is "a Neuphonic voice id (a UUID)"; cloned and created voices "work when '
    "you enter their id\" (jambonz's guide, source: client)",
)

MODELS = (
    Model(
        name="neuphonic",
        synthesis=SPEAK.key,
        voice="8e9c4bc8-3979-48ab-8626-df53befc2090",
        description="Neuphonic SSE speech (the client's voice)",
    ),
)

REFUSALS = SpeechRefusals(
    invalid=SpeechRefusal(400, "400", "{detail}"),
    missing_key=SpeechRefusal(401, "401", "No API key provided"),
    bad_key=SpeechRefusal(401, "401", "Invalid API key"),
    unknown_voice=SpeechRefusal(400, "400", "Voice not found: {detail}"),
    rate_limited=SpeechRefusal(429, "429", "Too many requests"),
    quota=SpeechRefusal(402, "402", "Insufficient credits"),
    server_error=SpeechRefusal(500, "500", "Internal server error"),
)

SERVICE = SpeechService(
    name="neuphonic",
    title="Neuphonic text to speech (SSE and the WebSocket)",
    hosts={HOST: "https://api.neuphonic.com"},
    auth=Auth(header="x-api-key"),
    key_env="NEUPHONIC_API_KEY",
    docs=(SDK, SDK_WEBSOCKET, SDK_WEBSOCKET_JS, WEBSOCKET_DOC),
    error_model=ErrorBody,
    errors=ErrorShape({"status_code": "{status}", "errors": [{"message": "{message}"}]}),
    refusals=REFUSALS,
    syntheses=(
        Synthesis(
            endpoint=SPEAK,
            slots=Slots(text="/text", voice="/voice_id", format="/encoding", rate="/sampling_rate"),
            formats=FORMATS,
            default_format="pcm_linear",
            template={"lang_code": "en", "speed": 1.0},
            answer={"status_code": 200, "data": {"text": "{text}", "sampling_rate": "{rate}"}},
        ),
    ),
    models=MODELS,
    voices=VOICE_LIST,
    voice_catalogue=VOICE_CATALOGUE,
    doc_drift=(
        DocDrift(
            "evidence",
            "Neuphonic's reference pages are not among the stored material: the endpoint, "
            "fields and events are the official client's (source: sdk).",
            (SDK,),
        ),
    ),
)

PROVIDER = with_sockets(SERVICE, SOCKETS)  # and its TTS WebSocket (`sockets`)
