"""The answers to what TTS.ai's official client (`ttsai`) calls beyond the document (`providers/ttsai/
endpoints/sdk.py`), in the shapes the client reads, drawn from the same catalogue and jobs as the
documented endpoints, so the client and the documents see one sandbox:

    sdk.audio.speech   the OpenAI route, as on the API host
    sdk.download       a completed job's audio at `/static/downloads/{uuid}/tts_output.wav` (the job's own
                       bytes and type, as its `result_url` serves them: the sandbox does not convert)
    sdk.models.list    {models: [{name, tier, credits_per_1k}]}: `name` is what `generate(model=)` takes
    sdk.voices.list    {voices: [{voice_id, name, model_name, language, gender, preview_url, is_premium, tags}]}
    sdk.stt            {text, language, segments}, the transcript of /v1/stt/

`POST /api/v1/tts/` in the client's form, the web batch and voice cloning are jobs: `responses.jobs`.
"""

from __future__ import annotations

from starlette.responses import Response

from harness.providers.ttsai.emulation.models.catalog import MODELS, VOICES, find_model
from harness.providers.ttsai.emulation.responses import billing
from harness.providers.ttsai.emulation.responses.asr import transcribe
from harness.providers.ttsai.emulation.responses.catalog import voice_info
from harness.providers.ttsai.models.sdk import SdkSttRequest, SdkVoicesQuery
from harness.providers.ttsai.pricing import MODEL_TIERS, TIER_RATES, Tier
from harness.sandbox.emulation import Call, Reject
from harness.sandbox.http_bodies import json_reply


async def download(call: Call) -> Response:
    job_id = call.path_params.get("uuid", "")
    found = await call.services.job_audio(job_id)
    if found is None:
        raise Reject(404, f"Job '{job_id}' not found.")
    audio, media_type = found
    return Response(audio, media_type=media_type)


async def models(call: Call) -> Response:
    return json_reply(
        {
            "models": [
                {
                    "name": model.id,
                    "tier": MODEL_TIERS[model.id].value,
                    "credits_per_1k": TIER_RATES[MODEL_TIERS[model.id]],
                }
                for model in MODELS.values()
            ]
        }
    )


async def voices(call: Call) -> Response:
    query = call.params if isinstance(call.params, SdkVoicesQuery) else SdkVoicesQuery()
    model = find_model(query.model).id if query.model else None
    language = query.language.split("-")[0].lower() if query.language else None
    found = []
    for voice in VOICES:
        if (model is not None and voice.model != model) or (language is not None and voice.language != language):
            continue
        documented = voice_info(voice, call.urls)
        found.append(
            {
                "voice_id": voice.id,
                "name": voice.name,
                "model_name": voice.model,
                "language": voice.language,
                "gender": voice.gender,
                "preview_url": documented["preview_url"],
                "is_premium": MODEL_TIERS[voice.model] is Tier.PREMIUM,
                "tags": "",
            }
        )
    return json_reply({"voices": found})


async def stt(call: Call) -> Response:
    params = call.params
    assert isinstance(params, SdkSttRequest)
    cost = billing.price(call)
    billing.ensure_funds(call, cost)
    transcript = await transcribe(call, params.file.content)
    billing.bill(call, cost)
    segments = [{"start": s.start, "end": s.end, "text": s.text} for s in transcript.segments]
    language = params.language or "en"
    return json_reply({"text": transcript.text, "language": language, "segments": segments})
