"""Where the PixelAPI page contradicts itself or leaves open what a harness must decide, and what the
spec does about it. The page is a product page, not a reference: most entries say what is inferred."""

from __future__ import annotations

from harness.core.spec import DocDrift
from harness.providers.pixelapi.models import DOC

DOC_DRIFT = (
    DocDrift("status body", "the prose says every status response includes credits_used, created_at and "
             "completed_at, but the status example is {\"status\": \"completed\", \"output_url\": \"https://...\"} "
             "without them (nor the id); all but status are optional", (DOC,)),
    DocDrift("reference size", "the reference limit is \"max 10 MB\" in the overview and comparison, \"under "
             "10 MB\" in the FAQ and the 400 message, and MB is not defined; up to 10 MiB inclusive is accepted",
             (DOC,)),
    DocDrift("voice description", "voice design is shown both as the voice_description field and as a "
             "parenthesised prefix of the text (\"(warm elderly man, slow pace) Hello.\"); style cues are "
             "listed for voice design and also said to go \"directly in the text field\"; both forms pass", (DOC,)),
    DocDrift("error body", "no error body is shown (only status codes and messages); the error model is "
             "inferred and accepts {\"error\": ...}, {\"error\", \"message\"}, {\"detail\": ...}", (DOC,)),
    DocDrift("status codes", "no success code is written for either endpoint (200 inferred; 202 also accepted "
             "for the queued answer); 401 and the status endpoint's 404 are implied, not listed", (DOC,)),
    DocDrift("job states", "only \"queued\" and \"completed\" appear; \"processing\" and \"failed\" are "
             "inferred, as is every failure field", (DOC,)),
    DocDrift("retry-after", "429 is documented \"with a Retry-After header\", yet the retry example falls "
             "back to its own delay when the header is absent (`resp.headers.get(\"Retry-After\", delay)`)",
             (DOC,)),
    DocDrift("submit body", "the queued answer is shown as {\"id\": \"uuid\", \"status\": \"queued\", "
             "\"credits_used\": 50.0, ...}: the elided fields are unknown", (DOC,)),
    DocDrift("languages", "\"30+ languages\" are named but their codes are not; only \"en\" and \"auto\" "
             "appear as values, so any language code is accepted", (DOC,)),
)
