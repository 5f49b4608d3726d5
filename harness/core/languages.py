"""Language tags as providers write them ("es", "es-MX", "pt_BR", "cmn-Hans-CN") and the one rule that matches them.

A corpus says its language by its primary subtag ("es"); a declaration lists a model's languages as its documents
write them ("es-ES", "hi-IN", "es"). They match on the primary subtag, with Chinese's macrolanguage and its Mandarin
as one ("zh" and "cmn"): `speaks` says whether a model speaks a corpus's language, `tag_for` which of its tags the
request names for it. One module, so the plan, the request builders and the sandbox agree.
"""

from __future__ import annotations

from collections.abc import Iterable

#: Primary subtags that name one language (Mandarin is written both ways).
_SAME = {"cmn": "zh"}


def primary(tag: str | None) -> str:
    """A tag's language alone, lower case ("es-MX" -> "es", "cmn-Hans-CN" -> "zh", "pt_BR" -> "pt"); "" for none."""
    first = (tag or "").strip().replace("_", "-").split("-")[0].lower()
    return _SAME.get(first, first)


def tag_for(languages: Iterable[str], language: str) -> str | None:
    """The tag among `languages` that names `language` (the exact tag first, then the first of its language), or
    None where none does."""
    listed = list(languages)
    wanted = language.strip().replace("_", "-").lower()
    exact = next((tag for tag in listed if tag.replace("_", "-").lower() == wanted), None)
    return exact or next((tag for tag in listed if primary(tag) == primary(language)), None)


def speaks(languages: Iterable[str], language: str) -> bool:
    """Whether a model of `languages` speaks `language` (by its primary subtag)."""
    return tag_for(languages, language) is not None
