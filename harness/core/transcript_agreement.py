"""Whether the words a speech-to-speech socket says it speaks agree with the text it was asked to say: the one owner
of the rule.

A realtime speech-to-speech model (a `Kind.TRANSCRIPT` event beside its audio: `response.output_audio_transcript.delta`,
`serverContent.outputTranscription`) asked to say a text sends the words it says it speaks. Where they are not the
text asked, either the model said something else (the audio's WER against the asked text shows it) or its transcript
disagrees with its own audio (the WER is low, the transcript is not the text): users report both. Compared word by
word after the normalisation every WER here uses in spirit — lower case, punctuation dropped — so a comma or a capital
is no disagreement; a transcript not sent at all is no finding (nothing to compare).
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


def transcript_words(text: str) -> list[str]:
    """The words of a text as they are compared: lower case, punctuation and spacing dropped."""
    return [word.lower() for word in _WORD.findall(text)]


def word_edits(said: list[str], asked: list[str]) -> int:
    """The fewest words substituted, inserted or deleted to turn `asked` into `said` (Levenshtein over words)."""
    previous = list(range(len(asked) + 1))
    for row, word in enumerate(said, start=1):
        current = [row]
        for column, other in enumerate(asked, start=1):
            current.append(min(previous[column] + 1, current[column - 1] + 1, previous[column - 1] + (word != other)))
        previous = current
    return previous[-1]


def transcript_disagreement(said: str, asked: str) -> str | None:
    """One line naming how the transcript a socket sent (`said`, its deltas joined) differs from the text asked; None
    where they agree, or where no transcript was sent."""
    spoken, wanted = transcript_words(said), transcript_words(asked)
    if not spoken or spoken == wanted:
        return None
    edits = word_edits(spoken, wanted)
    shown = " ".join(spoken)
    shown = shown if len(shown) <= 80 else shown[:77] + "..."
    return (
        f"the transcript the server sent beside its audio is not the text asked: {edits} of {len(wanted)} words "
        f"differ ({shown!r})"
    )
