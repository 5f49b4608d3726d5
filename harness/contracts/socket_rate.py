"""A socket's `rate` check: the rate heard is the rate declared (docs/seams.md). The socket's 16-bit samples of the
sample text (the `synthesis` plan's one utterance), read at the rate the session asked for, sound as long (first to
last frame at speech level: `harness.core.heard_rate.sounding_s`) as the same text in the same voice from the
provider's HTTP endpoint in a headed format (`Offering.endpoint` names the endpoint taking the same text;
`speech_checks.headed_answer_s` asks it). A length off by a standard mislabel (24 kHz samples labelled 16 kHz: 1.5)
is a violation of rule `rate` naming the rate heard, by the benchmark's rule (`speech_checks.misrated` over
`harness.core.heard_rate`); with no headed answer, or no 16-bit samples, the check cannot judge and raises `Skip`
with the reason — never a guess.
"""

from __future__ import annotations

import httpx

from harness.contracts.frame_checks import schema_findings
from harness.contracts.realtime_checks import SAMPLE_TEXT, RealtimeTarget
from harness.contracts.seam_checks import sample_pieces
from harness.contracts.session import Skip
from harness.contracts.speech_checks import SpeechTarget, headed_answer_s, misrated
from harness.core.heard_rate import RULE, sounding_s
from harness.core.protocols.realtime_grammar import Session
from harness.core.verdict import Violation


def socket_rate(
    target: RealtimeTarget, session: Session, speech: SpeechTarget, client: httpx.Client
) -> list[Violation]:
    """The socket `session` (the sample text spoken whole) judged against the headed answer `speech` gives."""
    import numpy as np

    channel = target.channel
    spec = target.grammar.audio_spec(session)
    found = sample_pieces(schema_findings(session, target.grammar).events, spec)
    if found is None:
        raise Skip(f"{channel.key} streams {spec}, not 16-bit samples: a compressed stream's frames state their rate")
    audio, pieces = found
    if not audio:
        raise Skip(f"{channel.key} sent no audio: the synthesis check names that")
    offering = next((o for o in target.provider.offerings if o.channel == channel.key), None)
    voice = target.utterance([SAMPLE_TEXT]).voice
    reference = headed_answer_s(
        speech, client, SAMPLE_TEXT, endpoint_key=offering.endpoint if offering else "", voice=voice
    )
    if isinstance(reference, str):
        raise Skip(reference)
    data = b"".join(pieces)
    seconds = sounding_s(np.frombuffer(data[: len(data) // 2 * 2], dtype="<i2") / 32768.0, spec.sample_rate)
    heard = misrated(seconds, spec.sample_rate, reference)
    if heard is None:
        return []
    return [
        Violation(
            f"/frames/{audio[0].frame}",
            f"samples at the declared {spec.sample_rate:,} Hz on {channel.key}",
            str(heard),
            RULE,
        )
    ]
