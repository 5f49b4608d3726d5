"""The run's language: which chosen models speak it (each with a voice of it) and which do not, said in one line.

`bench run --language es` runs the shipped corpus of that language (chosen and loaded where corpora are read:
`harness.core.corpora.run_corpora`; unless `--corpus` names others) on the chosen models that speak Spanish, each
request naming the language and a voice of it as its provider's documents say
(`harness.core.protocols.http_speech.voice_for`); the models that do not speak it are named in one note, and a run none
of whose models speaks it is a usage error. Without `--language`, corpora that are all in one language other than
English make that the run's language the same way. The match is `harness.core.languages.speaks`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from harness.core.corpora import Corpus, run_corpora
from harness.core.errors import UsageError
from harness.core.languages import primary, speaks
from harness.runner.plan.config import DEFAULT_CORPUS, WorkloadSettings
from harness.runner.plan.jobs import Selection


@dataclass(slots=True)
class Workload:
    """The corpora and the models of a run, once its language has chosen them, and what it says about that."""

    selections: list[Selection]
    corpora: list[Corpus]
    notes: list[str] = field(default_factory=list)


def run_language(language: str | None, corpora: Sequence[Corpus]) -> str | None:
    """The run's language: `--language`, else the one language all its corpora are in where that is not English."""
    if language:
        return language
    languages = {primary(item.language) for corpus in corpora for item in corpus.items}
    if len(languages) == 1 and languages != {"en"}:
        return next(iter(corpora[0].items)).language if corpora and corpora[0].items else None
    return None


def in_language(workload: WorkloadSettings, selections: Sequence[Selection]) -> Workload:
    """The run's corpora and models for its language (all of them where it has none, or English)."""
    corpora = run_corpora(workload.corpus, workload.language, (DEFAULT_CORPUS,))
    language = run_language(workload.language, corpora)
    if language is None or primary(language) == "en":
        return Workload(list(selections), corpora)
    speaking = [s for s in selections if speaks(s.offering.languages, language)]
    silent = [s.label for s in selections if not speaks(s.offering.languages, language)]
    if not speaking:
        raise UsageError(
            f"none of the {len(selections)} chosen model(s) speaks {language!r}: "
            "`tts-harness providers` lists each model's languages"
        )
    notes = [f"not in {language} ({len(silent)} model(s), left out): {', '.join(silent)}"] if silent else []
    return Workload(speaking, corpora, notes)
