"""Provider audio as scoring sees it: decoded by the harness's one decoder (`harness.speech.decode_audio`:
samples of any channel count, what libsndfile read and what the headers say) and judged against its
declaration by the one audio rule (`harness.core.audio`). Headerless PCM is decoded only when declared
as such; a WAV whose data chunk promises more bytes than arrived is known to be cut short.
"""

from __future__ import annotations

from harness.core.audio import canonical_media_type, contradicts, names_a_format
from harness.speech import DecodedAudio, FloatArray, decode_audio

__all__ = ["DecodedAudio", "FloatArray", "canonical_media_type", "decode_audio", "media_type_matches"]


def media_type_matches(declared: str | None, audio: DecodedAudio) -> bool:
    """Whether a declared media type describes the decoded audio. A missing or generic declaration
    (application/octet-stream says "bytes") cannot contradict what the bytes are; the documents that use
    one are reported as documentation drift by the contract layer instead."""
    if audio.kind is None:  # a container libsndfile reads and the audio rule does not name
        return not names_a_format(declared) or canonical_media_type(declared) == audio.media_type
    return not contradicts(declared, audio.kind)
