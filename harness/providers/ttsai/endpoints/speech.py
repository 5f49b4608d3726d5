"""TTS.ai's text-to-speech endpoints: the queued TTS job and its results, streaming, the
OpenAI-compatible route, voice cloning, batch TTS, TTS with a saved voice, and the task webhook.

Paths the document uses but never writes are marked `inferred=True`, with the reasoning beside
them; so is every success status (the document shows bodies, never a success code).
"""

from __future__ import annotations

from harness.core.prices.signals import BilledSignal
from harness.core.prices.units import Unit
from harness.core.spec import (
    AudioBody,
    BodyKind,
    Endpoint,
    EventStreamBody,
    JobBinding,
    JsonBody,
    Response,
    Role,
)
from harness.providers.ttsai.endpoints.shared import KEYED, MODEL_RUN, UPLOAD_RUN, error_responses, ok
from harness.providers.ttsai.models.sdk import SDK_TTS_VARIANT
from harness.providers.ttsai.models.shared import DOC, Acknowledgement
from harness.providers.ttsai.models.speech import (
    BATCH_LIFECYCLE,
    JOB_LIFECYCLE,
    WEBHOOK_LIFECYCLE,
    BatchAccepted,
    BatchRequest,
    BatchResult,
    BatchResultQuery,
    CloneRequest,
    OpenAISpeechRequest,
    ResultsQuery,
    SavedVoiceTtsRequest,
    SpeechResult,
    TtsQueued,
    TtsRequest,
    TtsStreamRequest,
    WebhookPayload,
)
from harness.providers.ttsai.models.uploads import UPLOAD_LIMITS, sample_upload
from harness.providers.ttsai.pricing import batch_price, cloning_price, tts_price, web_tts_price

TTS_DRIFT = (
    'the document says /v1/tts/ "Returns audio file in the requested format" (and its curl, Python and '
    'JavaScript examples save the body as audio) but also that it "queues your request and returns a JSON '
    'response with a job UUID": an audio answer is accepted and reported as drift'
)

DOC_TTS_EXAMPLE = {
    "model": "kokoro",
    "text": "Hello from TTS.ai! This is a test.",
    "voice": "af_bella",
    "format": "mp3",
}

JOB = JobBinding(
    id_pointer="/uuid",
    status_endpoint="speech.results",
    status_param="uuid",
    media_pointer="/result_url",
    error_pointer="/error",
    media_endpoint="sdk.download",  # the official client's fallback: /static/downloads/{uuid}/tts_output.wav
)

BATCH_JOB = JobBinding(
    id_pointer="/batch_id",
    status_endpoint="tts.batch.result",
    status_param="batch_id",
    media_pointer="/results/0/result_url",  # inferred: the batch result body is not shown
    error_pointer="/results/0/error",
)


# What the queued answer says the job spent, in the provider's own credits (its characters of the allowance, as the
# imitation writes them; DocDrift "queued credits_used" says the document's example does not add up).
TTS_BILLING = (
    BilledSignal(
        unit=Unit.CREDITS,
        at="/credits_used",
        source="docs",
        evidence=(
            'Step 1: Submit request {"uuid": "77b71db532874ce98e84a69a2d740d4c", ..., "status": "queued", '
            '"credits_used": 11, "credits_remaining": 15000} (' + DOC + ", Text to Speech)"
        ),
    ),
)

TTS = Endpoint(
    key="tts.generate",
    method="POST",
    path="/v1/tts/",
    summary="Text to speech: queues a job (uuid) polled at /v1/speech/results/; audio bytes per another passage",
    host="api",
    role=Role.SUBMIT,
    request=TtsRequest,
    body_kind=BodyKind.JSON,
    auth_required=False,  # "work without any auth, up to 5,000 characters/day per IP" with free models
    responses=(
        ok(
            JsonBody(TtsQueued), AudioBody(), description="Queued job (Step 1), or the audio file", drift_note=TTS_DRIFT
        ),
        *error_responses(*MODEL_RUN),
    ),
    price=tts_price,
    lifecycle=JOB_LIFECYCLE,
    job=JOB,
    example=DOC_TTS_EXAMPLE,
    doc=DOC,
    billing=TTS_BILLING,
)

RESULTS = Endpoint(
    key="speech.results",
    method="GET",
    path="/v1/speech/results/",
    summary="Poll a TTS job by uuid: queued → processing → completed (result_url) | failed",
    host="api",
    role=Role.STATUS,
    request=ResultsQuery,
    body_kind=BodyKind.QUERY,
    auth_required=False,  # the document's polling example sends no Authorization header
    responses=(ok(JsonBody(SpeechResult), description="The job's status"), *error_responses(400, 404, 429, 500)),
    lifecycle=JOB_LIFECYCLE,
    example={"uuid": "77b71db532874ce98e84a69a2d740d4c"},
    doc=DOC,
)

STREAM = Endpoint(
    key="tts.stream",
    method="POST",
    path="/v1/tts/stream/",
    summary="Streaming TTS as Server-Sent Events (Kokoro, MeloTTS); no polling",
    host="api",
    role=Role.STREAM,
    request=TtsStreamRequest,
    body_kind=BodyKind.JSON,
    responses=(
        ok(EventStreamBody(), description="SSE audio stream (event format not documented)"),
        *error_responses(*MODEL_RUN),
    ),
    price=tts_price,
    example={"model": "kokoro", "text": "Hello from TTS.ai!", "voice": "af_bella"},
    doc=DOC,
)

OPENAI_SPEECH = Endpoint(
    key="audio.speech",
    method="POST",
    path="/v1/audio/speech",
    summary="OpenAI-compatible speech route: {model, input, voice, response_format, speed} → audio bytes",
    host="api",
    role=Role.AUDIO,
    request=OpenAISpeechRequest,
    body_kind=BodyKind.JSON,
    responses=(ok(AudioBody(), description="The audio file"), *error_responses(*MODEL_RUN)),
    price=tts_price,
    inferred=True,  # "OpenAI-compatible format for easy migration": OpenAI's path and body
    example={"model": "kokoro", "input": "Hello from TTS.ai!", "voice": "af_bella", "response_format": "mp3"},
    doc=DOC,
)

CLONE = Endpoint(
    key="tts.clone",
    method="POST",
    path="/v1/tts/clone/",
    summary="Speech in a cloned voice from an uploaded reference (≤ 20 MB); answers audio bytes",
    host="api",
    role=Role.AUDIO,
    request=CloneRequest,
    body_kind=BodyKind.MULTIPART,
    responses=(ok(AudioBody(), description="The audio file, as binary data"), *error_responses(*UPLOAD_RUN)),
    price=cloning_price,
    max_upload_bytes=UPLOAD_LIMITS["clone"],
    example={
        "reference_audio": sample_upload("reference.wav", seconds=1.0),
        "text": "This speech uses a cloned voice.",
        "model": "chatterbox",
    },
    doc=DOC,
)

BATCH = Endpoint(
    key="tts.batch",
    method="POST",
    path="/v1/tts/batch/",
    summary="Batch TTS: up to 50 {text, model, voice} items, optional webhook_url",
    host="api",
    role=Role.SUBMIT,
    request=BatchRequest,
    body_kind=BodyKind.JSON,
    responses=(ok(JsonBody(BatchAccepted), description="The batch, processing"), *error_responses(*MODEL_RUN)),
    price=batch_price,
    lifecycle=BATCH_LIFECYCLE,
    job=BATCH_JOB,
    inferred=True,  # the result route is GET /v1/tts/batch/result/, so the submit route is /v1/tts/batch/
    example={"texts": [{"text": "Hello from TTS.ai!", "model": "kokoro", "voice": "af_bella"}]},
    doc=DOC,
)

BATCH_RESULT = Endpoint(
    key="tts.batch.result",
    method="GET",
    path="/v1/tts/batch/result/",
    summary="Batch progress by batch_id",
    host="api",
    role=Role.STATUS,
    request=BatchResultQuery,
    body_kind=BodyKind.QUERY,
    responses=(
        ok(JsonBody(BatchResult), description="The batch's progress (body not shown)"),
        *error_responses(*KEYED, 404),
    ),
    lifecycle=BATCH_LIFECYCLE,
    example={"batch_id": "abc123"},
    doc=DOC,
)

SAVED_VOICE_TTS = Endpoint(
    key="saved-voice.tts",
    method="POST",
    path="/api/v1/tts/",
    summary="TTS with a saved voice (web host): returns a queued job polled at /v1/speech/results/",
    host="web",
    role=Role.SUBMIT,
    request=SavedVoiceTtsRequest,
    body_kind=BodyKind.JSON,
    responses=(ok(JsonBody(TtsQueued), description="A queued job"), *error_responses(*MODEL_RUN)),
    price=web_tts_price,  # a saved voice: "route to the cloning pipeline"; the client's form: /v1/tts/'s price
    lifecycle=JOB_LIFECYCLE,
    job=JOB,
    example={"text": "Hello from my saved voice", "user_voice_id": "uv_a1b2c3d4e5f6"},
    request_variants=(SDK_TTS_VARIANT,),  # the client library's generate_async: {text, model, voice, format}
    doc=DOC,
)

WEBHOOK = Endpoint(
    key="webhook.task",
    method="POST",
    path="{webhook_url}",
    summary="Callback TTS.ai POSTs to the user's webhook_url when a long-running task (stems, batch) completes",
    host="user",
    role=Role.CALLBACK,
    request=WebhookPayload,
    body_kind=BodyKind.JSON,
    auth_required=False,
    responses=(
        Response(
            status=200,
            bodies=(JsonBody(Acknowledgement),),
            description="Any 2xx acknowledges the callback",
            inferred=True,
        ),
    ),
    lifecycle=WEBHOOK_LIFECYCLE,
    doc=DOC,
    timestamp_fields=("/created_at", "/completed_at"),
)

SPEECH_ENDPOINTS = (TTS, RESULTS, STREAM, OPENAI_SPEECH, CLONE, BATCH, BATCH_RESULT, SAVED_VOICE_TTS, WEBHOOK)
