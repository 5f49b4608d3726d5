"""TTS.ai's catalogue answers: /v1/health/, /v1/models/ and /v1/voices/, drawn from the sandbox's own
models and voices (`models.catalog`), so what the catalogue says is what the endpoints do."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from harness.providers.ttsai.emulation.models.catalog import MODELS, VOICES, CatalogVoice, EmulatedModel, find_model
from harness.providers.ttsai.models.catalog import VoicesQuery
from harness.providers.ttsai.pricing import MODEL_TIERS, TIER_RATES
from harness.sandbox.emulation import Call
from harness.sandbox.http_bodies import json_reply
from harness.sandbox.urls import Urls

HEALTH_LATENCY_MS = 45  # the example's figure: the sandbox's own latency would say nothing about TTS.ai


async def health(call: Call) -> Response:
    return json_reply(
        {
            "status": "online",
            "latency_ms": HEALTH_LATENCY_MS,
            "queue_size": call.services.active_jobs(),
            "models_loaded": list(MODELS),
        }
    )


async def models(call: Call) -> Response:
    return json_reply({"models": [model_info(model) for model in MODELS.values()]})


async def voices(call: Call) -> Response:
    query = call.params if isinstance(call.params, VoicesQuery) else VoicesQuery()
    model = find_model(query.model).id if query.model else None
    found = [
        voice_info(v, call.urls)
        for v in VOICES
        if (model is None or v.model == model)
        and (query.language is None or v.language == query.language.split("-")[0].lower())
        and (query.gender is None or v.gender == query.gender)
    ]
    return json_reply({"voices": found, "total": len(found)})


def model_info(model: EmulatedModel) -> dict[str, Any]:
    tier = MODEL_TIERS[model.id]
    return {
        "id": model.id,
        "name": model.name,
        "type": "tts",
        "tier": tier.value,
        "languages": list(model.languages),
        "supports_cloning": model.supports_cloning,
        "supports_streaming": model.supports_streaming,
        # The /v1/models example counts thousands of characters (2 and 4; DocDrift "credit units").
        "credits_per_1k_chars": TIER_RATES[tier] / 1000,
    }


def voice_info(voice: CatalogVoice, urls: Urls) -> dict[str, Any]:
    return {
        "id": voice.id,
        "name": voice.name,
        "model": voice.model,
        "language": voice.language,
        "gender": voice.gender,
        "preview_url": f"{urls.base('api')}/v1/voices/preview/{voice.id}.mp3",
    }
