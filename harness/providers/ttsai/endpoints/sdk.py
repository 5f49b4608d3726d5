"""The endpoints TTS.ai's official Python client calls that the document never shows, or shows on another
host (evidence `source: sdk`, `models.sdk`): an application built on `ttsai` depends on every one.

Where the client and the document disagree, both are accepted and the difference reported as drift:
- the OpenAI route: the document implies it on the API host (`audio.speech`, inferred); the client
  calls it on the web host (`sdk.audio.speech` here);
- `POST /api/v1/tts/`: the document's saved-voice TTS (`user_voice_id`); the client sends `/v1/tts/`'s
  fields (`model`, `voice`, `format`): `models.sdk.SDK_TTS_VARIANT` of `saved-voice.tts`, priced like
  `/v1/tts/`;
- the audio of a completed job: the document gives `result_url`; the client reads `cdn_url` or `url`
  and otherwise builds `{api}/static/downloads/{uuid}/tts_output.wav` (`sdk.download`);
- models and voices: the document's `/v1/models/` and `/v1/voices/` (api host) name them `id`, `model`,
  `credits_per_1k_chars`; the client reads `/api/v1/models/` and `/api/v1/voices/` (web host) as `name`,
  `voice_id`, `model_name`, `credits_per_1k`.
"""

from __future__ import annotations

from dataclasses import replace

from harness.core.spec import AudioBody, BodyKind, Endpoint, JsonBody, Role
from harness.providers.ttsai.endpoints.shared import KEYED, UPLOAD_RUN, error_responses, ok
from harness.providers.ttsai.endpoints.speech import BATCH as DOCUMENTED_BATCH
from harness.providers.ttsai.endpoints.speech import BATCH_JOB, JOB, OPENAI_SPEECH
from harness.providers.ttsai.endpoints.speech import BATCH_RESULT as DOCUMENTED_BATCH_RESULT
from harness.providers.ttsai.models.sdk import (
    SdkCloneRequest,
    SdkCloneResult,
    SdkModelList,
    SdkSttRequest,
    SdkTranscription,
    SdkVoiceList,
    SdkVoicesQuery,
    sdk,
)
from harness.providers.ttsai.models.shared import DOC
from harness.providers.ttsai.models.speech import JOB_LIFECYCLE
from harness.providers.ttsai.models.uploads import UPLOAD_LIMITS, sample_upload
from harness.providers.ttsai.pricing import cloning_price

SDK_DOWNLOAD_PATH = "/static/downloads/{uuid}/tts_output.wav"

# The same routes as the document's, where the client calls them on another host: the document's
# declarations on the client's host, with the client's evidence.
WEB_SPEECH = replace(
    OPENAI_SPEECH,
    key="sdk.audio.speech",
    host="web",
    inferred=False,
    evidence=sdk("generate"),
    summary="The OpenAI route on the web host, as the client's generate calls it: audio bytes",
    example={
        "model": "kokoro",
        "input": "Hello from the TTS.ai client.",
        "voice": "af_bella",
        "response_format": "wav",
    },
)

DOWNLOAD = Endpoint(
    key="sdk.download",
    method="GET",
    path=SDK_DOWNLOAD_PATH,
    summary="A completed job's audio where the client's poll_result builds its URL (no cdn_url or url given)",
    host="api",
    role=Role.OTHER,
    auth_required=False,  # fetched like result_url, whose example sends no key
    responses=(ok(AudioBody(), description="The job's audio"), *error_responses(404, 429, 500)),
    example={"uuid": "77b71db532874ce98e84a69a2d740d4c"},
    doc=DOC,
    evidence=sdk("poll_result"),
)

MODELS = Endpoint(
    key="sdk.models.list",
    method="GET",
    path="/api/v1/models/",
    summary="The models as the client's list_models reads them: {models: [{name, tier, credits_per_1k}]}",
    host="web",
    responses=(ok(JsonBody(SdkModelList), description="The models"), *error_responses(401, 429, 500)),
    doc=DOC,
    evidence=sdk("list_models"),
)

VOICES = Endpoint(
    key="sdk.voices.list",
    method="GET",
    path="/api/v1/voices/",
    summary="The voices as the client's list_voices reads them, filtered by model and language",
    host="web",
    request=SdkVoicesQuery,
    body_kind=BodyKind.QUERY,
    responses=(ok(JsonBody(SdkVoiceList), description="The voices"), *error_responses(*KEYED, 404)),
    example={"model": "kokoro"},
    doc=DOC,
    evidence=sdk("list_voices"),
)

STT = Endpoint(
    key="sdk.stt",
    method="POST",
    path="/api/v1/stt/",
    summary="Speech to text as the client's transcribe sends it (multipart file, model, language)",
    host="web",
    role=Role.OTHER,
    request=SdkSttRequest,
    body_kind=BodyKind.MULTIPART,
    responses=(ok(JsonBody(SdkTranscription), description="The transcript"), *error_responses(*UPLOAD_RUN)),
    example={"file": sample_upload("recording.wav"), "model": "faster-whisper"},
    doc=DOC,
    max_upload_bytes=UPLOAD_LIMITS["stt"],
    evidence=sdk("transcribe"),
)

CLONE = Endpoint(
    key="sdk.voice-clone",
    method="POST",
    path="/api/v1/voice-clone/",
    summary="Voice cloning as the client's clone_voice sends it: a job ({uuid, status}) speaking `text`",
    host="web",
    role=Role.SUBMIT,
    request=SdkCloneRequest,
    body_kind=BodyKind.MULTIPART,
    responses=(ok(JsonBody(SdkCloneResult), description="The cloning job"), *error_responses(*UPLOAD_RUN)),
    price=cloning_price,
    lifecycle=JOB_LIFECYCLE,
    job=JOB,
    max_upload_bytes=UPLOAD_LIMITS["clone"],
    example={
        "reference_audio": sample_upload("reference.wav", seconds=1.0),
        "name": "My Voice",
        "model": "chatterbox",
        "text": "Hello in my cloned voice!",
    },
    doc=DOC,
    evidence=sdk("clone_voice"),
)

BATCH_RESULT = replace(
    DOCUMENTED_BATCH_RESULT,
    key="sdk.tts.batch.result",
    path="/api/v1/tts/batch/result/",
    host="web",
    summary="Batch progress by batch_id, on the web host (the client's batch_result)",
    evidence=sdk("batch_result"),
)

BATCH = replace(
    DOCUMENTED_BATCH,
    key="sdk.tts.batch",
    path="/api/v1/tts/batch/",
    host="web",
    inferred=False,
    summary="Batch TTS on the web host (the client's batch_generate): the /v1/tts/batch/ body",
    job=replace(BATCH_JOB, status_endpoint=BATCH_RESULT.key),  # the client polls the web host's result
    example={"texts": [{"text": "Hello from the TTS.ai client.", "model": "kokoro", "voice": "af_bella"}]},
    evidence=sdk("batch_generate"),
)

SDK_ENDPOINTS = (WEB_SPEECH, DOWNLOAD, MODELS, VOICES, STT, CLONE, BATCH, BATCH_RESULT)
