"""Rime's text to speech as its documents describe it, in the HTTP speech family's terms: `POST /v1/rime-tts`
answering the audio as the body in the form its `Accept` header names, the bearer key, and a model per family
(Coda, Arcana, Mist v2) with the voice the documents pair with it.
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
from harness.core.spec import AudioBody, Auth, BodyKind, DocDrift, Endpoint, JsonBody, Response, Role
from harness.providers.rime.models import CLI, MCP, QUICKSTART, ErrorBody, SpeechRequest
from harness.providers.rime.sockets import OVERVIEW, SEGMENT, SOCKETS, WS_HOST, WS_JSON

HOST = "api"
RATE = 24000

FORMATS = (
    Format("audio/mp3", AudioSpec("mp3", RATE, "mp3"), "audio/mpeg"),
    Format("audio/wav", AudioSpec("pcm_s16le", RATE, "wav"), "audio/wav"),
)


def _error(status: int, words: str) -> Response:
    return Response(status, (JsonBody(ErrorBody),), words, inferred=True)


SYNTHESIZE = Endpoint(
    key="rime-tts", method="POST", path="/v1/rime-tts", host=HOST, role=Role.STREAM,
    summary="Text to speech: the audio as the body, in the form the Accept header names",
    request=SpeechRequest, body_kind=BodyKind.JSON, header_fields={"accept": "Accept"},
    responses=(Response(200, (AudioBody(("audio/mpeg", "audio/mp3", "audio/wav")),), "The audio"),
               _error(400, "a request the documents forbid"), _error(401, "no valid bearer key"),
               _error(429, "rate limited"), _error(500, "a server fault")),
    example={"text": "Hello! This is Rime speaking.", "speaker": "celeste", "modelId": "arcana",
             "accept": "audio/mp3"},
    doc=QUICKSTART,
)

# Voices the documents pair with models: celeste (Arcana, the quickstart), lyra (Coda, the MCP reference's demo), cove
# (Mist v2, integrations' examples).
VOICE_LIST = (Voice("celeste", "en-US", models=("arcana", "arcanav2")), Voice("lyra", "en-US", models=("coda",)),
              Voice("cove", "en-US", models=("mistv2", "mist")))

MODELS = tuple(Model(name, SYNTHESIZE.key, voice, price_note="no price in the stored material",
                     description=f"Rime {name} (voice {voice})")
               for name, voice in (("coda", "lyra"), ("arcana", "celeste"), ("mistv2", "cove")))

REFUSALS = Refusals(
    invalid=Refusal(400, "invalid_request", "{detail}"),
    missing_key=Refusal(401, "unauthorized", "Missing API key"),
    bad_key=Refusal(401, "unauthorized", "Invalid API key"),
    unknown_voice=Refusal(400, "invalid_request", "Speaker {detail} is not available for this model"),
    rate_limited=Refusal(429, "rate_limited", "Too many requests"),
    quota=Refusal(402, "payment_required", "Out of credits"),
    server_error=Refusal(500, "server_error", "Internal server error"),
)

SERVICE = SpeechService(
    name="rime",
    title="Rime text to speech (HTTP) and its WebSocket",
    hosts={HOST: "https://users.rime.ai", WS_HOST: "https://users-ws.rime.ai"},
    auth=Auth("Authorization", "Bearer"),
    key_env="RIME_API_KEY",
    docs=(QUICKSTART, CLI, MCP, WS_JSON, SEGMENT, OVERVIEW),
    error_model=ErrorBody,
    errors=ErrorShape({"message": "{message}"}),
    refusals=REFUSALS,
    syntheses=(Synthesis(SYNTHESIZE, Slots(text="/text", voice="/speaker", model="/modelId", format="/accept"),
                         FORMATS, default_format="audio/mp3"),),
    models=MODELS,
    voices=VOICE_LIST,
    prices_read="2026-11-24",
    doc_drift=(DocDrift("JSON form", "Third parties' code asks Accept: application/json for a JSON envelope, but the "
                        "stored pages list only audio Accept values and show no such answer: the family could declare "
                        "it as a second answer form of the path (Synthesis.chosen_by on /accept), its fields are not "
                        "written, so it is not declared.", (QUICKSTART, CLI)),
               DocDrift("errors", "No error body or status is in the stored pages: inferred.", (QUICKSTART,))),
)

PROVIDER = with_sockets(SERVICE, SOCKETS)  # with its JSON WebSocket (`sockets`)
