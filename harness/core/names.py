"""A name the harness does not know, said with the nearest it does: one rule for every face that takes a name (a
provider, a model, a corpus, a Whisper model), so a typo is answered with what was meant rather than a list of
every name to read through.

    not_known("model", ["tts1"], ["openai/tts-1"], aliases={"tts-1": "openai/tts-1"})
    # "unknown model 'tts1' (did you mean openai/tts-1?)"
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

CUTOFF = (
    0.7  # above difflib's 0.6, where "nope" found "openai"; "tts1" finds "tts-1" (0.89), "eleven" elevenlabs (0.75)
)


def nearest(given: str, known: Iterable[str], aliases: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The known names nearest `given` (compared without case): the nearest, with any as near (latency_p50 and
    latency_p95 for "latency"), in the order known; none where none is near. `aliases`: other spellings a name
    goes by (a model's name without its provider), each with the name to answer with."""
    folded: dict[str, str] = {}
    for spelling, name in [*((name, name) for name in known), *(aliases or {}).items()]:
        folded.setdefault(spelling.casefold(), name)
    close = difflib.get_close_matches(given.casefold(), list(folded), n=3, cutoff=CUTOFF)
    if not close:
        return ()
    best = _ratio(given, close[0])
    near = {folded[spelling] for spelling in close if _ratio(given, spelling) == best}
    return tuple(name for name in dict.fromkeys(folded.values()) if name in near)


def _ratio(given: str, spelling: str) -> float:
    return difflib.SequenceMatcher(None, given.casefold(), spelling).ratio()


def not_known(kind: str, given: Iterable[str], known: Iterable[str], aliases: Mapping[str, str] | None = None) -> str:
    """`unknown provider 'opnai' (did you mean openai?), 'x'`: each unknown name with the nearest known one."""
    known = list(known)
    said = []
    for name in given:
        near = nearest(name, known, aliases)
        # Quoted as typed, not repr'd: the CLI's one line folds whatever was typed into it.
        said.append(f"'{name}'" + (f" (did you mean {' or '.join(near)}?)" if near else ""))
    return f"unknown {kind} {', '.join(said)}"
