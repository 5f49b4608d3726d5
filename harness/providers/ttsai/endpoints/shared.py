"""What every TTS.ai endpoint declaration shares: the implied success answer, and the documented error
answers each kind of endpoint can meet.

The error table is global (`models.error_bodies`), so each endpoint picks the statuses that can apply to it:
401/403 where a key is needed, 402 where characters are spent, 404 where a model, voice or id is
looked up, 413 where a file is uploaded, 503 where a model runs.
"""

from __future__ import annotations

from harness.core.spec import AudioBody, EventStreamBody, JsonBody, Response
from harness.providers.ttsai.models.error_bodies import ERROR_MODELS, ERROR_TABLE

# The statuses each kind of endpoint can meet (the choice is explained in the module docstring).
KEYED = (400, 401, 403, 429, 500)  # any endpoint that takes a key and parameters
CHARGED = (*KEYED, 402)
MODEL_RUN = (*CHARGED, 404, 503)  # runs a named model or voice
UPLOAD_RUN = (*MODEL_RUN, 413)


def ok(*bodies: JsonBody | AudioBody | EventStreamBody, description: str, drift_note: str = "") -> Response:
    """The success answer; its status (200) is implied by the document, never written."""
    return Response(status=200, bodies=bodies, description=description, inferred=True, drift_note=drift_note)


def error_responses(*statuses: int) -> tuple[Response, ...]:
    """The documented error answers for the given statuses, in ascending order."""
    unknown = sorted(set(statuses) - set(ERROR_TABLE))
    if unknown:
        raise ValueError(f"statuses {unknown} are not in the document's error table {sorted(ERROR_TABLE)}")
    return tuple(
        Response(
            status=status,
            bodies=(JsonBody(ERROR_MODELS[status]),),
            description=f"{ERROR_TABLE[status][1]}: {ERROR_TABLE[status][2]}",
        )
        for status in sorted(set(statuses))
    )
