"""The language check on the registry (issue 79): a clip's reading of the scorer's stored verdicts, an offering and
language's figures, and every face's view of them — a model answering in another language on most clips gives the
summary's failure line and makes `history` exit 1 (JUnit case `language check es`), one stray misheard clip is no
fallback, and a language the shipped self-test says the ASR cannot judge the check for is "not judgeable by base" and
raises nothing. Made-up rows and a made-up store: no run, no audio."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from typer.testing import CliRunner

from harness.checks import OwnFigures, registered
from harness.checks.language_heard import CHECK, FALLBACK, language_heard
from harness.results import RequestRow
from harness.results.store import Store
from tests.helpers.check_store import job_row, run_row
from tests.helpers.request_rows import language_clip
from tests.helpers.store_rows import SCORE_SETUP, write_rows

VIEWS = CHECK.views
assert VIEWS is not None


def _clip(item: str, language: str, heard: str | None, *, model: str = "m", probability: float = 0.95) -> RequestRow:
    return language_clip(item, language, heard, model=model, probability=probability)


def _spanish(misheard: int, model: str = "m", clips: int = 4) -> list[RequestRow]:
    return [_clip(f"es-{i}", "es", "en" if i < misheard else "es", model=model) for i in range(clips)]


def test_a_clip_is_read_from_the_scorers_stored_verdict() -> None:
    assert CHECK in registered() and CHECK.declaration.finding_named(FALLBACK) is not None
    heard = CHECK.measure(_clip("es-0", "es", "es"))
    assert heard.values == {"checked": 1.0, "heard_as_asked": 1.0, "misheard": 0.0, "heard_share": 1.0}
    assert not heard.findings
    other = CHECK.measure(_clip("es-1", "es", "en"))
    assert other.values["misheard"] == 1.0 and other.values["heard_as_asked"] == 0.0
    assert [kind for kind, _ in other.findings] == ["wrong_language"] and "heard as en" in other.findings[0][1]
    assert CHECK.measure(_clip("en-0", "en", None)).values == {}  # English: read by the default model, unchecked
    unsure = CHECK.measure(_clip("es-2", "es", "en", probability=0.4))  # heard, below the rule: not flagged
    assert unsure.values["misheard"] == 0.0 and unsure.values["checked"] == 1.0


def test_a_model_answering_in_another_language_on_most_clips_is_a_failure_line_and_one_stray_clip_is_not() -> None:
    rows = _spanish(3, "fell") + _spanish(1, "stray") + [_clip("en-0", "en", None, model="stray")]
    found = VIEWS.figures(rows)
    assert [(one.model, one.part) for one in found] == [("fell", "es"), ("stray", "es")]
    section = VIEWS.section(found) if VIEWS.section else None
    assert section is not None and section.key == "language_check"
    assert section.lines == (
        "Language check failed: acme/fell answered in en when asked for es: 3/4 clips heard as another language "
        "(p >= 0.5).",
    )
    assert section.values["fallbacks"] == [
        {"provider": "acme", "model": "fell", "language": "es", "heard": "en", "misheard": 3, "checked": 4}
    ]
    assert VIEWS.parts is not None
    fell, stray = (VIEWS.parts.cell(one) for one in found)
    assert fell.text == "1/4 heard as es; 3 as en FALLBACK"
    assert stray.text == "3/4 heard as es; 1 as en" and stray.value["heard"] == "en"  # named, though no fallback
    assert VIEWS.failures is not None and len(VIEWS.failures(found)) == 1
    assert VIEWS.part_series is not None and VIEWS.part_series.value(found[1]) == 0.75


def test_a_language_the_asr_cannot_judge_is_named_and_raises_nothing() -> None:
    rows = [_clip(f"hi-{i}", "hi", "en") for i in range(3)]  # every clip heard as English: the ear is not trusted
    (found,) = VIEWS.figures(rows)
    assert VIEWS.parts is not None and VIEWS.parts.cell(found).text == "not judgeable by base"
    assert VIEWS.section is not None and VIEWS.section((found,)) is None
    assert VIEWS.worse("r2", found, None) is None and VIEWS.part_series is not None
    assert VIEWS.part_series.value(found) is None  # no series point either
    base = OwnFigures("acme", "m", {"heard": language_heard(rows)[0]}, "hi")
    assert VIEWS.compared is not None
    judged = VIEWS.compared.judge(base, found)
    assert judged is not None and not judged.judged and not judged.worse
    assert judged.details == ("not judgeable by base (docs/languages.md)",)


def test_compare_judges_each_language_both_runs_checked() -> None:
    assert VIEWS.compared is not None and VIEWS.compared.metric == "language"
    (before,) = VIEWS.figures(_spanish(0))
    (after,) = VIEWS.figures(_spanish(3))
    assert VIEWS.compared.judge(None, after) is None  # BASE did not check it: nothing to judge
    judged = VIEWS.compared.judge(before, after)
    assert judged is not None and judged.worse and judged.statistic == "language check (es)"
    assert judged.change == 0.75
    again = VIEWS.compared.judge(after, after)
    assert again is not None and not again.worse  # BASE fell back too: no regression


def _store(path: Path, nights: list[dict[str, int]]) -> Path:
    """One run a night: per model, four Spanish clips, the night's count of them heard as English."""
    store = Store(path)
    for night, misheard in enumerate(nights):
        run_id, at = f"2026110{night + 1}T020000Z-{night}", f"2026-11-0{night + 1}T02:00:00.000Z"
        jobs: list[dict[str, Any]] = []
        scores: list[dict[str, Any]] = []
        clips: list[dict[str, Any]] = []
        for offset, (model, count) in enumerate(sorted(misheard.items())):
            for index in range(4):
                job = job_row(run_id, at, model, offset * 10 + index, "Hola.", language="es", item_id=f"es-{index}")
                jobs.append(job)
                clips.append(
                    {
                        "clip_id": job["job_key"],
                        "run_id": run_id,
                        "provider": "acme",
                        "model": model,
                        "corpus": "en_read",
                        "item_id": job["item_id"],
                        "language": "es",
                        "text": "Hola.",
                        "audio_path": "",
                        "audio_sha256": "",
                    }
                )
                wrong = index < count
                scores.append(
                    {
                        "clip_id": job["job_key"],
                        "run_id": run_id,
                        **SCORE_SETUP,
                        "asr_model": "base#b58256269b05",
                        "language": "es",
                        "unit": "word",
                        "wer": 0.0,
                        "hits": 1,
                        "substitutions": 0,
                        "deletions": 0,
                        "insertions": 0,
                        "ref_length": 1,
                        "ref_words": 1,
                        "hyp_length": 1,
                        "setup_asr_model": "tiny.en",
                        "heard_language": "en" if wrong else "es",
                        "heard_probability": 0.97,
                        "flags_json": json.dumps(["wrong_language"] if wrong else []),
                        "findings_json": "[]",
                        "cache_hit": 0,
                        "scored_at": at,
                    }
                )
        write_rows(
            store, [("runs", [run_row(run_id, at, len(jobs))]), ("jobs", jobs), ("clips", clips), ("scores", scores)]
        )
    store.close()
    return path


def test_history_exits_1_on_a_new_fallback_only(tmp_path: Path) -> None:
    from harness.cli import app

    db = _store(tmp_path / "runs.db", [{"fell": 0, "stray": 0}, {"fell": 3, "stray": 1}])
    junit = tmp_path / "junit.xml"
    result = CliRunner().invoke(
        app, ["history", "--db", str(db), "--out", str(tmp_path / "h.html"), "--junit", str(junit)]
    )
    assert result.exit_code == 1, result.output
    named = [line for line in result.output.splitlines() if "answered in" in line]
    assert any("acme/fell answered in en when asked for es: 3/4" in line for line in named), result.output
    assert not any("stray" in line for line in named), result.output
    cases = [
        (c.get("classname"), c.get("name")) for c in ElementTree.parse(junit).getroot() if c.find("failure") is not None
    ]
    assert cases == [("acme/fell", "language check es")]
    page = (tmp_path / "h.html").read_text(encoding="utf-8")
    assert 'data-fallback="acme/fell:es"' in page and "Language check: es clips heard as es" in page

    again = _store(tmp_path / "again.db", [{"fell": 3}, {"fell": 3}])  # fell back in both: no new failure
    passed = CliRunner().invoke(app, ["history", "--db", str(again), "--out", str(tmp_path / "again.html")])
    assert passed.exit_code == 0, passed.output
    assert "Still answering in another language than asked" in passed.output
