"""Smallest.ai's Waves live text to speech as its official client describes it (source: sdk), in the HTTP speech
family's terms: `POST /waves/v1/tts/live` answering Server-Sent Events whose messages carry base64 PCM at
`/data/audio` and end with "complete"; its WebSocket twin in `sockets`.
"""

from __future__ import annotations

from harness.core.protocols.http_speech import (
    ErrorShape,
    Format,
    Model,
    Refusal,
    Refusals,
    Slots,
    SpeechService,
    Synthesis,
    Voice,
)
from harness.core.protocols.realtime_grammar import AudioSpec
from harness.core.protocols.websocket_speech import with_sockets
from harness.core.spec import AudioAt, Auth, BodyKind, DocDrift, Endpoint, EventStreamBody, JsonBody, Response, Role
from harness.providers.smallest.models import SDK, ErrorBody, TtsRequest, TtsResponse
from harness.providers.smallest.sockets import RATE, SOCKETS

HOST = "api"
PCM = f"audio/pcm;rate={RATE}"
FORMATS = (Format("pcm", AudioSpec("pcm_s16le", RATE, "raw"), PCM, (8000, 16000, 24000, 44100)),)


def _error(status: int, words: str) -> Response:
    return Response(status, (JsonBody(ErrorBody),), words, inferred=True)


LIVE = Endpoint(
    key="tts.live", method="POST", path="/waves/v1/tts/live", host=HOST, role=Role.STREAM,
    summary="Live TTS over Server-Sent Events: chunks of base64 PCM, then complete",
    request=TtsRequest, body_kind=BodyKind.JSON,
    responses=(Response(200, (EventStreamBody(TtsResponse, audio=AudioAt("/data/audio", media_type=PCM)),),
                        "SSE: {status: chunk, data: {audio}} ... {status: complete}"),
               _error(400, "a request the API refuses"), _error(401, "invalid credentials"),
               _error(429, "rate limited"), _error(500, "a server fault")),
    example={"voice_id": "emily", "text": "Hello from Waves.", "model": "lightning_v3.1", "sample_rate": 24000},
    doc=SDK,
)

# "emily" is the voice of the client's examples; catalogs differ per model ("Voice catalogs differ").
VOICE_LIST = (Voice("emily", "en-US", "female"),)

MODELS = tuple(Model(name, LIVE.key, "emily", price_note="no price in the stored material",
                     description=f"Smallest.ai {name} (voice emily)")
               for name in ("lightning_v3.1", "lightning_v3.1_pro"))

REFUSALS = Refusals(
    invalid=Refusal(400, "error", "{detail}"),
    missing_key=Refusal(401, "error", "Websocket initialized with invalid credentials."),
    bad_key=Refusal(401, "error", "Websocket initialized with invalid credentials."),
    unknown_voice=Refusal(400, "error", "Voice not found: {detail}"),
    rate_limited=Refusal(429, "error", "Too many requests"),
    quota=Refusal(402, "error", "Insufficient credits"),
    server_error=Refusal(500, "error", "Internal server error"),
)

SERVICE = SpeechService(
    name="smallest",
    title="Smallest.ai Waves live TTS (SSE; WebSocket)",
    hosts={HOST: "https://api.smallest.ai"},
    auth=Auth("Authorization", "Bearer"),
    key_env="SMALLEST_API_KEY",
    docs=(SDK,),
    error_model=ErrorBody,
    errors=ErrorShape({"status": "error", "message": "{message}"}),
    refusals=REFUSALS,
    syntheses=(Synthesis(LIVE, Slots(text="/text", voice="/voice_id", model="/model", rate="/sample_rate"), FORMATS,
                         default_format="pcm", answer={"status": "chunk", "data": {}},
                         last_event={"status": "complete"}),),
    models=MODELS,
    voices=VOICE_LIST,
    prices_read="2026-11-24",
    doc_drift=(DocDrift("evidence", "Smallest.ai's reference pages are not among the stored material: the endpoint, "
                        "messages and statuses are the official client's (source: sdk). The synchronous /waves/v1/tts "
                        "it names is not described there: not declared.", (SDK,)),),
)

PROVIDER = with_sockets(SERVICE, SOCKETS)
