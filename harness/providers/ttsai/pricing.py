"""What TTS.ai charges, in characters of a prepaid allowance, and what each plan allows.

The document's "Character Usage" table prices TTS per 1,000 characters of text by model tier (free
1,000, standard 2,000, premium 4,000; cloning 4,000), audio services per started minute of the
uploaded audio (speech to text 2,000, voice changer 3,000, enhancement 2,000, stems 3,000–4,000,
translation 5,000), voice chat 3,000 per turn, and the key/BPM finder and converter free. Every
function here answers the price of one request from its parameters, as `CostUnit.CHARACTERS`, and
rounds up: a budget check must never underestimate.

Where the document leaves a figure open, the worst case is used and the choice is said here: a model
not in the tier table is priced as premium; an omitted model is the auto-pick (kokoro for the listed
languages, piper otherwise, the dearer kokoro when no language is given); stems are 4,000 a minute;
an upload whose duration cannot be read without decoding is bounded by its size
(`models.uploads.WORST_CASE_BYTES_PER_SECOND`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from enum import StrEnum
from typing import Any

from harness.core.spec import Cost, CostUnit, PriceFunction
from harness.providers.ttsai.models.uploads import UPLOAD_LIMITS, WORST_CASE_BYTES_PER_SECOND, billable_minutes


class Tier(StrEnum):
    FREE = "free"
    STANDARD = "standard"
    PREMIUM = "premium"
    CLONING = "cloning"


# Characters charged per 1,000 characters of text.
TIER_RATES: Mapping[Tier, int] = {Tier.FREE: 1_000, Tier.STANDARD: 2_000, Tier.PREMIUM: 4_000, Tier.CLONING: 4_000}

# The models the price table names. kokoro is "free" in the authentication section and "standard" in
# the price table and in /v1/models: the price table decides what is charged (see DocDrift "kokoro tier").
MODEL_TIERS: Mapping[str, Tier] = {
    "piper": Tier.FREE,
    "vits": Tier.FREE,
    "melotts": Tier.FREE,
    "kokoro": Tier.STANDARD,
    "cosyvoice2": Tier.STANDARD,
    "tortoise": Tier.PREMIUM,
    "chatterbox": Tier.PREMIUM,
}

# Models the authentication section lets anyone use on /v1/tts/ without a key.
ANONYMOUS_MODELS = ("piper", "vits", "melotts", "kokoro")
ANONYMOUS_DAILY_CHARS = 5_000  # "up to 5,000 characters/day per IP"
SIGNUP_BONUS_CHARS = 15_000  # "15,000 bonus characters"

# "kokoro for en/ja/zh/ko/fr/de/it/pt/es/hi/ru, piper for other supported languages"
KOKORO_LANGUAGES = ("en", "ja", "zh", "ko", "fr", "de", "it", "pt", "es", "hi", "ru")

# Characters charged per started minute of audio.
STT_PER_MINUTE = 2_000
VOICE_CHANGER_PER_MINUTE = 3_000
ENHANCEMENT_PER_MINUTE = 2_000
STEMS_PER_MINUTE = 4_000  # "3,000-4,000": which case costs 3,000 is not said, so the worst case
TRANSLATION_PER_MINUTE = 5_000
VOICE_CHAT_PER_TURN = 3_000


@dataclass(frozen=True, slots=True)
class PlanLimit:
    """One row of the document's rate-limit table."""

    plan: str
    requests_per_minute: int
    concurrent: int
    max_text_chars: int


PLAN_LIMITS: Mapping[str, PlanLimit] = {
    row.plan: row
    for row in (
        PlanLimit("Free", 10, 2, 500),
        PlanLimit("Starter", 30, 3, 100_000),
        PlanLimit("Pro", 60, 5, 100_000),
        PlanLimit("Business+", 300, 20, 50_000),  # lower than Pro: see DocDrift "text limits"
    )
}


def characters(amount: int | Decimal) -> Cost:
    return Cost(Decimal(amount), CostUnit.CHARACTERS)


def tier_of(model: str | None, language: str | None = None) -> Tier:
    """The tier a TTS request is billed at (worst case where the document is silent)."""
    if model is None:
        if language is None or language.split("-")[0].lower() in KOKORO_LANGUAGES:
            return Tier.STANDARD  # the auto-pick is kokoro, or unknown until the language is detected
        return MODEL_TIERS["piper"]
    return MODEL_TIERS.get(model.lower(), Tier.PREMIUM)


def text_cost(text: str, tier: Tier) -> Cost:
    """`len(text)` characters at the tier's rate per 1,000, rounded up to a whole character."""
    exact = Decimal(len(text)) * TIER_RATES[tier] / 1000
    return characters(exact.to_integral_value(rounding=ROUND_CEILING))


def tts_price(params: Mapping[str, Any]) -> Cost:
    """POST /v1/tts/ and /v1/tts/stream/ (`text`), and the OpenAI-compatible route (`input`)."""
    text = str(params.get("text", params.get("input", "")))
    return text_cost(text, tier_of(params.get("model"), params.get("language")))


def cloning_price(params: Mapping[str, Any]) -> Cost:
    """Voice cloning and saved-voice TTS: 4,000 characters per 1,000 whatever the clone model."""
    return text_cost(str(params.get("text", "")), Tier.CLONING)


def web_tts_price(params: Mapping[str, Any]) -> Cost:
    """POST /api/v1/tts/: a saved voice at the cloning rate; the client library's `{model, voice}` form (no
    `user_voice_id`) at the model's rate, as /v1/tts/."""
    client_form = "voice" in params and "user_voice_id" not in params
    return tts_price(params) if client_form else cloning_price(params)


def batch_price(params: Mapping[str, Any]) -> Cost:
    """A batch costs what its items would cost one by one."""
    total = characters(0)
    for item in params.get("texts", ()):
        fields = item if isinstance(item, Mapping) else dict(item)
        total = total + tts_price(fields)
    return total


def per_minute(rate: int, field: str, limit_key: str | None = None) -> PriceFunction:
    """`rate` characters per started minute of the audio in `field`.

    Without an upload to measure, the worst case is the endpoint's largest allowed file at the
    worst-case bitrate; an endpoint without a documented size limit then has no bound, and the
    price function says so rather than guess.
    """

    def price(params: Mapping[str, Any]) -> Cost:
        minutes = billable_minutes(params.get(field))
        if minutes is None:
            if limit_key is None:
                raise ValueError(f"no {field!r} upload to measure and no documented size limit to bound it")
            minutes = math.ceil(UPLOAD_LIMITS[limit_key] / WORST_CASE_BYTES_PER_SECOND / 60)
        return characters(rate * minutes)

    return price


def flat(amount: int) -> Callable[[Mapping[str, Any]], Cost]:
    """A price that does not depend on the parameters (voice chat per turn; free tools)."""

    def price(_: Mapping[str, Any]) -> Cost:
        return characters(amount)

    return price
