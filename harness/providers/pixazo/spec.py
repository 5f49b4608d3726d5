"""The Pixazo gateway as its documents describe it (shared/api-docs 000, 001 and 004): the assembled `Provider`.

Four models share one job API: a submit endpoint per model answers 202 with
`{request_id, status: "QUEUED", polling_url}`; the universal status endpoint
`GET /v2/requests/status/{request_id}` (and the optional webhook callback, which has the same shape)
reports `QUEUED → PROCESSING → COMPLETED | FAILED | ERROR` with the result in `output.media_url[]`.

The wire models and the lifecycle are in `models`, the endpoints in `endpoints`, prices in `pricing`,
the documents' contradictions in `drift`, the benchmarkable models in `offerings`.
"""

from __future__ import annotations

from harness.core.spec import Auth, Provider
from harness.providers.pixazo.drift import DOC_DRIFT
from harness.providers.pixazo.endpoints import ENDPOINTS
from harness.providers.pixazo.models import DOCS, PixazoError
from harness.providers.pixazo.offerings import OFFERINGS

PROVIDER = Provider(
    name="pixazo",
    title="Pixazo gateway",
    hosts={"gateway": "https://gateway.pixazo.ai"},
    auth=Auth("Ocp-Apim-Subscription-Key"),
    key_env="PIXAZO_API_KEY",
    endpoints=ENDPOINTS,
    offerings=OFFERINGS,
    error_model=PixazoError,
    docs=DOCS,
    doc_drift=DOC_DRIFT,
)
