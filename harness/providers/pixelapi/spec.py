"""PixelAPI as its document describes it (shared/api-docs 002): one submit endpoint, one status endpoint.

`POST /v1/tts/generate` (multipart) takes text plus either a voice description (voice design, $0.05)
or a reference recording `voice_ref` (voice cloning, $0.10) and answers `{id, status: "queued",
credits_used}`; `GET /v1/tts/status/{id}` is polled until `status` is `completed`, when `output_url`
holds a signed link to the audio. Rate limits (60/min free, 600/min paid) answer 429 with
`Retry-After`.

The page is a product page, not a reference: no success status codes, no error body, no status
vocabulary beyond "queued" and "completed". What is inferred is marked `inferred=True` (endpoints,
responses, lifecycle states) and explained in `drift`. The wire models and the lifecycle are in
`models`, the endpoints in `endpoints`, prices and plans in `pricing`, the two benchmarkable modes in
`offerings`.
"""

from __future__ import annotations

from harness.core.retry import RetryPolicy
from harness.core.spec import Auth, Provider
from harness.providers.pixelapi.drift import DOC_DRIFT
from harness.providers.pixelapi.endpoints import ENDPOINTS
from harness.providers.pixelapi.models import DOC, PixelApiError
from harness.providers.pixelapi.offerings import OFFERINGS

# "exponential backoff starting at 2 seconds, doubling on each retry up to 30 seconds maximum"
BACKOFF_START_S = 2.0
BACKOFF_MAX_S = 30.0
RETRY = RetryPolicy(BACKOFF_START_S, BACKOFF_MAX_S, factor=2.0, source="PixelAPI's recommended backoff")
POLL_INTERVAL_S = 2.0  # every client example sleeps 2 s between polls

PROVIDER = Provider(
    name="pixelapi",
    title="PixelAPI",
    hosts={"api": "https://api.pixelapi.dev"},
    auth=Auth("Authorization", "Bearer"),
    key_env="PIXELAPI_API_KEY",  # the name every client example reads the key from
    endpoints=ENDPOINTS,
    error_model=PixelApiError,
    docs=(DOC,),
    doc_drift=DOC_DRIFT,
    offerings=OFFERINGS,
    retry=RETRY,
)
