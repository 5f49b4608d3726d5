"""A run with an English and a Chinese corpus, written through the results store as the runner and the
scorer write it: the scores are real (each transcript scored by `harness.scoring`'s text scorer with the
language's normalizer), stamped as one scoring pass stamps them — English clips by the English-only model,
Chinese clips by its multilingual counterpart, all under the model the pass was asked for.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from harness.results.changes import RowChange
from harness.results.scores import write_scores
from harness.results.store import Store
from harness.scoring.intelligibility import score_transcript
from harness.scoring.normalize import normalizer_for
from harness.scoring.results import ClipScore, ScoreVersions
from harness.scoring.score_row import score_row
from tests.helpers.store_rows import write_rows

ENGLISH_ONLY = "tiny.en#0a1b2c3d"
MULTILINGUAL = "tiny#4e5f6a7b"
NOW = "2026-11-22T08:15:00.000Z"

# (reference, transcript) per item; each model misreads differently.
EN = [
    "The old man walked slowly along the quiet road.",
    "She opened the window and let the cool air in.",
    "We listened to the gentle rain on the roof.",
    "A small boat drifted toward the rocky shore.",
    "The children laughed at the clever puppet show.",
    "He wrote a long letter to his oldest friend.",
]
ZH = [
    "今天天气很好我们去公园散步",
    "他每天早上六点起床跑步",
    "这本书的故事非常有意思",
    "请把窗户关上外面很冷",
    "我们明天一起去图书馆吧",
    "妈妈做的饭菜总是很好吃",
]
HEARD = {
    "clear": {
        "en": [
            "The old man walked slowly along the quiet road.",
            "She opened the window and let the cool air in.",
            "We listened to the gentle rain on the roof.",
            "A small boat drifted toward the rocky shore.",
            "The children laughed at the clever puppet show.",
            "He wrote a long letter to his friend.",
        ],
        "zh": [
            "今天天气很好我们去公园散步",
            "他每天早上六点起床跑步",
            "这本书的故事非常有意思",
            "请把窗户关上外面很冷",
            "我们明天一起去图书馆吧",
            "妈妈做的饭菜总是好吃",
        ],
    },
    "mumbled": {
        "en": [
            "The old man walked along the road.",
            "She opened a window and let cool air in.",
            "We listen to the gentle rain on a roof.",
            "A small boat drifted to the rocky shore.",
            "The children laughed at the puppet.",
            "He wrote a long letter to his oldest friend.",
        ],
        "zh": [
            "今天天汽很好我们去公园散步",
            "他每天早上六点起床",
            "这本书的故是非常有意思",
            "请把窗户关上外面很冷",
            "我们明天去图书馆吧",
            "妈妈做的菜总是很好吃",
        ],
    },
}
MODELS = (("acme", "clear", 0.01), ("acme", "mumbled", 0.002))


@dataclass(frozen=True, slots=True, kw_only=True)
class _RunStatusOnly(RowChange):
    """The run's status alone (its stamps left as the helper wrote them)."""

    table: ClassVar[str] = "runs"
    status: str


@dataclass(frozen=True, slots=True)
class Expected:
    """What every face must show for one model, counted here from the scorer's own counts."""

    wer: float
    cer: float


def _key(run_id: str, model: str, corpus: str, index: int) -> str:
    return hashlib.sha256(f"{run_id}/{model}/{corpus}/{index}".encode()).hexdigest()[:24]


def _run_row(run_id: str) -> dict[str, object]:
    return {
        "run_id": run_id,
        "created_at": NOW,
        "updated_at": NOW,
        "finished_at": NOW,
        "status": "finished",
        "harness_version": "0.1.0",
        "git_revision": "abc123",
        "target": "sandbox",
        "target_url": None,
        "sandbox_profile": "fast",
        "sandbox_seed": 1,
        "corpora_json": json.dumps({"en_read": "1", "zh_read": "1"}),
        "config_json": "{}",
        "providers_json": "[]",
        "models_json": "[]",
        "repeats": 1,
        "concurrency": 2,
        "polling": "adaptive",
        "budget_usd": None,
        "planned_jobs": 2 * len(MODELS) * 6,
        "planned_cost_usd": None,
        "planned_unpriced": 0,
        "machine_json": "{}",
        "resumes": 0,
    }


def _job(run_id: str, seq: int, provider: str, model: str, corpus: str, index: int, text: str) -> dict[str, object]:
    language = corpus[:2]
    return {
        "job_key": _key(run_id, model, corpus, index),
        "run_id": run_id,
        "seq": seq,
        "harness_version": "0.1.0",
        "git_revision": "abc123",
        "provider": provider,
        "model": model,
        "endpoint": f"{model}.generate",
        "provider_model_id": None,
        "params_json": json.dumps({"text": text}, ensure_ascii=False),
        "params_sha256": hashlib.sha256(text.encode()).hexdigest(),
        "corpus": corpus,
        "corpus_version": "1",
        "item_id": f"{language}-{index:03d}",
        "language": language,
        "text": text,
        "chars": len(text),
        "repeat": 0,
        "state": "planned",
    }


def _score(clip_id: str, language: str, reference: str, transcript: str) -> ClipScore:
    normalizer = normalizer_for(language)
    text = score_transcript(transcript, [reference], normalizer)
    versions = ScoreVersions(
        asr_backend="faster-whisper",
        asr_model=ENGLISH_ONLY if language == "en" else MULTILINGUAL,
        asr_settings="beam=5",
        normalizer_name=normalizer.name,
        normalizer_version=normalizer.version,
        harness_version="0.1.0",
        setup_asr_model=ENGLISH_ONLY,
    )
    return ClipScore(
        clip_id=clip_id,
        audio_sha256=None,
        language=language,
        unit=text.unit,
        versions=versions,
        transcript=transcript,
        normalized_reference=text.reference,
        normalized_transcript=text.hypothesis,
        reference_candidate=text.candidate_index,
        wer=text.wer,
        cer=text.cer,
        hits=text.hits,
        substitutions=text.substitutions,
        deletions=text.deletions,
        insertions=text.insertions,
        ref_length=text.ref_length,
        ref_words=text.ref_words,
        hyp_length=text.hyp_length,
    )


def _finish(store: Store, job: dict[str, object], usd: float) -> None:
    """A job's result as the runner commits it: the cost row, the clip and the job's final state together."""
    key = str(job["job_key"])
    context = {
        name: job[name]
        for name in ("run_id", "job_key", "harness_version", "git_revision", "provider", "model", "corpus", "item_id")
    }
    cost = {
        **context,
        "attempt": 1,
        "params_sha256": job["params_sha256"],
        "amount": usd,
        "unit": "USD",
        "usd": usd,
        "charged": 1,
        "basis": "documented-price",
        "worst_case_usd": usd,
        "recorded_at": NOW,
    }
    clip = {
        "clip_id": key,
        "run_id": job["run_id"],
        "provider": job["provider"],
        "model": job["model"],
        "corpus": job["corpus"],
        "item_id": job["item_id"],
        "language": job["language"],
        "text": job["text"],
        "alternatives_json": None,
        "reference_audio_path": None,
        "audio_path": f"audio/{key}.wav",
        "audio_sha256": hashlib.sha256(key.encode()).hexdigest(),
        "declared_media_type": "audio/wav",
        "declared_sample_rate": 22050,
    }
    write_rows(
        store,
        [("costs", [cost]), ("clips", [clip])],
        (
            key,
            {
                "state": "done",
                "outcome": "ok",
                "attempts": 1,
                "delivery": "poll",
                "polls": 3,
                "e2e_ms": 1000.0 + 10 * int(str(job["seq"])),
                "e2e_bracket_ms": 40.0,
                "cost_usd": usd,
                "final_status": "COMPLETED",
                "started_at": NOW,
                "finished_at": NOW,
            },
        ),
    )


def make_mixed_run(db: Path | str, run_id: str = "mixed") -> dict[str, Expected]:
    """Write the run into ``db`` (a SQLite file or a PostgreSQL URL); returns each model's WER and CER as the
    scorer's counts give them."""
    store = Store(db)
    jobs: list[dict[str, object]] = []
    for index in range(len(EN)):
        for corpus, texts in (("en_read", EN), ("zh_read", ZH)):
            for provider, model, _usd in MODELS:
                jobs.append(_job(run_id, len(jobs), provider, model, corpus, index, texts[index]))
    write_rows(store, [("runs", [_run_row(run_id)]), ("jobs", jobs)])  # the plan, as the runner records it
    prices = {model: usd for _provider, model, usd in MODELS}
    scores = []
    expected: dict[str, Expected] = {}
    for _provider, model, _usd in MODELS:
        counted: dict[str, list[int]] = {"en": [0, 0], "zh": [0, 0]}  # errors, reference tokens
        for job in (j for j in jobs if j["model"] == model):
            _finish(store, job, prices[model])
            language, index = str(job["language"]), int(str(job["item_id"])[3:])
            score = _score(str(job["job_key"]), language, str(job["text"]), HEARD[model][language][index])
            scores.append(dataclasses.replace(score_row(run_id, str(job["job_key"]), score), scored_at=NOW))
            counted[language][0] += score.substitutions + score.deletions + score.insertions
            counted[language][1] += score.ref_length
        expected[f"acme/{model}"] = Expected(counted["en"][0] / counted["en"][1], counted["zh"][0] / counted["zh"][1])
    write_scores(store.conn, scores)
    store.update_run(run_id, _RunStatusOnly(status="finished"))
    store.close()
    return expected
