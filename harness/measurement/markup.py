"""Markup honoured, judged on the audio (docs/markup.md): each pause asked for (`harness.core.protocols.markup`) heard
as silence of about its length where it stands, and no tag ever spoken.

    pause    the longest silent run (`harness.core.silence`: 10 ms frames 40 dB under the loudest) whose middle lies
             within WINDOW of where the pause should sit — the words' share of the speaking time before it, plus the
             pauses before it — inside the sounding audio (the lead-in and tail are no pause). Honoured when
             |heard - asked| <= max(TOLERANCE_MS, TOLERANCE_SHARE x asked).
    spoken   the recogniser's transcript holds a word of the sent text's tags (break, time, speak, 500ms, the
             "less than" a literal `<` is read as) that the item's own words do not hold.

    said     a `say-as` (characters, digits) or `sub`: which of its two readings the clip is likeliest under, the
             honoured one or the text read as if untagged (`said_hard_text`: the hard-text judge's forced choice,
             run by `harness.benchmark.judge_markup`); honoured when the honoured reading wins. A phoneme is judged
             only as a tag not spoken.

A clip is honoured when every pause is, every reading judged is, and no tag is spoken. A pure function of the audio,
the item and the transcript (the readings: of the forced choice's verdicts): the run's step (`markup_verdicts`)
reads them from the store, so a stored run judges again the same.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.core.hard_text import HardText, Misreading
from harness.core.pauses_heard import PauseHeard, heard_pauses, tolerance_ms
from harness.core.protocols.markup import Asked, Piece, Said, spoken, written_words
from harness.results import ClipRow

__all__ = [
    "IGNORED",
    "ClipMarkup",
    "MarkupVerdict",
    "PauseHeard",
    "ReadingHeard",
    "heard_pauses",
    "honoured_shares",
    "judged",
    "judged_said",
    "markup_verdicts",
    "said_hard_text",
    "tag_words_heard",
    "tolerance_ms",
]

IGNORED = "tag-ignored"  # the forced choice's error type for a tagged text read as if untagged

# Words a tag read aloud puts in a transcript beside its own (a literal `<` is "less than"; `/>` "slash").
READ_SYMBOLS = ("less", "than", "greater", "slash", "equals")
# A unit's words as a recogniser writes them ("s" alone is no word of its own: "it's" splits into "it" and "s").
UNIT_WORDS = {"ms": ("ms", "millisecond", "milliseconds"), "s": ("second", "seconds")}
_WORDS = re.compile(r"[a-z]+|\d+(?:\.\d+)?")


@dataclass(frozen=True, slots=True)
class ReadingHeard:
    """A tagged text's reading as the forced choice judged it: the tag, the text, the verdict (pass: the honoured
    reading won; fail: the untagged one; other, unsure) and the reading chosen."""

    kind: str
    text: str
    verdict: str
    reading: str = ""

    @property
    def honoured(self) -> bool:
        return self.verdict == "pass"

    def finding(self) -> str:
        heard = f" ({self.reading})" if self.reading else ""
        return f"{self.kind} {self.text!r} not honoured: {self.verdict}{heard}"


@dataclass(frozen=True, slots=True)
class MarkupVerdict:
    pauses: tuple[PauseHeard, ...]
    tags_spoken: tuple[str, ...]  # tag words the transcript holds
    readings: tuple[ReadingHeard, ...] = ()  # each say-as and sub judged by forced choice

    @property
    def honoured(self) -> bool:
        return all(p.honoured for p in self.pauses) and all(r.honoured for r in self.readings) and not self.tags_spoken

    def findings(self) -> tuple[str, ...]:
        late = tuple(p.finding() for p in self.pauses if not p.honoured)
        misread = tuple(r.finding() for r in self.readings if not r.honoured)
        return (*late, *misread, *(f"tag spoken: {word}" for word in self.tags_spoken))

    def columns(self) -> dict[str, Any]:
        """The job's stored columns (`markup_honoured`, `markup_json`: harness.results.schema)."""
        pauses = [[p.asked_ms, p.heard_ms, p.at_s, p.honoured] for p in self.pauses]
        readings = [[r.kind, r.text, r.verdict, r.reading] for r in self.readings]
        return {
            "markup_honoured": int(self.honoured),
            "markup_json": json.dumps(
                {
                    "pauses": pauses,
                    "tags_spoken": list(self.tags_spoken),
                    "readings": readings,
                    "findings": list(self.findings()),
                }
            ),
        }


def judged_said(pieces: Sequence[Asked]) -> tuple[Said, ...]:
    """The tagged texts of an item the forced choice judges: those with both readings given (not a phoneme)."""
    return tuple(p for p in pieces if isinstance(p, Said) and p.honoured and p.ignored)


def said_hard_text(pieces: Sequence[Asked], said: Said) -> HardText:
    """The forced choice for one tagged text of an item: its sentence as written (the tagged text the span), the
    honoured reading accepted, the text read as if untagged the one misreading, the honouring voice's words the
    control."""
    return HardText(
        text=written_words(pieces),
        category="markup",
        span=said.text,
        accepted=(said.honoured,),
        misreadings=(Misreading(said.ignored, IGNORED),),
        control=spoken(pieces),
        meaning_changes=True,
    )


def tag_words_heard(transcript: str, sent_tag_words: Iterable[str], text: str) -> tuple[str, ...]:
    """The words of the sent text's tags (and of a tag read out symbol by symbol) the transcript holds and the
    item's own words do not."""
    banned: list[str] = []
    for word in sent_tag_words:
        number = re.fullmatch(r"(\d+(?:\.\d+)?)(ms|s)?", word)
        if number:  # "500ms" is heard "500 ms", "500 milliseconds"
            banned += [number.group(1), *UNIT_WORDS.get(number.group(2) or "", ())]
        else:
            banned.append(word)
    own = set(_WORDS.findall(text.lower()))
    heard = _WORDS.findall(transcript.lower())
    found = [w for w in dict.fromkeys([*banned, *READ_SYMBOLS]) if w not in own and w in heard]
    if ("less" in found) != ("than" in found):
        found = [w for w in found if w not in ("less", "than")]  # "less than" only as the pair a `<` is read as
    return tuple(found)


def judged(
    samples: Any, rate: int, pieces: Sequence[Piece], transcript: str | None, sent_tag_words: Iterable[str]
) -> MarkupVerdict:
    """One clip: its pauses heard, and the tag words its transcript holds (none judged without a transcript)."""
    spoken_tags = () if transcript is None else tag_words_heard(transcript, sent_tag_words, spoken(pieces))
    return MarkupVerdict(heard_pauses(samples, rate, pieces), spoken_tags)


@dataclass(frozen=True, slots=True)
class ClipMarkup:
    provider: str
    model: str
    item_id: str
    verdict: MarkupVerdict | None  # None: the audio could not be read
    job_key: str = ""


# What an offering was sent for an item's pieces: what its documents say a voice says for it (a pause a model does
# not take is no pause), and the words of the tags sent.
Sent = Callable[[str, str, Sequence[Asked]], tuple[tuple[Piece, ...], tuple[str, ...]]]


def markup_verdicts(
    clips: Iterable[ClipRow],
    transcripts: Mapping[str, str | None],
    items: Mapping[tuple[str, str], Sequence[Asked]],
    sent_as: Sent,
    root: Path,
) -> list[ClipMarkup]:
    """Each stored clip of a markup item (`items`: by (corpus, item id)) judged: its kept audio decoded as it was
    declared, its transcript read (`transcripts`: by clip id); `sent_as(provider, model, pieces)` what the offering's
    documents promise for them and the words of its tags."""
    from harness.speech import AudioCodecError, decode_audio  # the one decoder

    verdicts: list[ClipMarkup] = []
    for clip in clips:
        pieces = items.get((clip.corpus or "", clip.item_id or ""))
        if pieces is None or not clip.audio_path:
            continue
        provider, model, item_id = clip.provider, clip.model, clip.item_id or ""
        path = Path(clip.audio_path)
        path = path if path.is_absolute() else root / path
        try:
            decoded = decode_audio(path.read_bytes(), clip.declared_media_type, clip.declared_sample_rate)
        except (OSError, AudioCodecError):
            verdicts.append(ClipMarkup(provider, model, item_id, None, clip.clip_id))
            continue
        promised, tag_words = sent_as(provider, model, pieces)
        verdict = judged(decoded.mono(), decoded.sample_rate, promised, transcripts.get(clip.clip_id), tag_words)
        verdicts.append(ClipMarkup(provider, model, item_id, verdict, clip.clip_id))
    return verdicts


def honoured_shares(verdicts: Iterable[ClipMarkup]) -> dict[str, tuple[int, int]]:
    """Per offering (provider/model): (clips honoured, clips judged)."""
    shares: dict[str, tuple[int, int]] = {}
    for clip in verdicts:
        if clip.verdict is None:
            continue
        label = f"{clip.provider}/{clip.model}"
        good, total = shares.get(label, (0, 0))
        shares[label] = (good + clip.verdict.honoured, total + 1)
    return shares
