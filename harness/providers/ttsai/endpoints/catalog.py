"""TTS.ai's informational and account endpoints: health, models, voices, and saved voices on the
web host (https://tts.ai/api/v1/user-voices/…).

Inferred: /v1/health/ and /v1/models/ (the document titles "Health Check" and "List Models" beside
the written /v1/voices/, with the trailing slash every written api path has); the archive and
reactivate paths are written with a concrete id (`uv_a1b2c3d4e5f6`), templated here as `{public_id}`,
the name the upload answer and the delete query give that id.
"""

from __future__ import annotations

from harness.core.spec import BodyKind, Endpoint, JsonBody, Response
from harness.providers.ttsai.endpoints.shared import CHARGED, KEYED, error_responses, ok
from harness.providers.ttsai.models.catalog import (
    Health,
    ModelList,
    SavedVoice,
    SavedVoiceList,
    SavedVoiceQuery,
    SavedVoiceUpload,
    VoiceList,
    VoicesQuery,
)
from harness.providers.ttsai.models.shared import DOC, Acknowledgement
from harness.providers.ttsai.models.uploads import sample_upload
from harness.providers.ttsai.pricing import flat

HEALTH = Endpoint(
    key="health",
    method="GET",
    path="/v1/health/",
    summary="GPU server status, loaded models and queue size (no auth; cached 30 s)",
    host="api",
    responses=(ok(JsonBody(Health), description="Server status"), *error_responses(429, 500)),
    auth_required=False,  # "No authentication required"
    inferred=True,
    doc=DOC,
)

MODELS = Endpoint(
    key="models.list",
    method="GET",
    path="/v1/models/",
    summary="All available models with their capabilities",
    host="api",
    responses=(ok(JsonBody(ModelList), description="The models"), *error_responses(401, 403, 429, 500)),
    inferred=True,
    doc=DOC,
)

VOICES = Endpoint(
    key="voices.list",
    method="GET",
    path="/v1/voices/",
    summary="All voices, filtered by model, language or gender",
    host="api",
    request=VoicesQuery,
    body_kind=BodyKind.QUERY,
    responses=(ok(JsonBody(VoiceList), description="The voices"), *error_responses(*KEYED, 404)),
    example={"model": "kokoro", "language": "en"},
    doc=DOC,
)

_UPLOAD_ANSWER = JsonBody(SavedVoice)

SAVED_VOICE_UPLOAD = Endpoint(
    key="saved-voices.upload",
    method="POST",
    path="/api/v1/user-voices/",
    summary="Save a reference voice (5–30 s) once; returns a persistent public_id (uv_…)",
    host="web",
    request=SavedVoiceUpload,
    body_kind=BodyKind.MULTIPART,
    responses=(
        # Neither status is written; a creating POST answers 200 or 201, and both are accepted.
        ok(_UPLOAD_ANSWER, description="The saved voice"),
        Response(status=201, bodies=(_UPLOAD_ANSWER,), description="The saved voice (created)", inferred=True),
        *error_responses(*CHARGED, 404, 413),
    ),
    timestamp_fields=("/created_at",),
    example={
        "file": sample_upload("reference.wav", seconds=6.0),
        "name": "My Narrator",
        "language": "en",
        "consent_confirmed": "true",
    },
    doc=DOC,
)

SAVED_VOICE_LIST = Endpoint(
    key="saved-voices.list",
    method="GET",
    path="/api/v1/user-voices/",
    summary="Your saved voices and quota information",
    host="web",
    responses=(
        ok(JsonBody(SavedVoiceList), description="Saved voices + quota (shape not shown)"),
        *error_responses(401, 403, 429, 500),
    ),
    doc=DOC,
)

SAVED_VOICE_DELETE = Endpoint(
    key="saved-voices.delete",
    method="DELETE",
    path="/api/v1/user-voices/",
    summary="Delete a saved voice by public_id",
    host="web",
    request=SavedVoiceQuery,
    body_kind=BodyKind.QUERY,
    responses=(ok(JsonBody(Acknowledgement), description="Deleted (body not shown)"), *error_responses(*KEYED, 404)),
    example={"public_id": "uv_a1b2c3d4e5f6"},
    doc=DOC,
)


def _state_change(verb: str, summary: str, undone_by: str = "") -> Endpoint:
    return Endpoint(
        key=f"saved-voices.{verb}",
        method="POST",
        path=f"/api/v1/user-voices/{{public_id}}/{verb}/",
        summary=summary,
        host="web",
        responses=(
            ok(JsonBody(Acknowledgement), description=f"{verb.capitalize()}d (body not shown)"),
            *error_responses(401, 403, 404, 429, 500),
        ),
        price=flat(0),  # "Archive / reactivate (free)"
        example={"public_id": "uv_a1b2c3d4e5f6"},  # the document's id, for the path
        undone_by=undone_by,
        doc=DOC,
    )


SAVED_VOICE_ARCHIVE = _state_change(
    "archive", "Archive a saved voice: kept, but unusable in TTS (free)", undone_by="saved-voices.reactivate"
)
SAVED_VOICE_REACTIVATE = _state_change("reactivate", "Reactivate an archived saved voice (free)")

CATALOG_ENDPOINTS = (
    HEALTH,
    MODELS,
    VOICES,
    SAVED_VOICE_UPLOAD,
    SAVED_VOICE_LIST,
    SAVED_VOICE_DELETE,
    SAVED_VOICE_ARCHIVE,
    SAVED_VOICE_REACTIVATE,
)
