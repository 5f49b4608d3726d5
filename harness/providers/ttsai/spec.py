"""TTS.ai as its document describes it (shared/api-docs 003): the assembled `Provider`.

Two hosts: the API (https://api.tts.ai, paths /v1/…) and the web host (https://tts.ai, paths
/api/v1/…) that keeps saved voices and runs TTS with them. A key travels as
`Authorization: Bearer sk-tts-…`; /v1/tts/ also runs free models without one. Every answer carries
`X-RateLimit-Limit/Remaining/Reset`; errors are `{"error": {"code", "message", …}}` with one code per
status. Prices are in characters of a prepaid allowance (`CostUnit.CHARACTERS`); the document gives
no dollar rate for them, so `usd_per_unit` is empty.

The wire models are in `models/` and the endpoints in `endpoints/`, one module per family (speech,
audio, catalog) in each; prices and plan limits in `pricing`; the document's contradictions in
`drift`; the benchmarkable models in `offerings`. How the sandbox plays TTS.ai is `emulation/` beside them
(sandbox code by the layers: it reads this declaration, which never imports it).
"""

from __future__ import annotations

from harness.core.spec import Auth, Provider
from harness.providers.ttsai.drift import DOC_DRIFT
from harness.providers.ttsai.endpoints import ENDPOINTS
from harness.providers.ttsai.models.error_bodies import ErrorBody
from harness.providers.ttsai.models.shared import DOC
from harness.providers.ttsai.offerings import OFFERINGS

RATE_LIMIT_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")
CREDITS_HEADER = "X-Credits-Used"  # read by one example, promised nowhere: not required of answers

PROVIDER = Provider(
    name="ttsai",
    title="TTS.ai",
    hosts={"api": "https://api.tts.ai", "web": "https://tts.ai"},
    auth=Auth(header="Authorization", scheme="Bearer"),
    key_env="TTSAI_API_KEY",
    endpoints=ENDPOINTS,
    error_model=ErrorBody,
    docs=(DOC,),
    doc_drift=DOC_DRIFT,
    rate_limit_headers=RATE_LIMIT_HEADERS,
    offerings=OFFERINGS,
)
