"""Where the Pixazo documents contradict each other; the spec accepts both readings and says so."""

from __future__ import annotations

from harness.core.spec import DocDrift
from harness.providers.pixazo.models import DOC_CHATTERBOX, DOC_VIBEVOICE, DOC_XTTS, MEDIA_TYPE_VARIANT

DOC_DRIFT = (
    DocDrift("timestamps", "created_at is ISO 8601 ('2026-05-22T13:17:32.110Z') while updated_at and "
             "completed_at are 'YYYY-MM-DD HH:MM:SS' in the same callback example", (DOC_XTTS, DOC_CHATTERBOX)),
    DocDrift("media_type", MEDIA_TYPE_VARIANT.note, (DOC_XTTS, DOC_CHATTERBOX, DOC_VIBEVOICE)),
    DocDrift("status codes", "the VibeVoice documents give two status tables: one lists 404 and not 402, "
             "the other 402 and not 404; both are accepted", (DOC_VIBEVOICE,)),
    DocDrift("xtts text default", "the text default is given as \"Hi\" and as \"Hi there, I'm your new "
             "voice clone. Try your best to upload quality audio\"", (DOC_XTTS,)),
    DocDrift("webhooks", "XTTS documents both an X-Webhook-URL header and a `webhook` body parameter; "
             "VibeVoice documents X-Webhook-URL without X-Webhook-Mode", (DOC_XTTS, DOC_VIBEVOICE)),
    DocDrift("prices", "XTTS is $0.015 per request; Chatterbox's only figure is its 402 example "
             "(\"Required: $0.01\"); VibeVoice documents no price", (DOC_XTTS, DOC_CHATTERBOX, DOC_VIBEVOICE)),
)
