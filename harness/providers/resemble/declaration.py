"""Resemble's synthesis as its official client describes it (source: sdk), in the HTTP speech family's terms:
`POST /synthesize` on its synthesis server answering base64 audio at `/audio_content`, the bearer key.
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
    build_provider,
)
from harness.core.protocols.realtime_grammar import AudioSpec
from harness.core.spec import AudioAt, Auth, BodyKind, DocDrift, Endpoint, JsonBody, Response, Role
from harness.providers.resemble.models import (
    CSHARP_EXAMPLE,
    INTEGRATIONS,
    SDK,
    ErrorBody,
    SynthesizeRequest,
    SynthesizeResponse,
)

HOST = "synthesis"
RATE = 22050  # the integrations' default sample_rate
RATES = (8000, 16000, 22050, 32000, 44100, 48000)
FORMATS = (
    Format("wav", AudioSpec("pcm_s16le", RATE, "wav"), "audio/wav", RATES),
    Format("mp3", AudioSpec("mp3", RATE, "mp3"), "audio/mpeg", (22050, 32000, 44100, 48000)),
)


def _error(status: int, words: str) -> Response:
    return Response(status, (JsonBody(ErrorBody),), words, inferred=True)


SYNTHESIZE = Endpoint(
    key="synthesize", method="POST", path="/synthesize", host=HOST, role=Role.AUDIO,
    summary="Synthesize a clip: base64 audio in audio_content", request=SynthesizeRequest, body_kind=BodyKind.JSON,
    responses=(Response(200, (JsonBody(SynthesizeResponse, audio=AudioAt("/audio_content")),), "The clip"),
               _error(400, "a request the API refuses"), _error(401, "no valid bearer key"),
               _error(429, "rate limited"), _error(500, "a server fault")),
    example={"voice_uuid": "55592656", "data": "Hello from Resemble.", "output_format": "wav", "precision": "PCM_16"},
    doc=SDK,
)

# Voices are uuids of the account's library; "55592656" is the sandbox's stand-in, named so in the drift below.
VOICE_LIST = (Voice("55592656", "en-US"),)

MODELS = (Model("resemble", SYNTHESIZE.key, "55592656", price_note="no price in the stored material",
                description="Resemble synthesis (a library voice)"),)

REFUSALS = Refusals(
    invalid=Refusal(400, "400", "{detail}"),
    missing_key=Refusal(401, "401", "Unauthorized"),
    bad_key=Refusal(401, "401", "Unauthorized"),
    unknown_voice=Refusal(400, "400", "Voice not found: {detail}"),
    rate_limited=Refusal(429, "429", "Too many requests"),
    quota=Refusal(402, "402", "Insufficient balance"),
    server_error=Refusal(500, "500", "Internal server error"),
)

SERVICE = SpeechService(
    name="resemble",
    title="Resemble AI synthesis (direct)",
    hosts={HOST: "https://f.cluster.resemble.ai"},
    auth=Auth("Authorization", "Bearer"),
    key_env="RESEMBLE_API_KEY",
    docs=(SDK, INTEGRATIONS, CSHARP_EXAMPLE),
    error_model=ErrorBody,
    errors=ErrorShape({"success": False, "message": "{message}"}),
    refusals=REFUSALS,
    syntheses=(Synthesis(SYNTHESIZE, Slots(text="/data", voice="/voice_uuid", format="/output_format",
                                           rate="/sample_rate"), FORMATS, default_format="wav",
                         template={"precision": "PCM_16"},
                         answer={"success": True, "output_format": "{format}", "sample_rate": "{rate}",
                                 "duration": "{duration_s}", "issues": []}),),
    models=MODELS,
    voices=VOICE_LIST,
    prices_read="2026-11-24",
    doc_drift=(DocDrift("evidence", "Resemble's reference pages are not among the stored material: the endpoint and "
                        "fields are the official client's and integrations'.", (SDK, INTEGRATIONS)),
               DocDrift("voices", "Voices are uuids of each account's library; 55592656 is the sandbox's stand-in, "
                        "not a voice a live account is known to have.", (SDK,)),
               DocDrift("streaming", "The client's stream (POST {syn_server}/stream, an x-access-token header, a WAV "
                        "stream) and the WebSocket (wss://websocket.cluster.resemble.ai/stream) are not declared: "
                        "the former authenticates apart from the synthesis, the latter's messages are not stored.",
                        (SDK, INTEGRATIONS))),
)

PROVIDER = build_provider(SERVICE)
