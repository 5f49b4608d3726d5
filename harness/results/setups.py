"""Which scoring setup a run's figures come from: the one rule, with its one tie-break.

A run can be scored more than once (another ASR model, a newer normalizer); each pass writes its own
`scores` rows, and figures from two passes must never mix. A pass is a *setup*: the ASR backend, the
model it was asked for (`setup_asr_model`: a zh clip read by the multilingual counterpart of an
English-only model still belongs to the pass), and the normalizer version. A run's figures come from
the setup that scored the most clips; on a tie, the one that scored last; then by name, so the choice
never depends on row order. A reader may ask for another by its model name.
"""

from __future__ import annotations

from dataclasses import dataclass

from harness.core.errors import UsageError
from harness.results.database import Connection, columns_of, has_table


@dataclass(frozen=True, slots=True)
class AsrSetup:
    asr_backend: str
    asr_model: str  # the model the pass was asked for
    normalizer_version: str
    clips: int = 0  # score rows of the run under this setup (failed ones included)
    latest: str = ""  # when it last scored a clip

    @property
    def label(self) -> str:
        return f"{self.asr_backend}/{self.asr_model}"

    def named(self, name: str) -> bool:
        """Whether `name` ("tiny.en#…" or "faster-whisper/tiny.en#…") names this setup's model."""
        return name in (self.asr_model, self.label)


def setup_model_sql(conn: Connection, alias: str = "") -> str:
    """The SQL expression of a score row's setup model (an old database read as it is has no column)."""
    prefix = f"{alias}." if alias else ""
    if "setup_asr_model" in columns_of(conn, "scores"):
        return f"COALESCE({prefix}setup_asr_model, {prefix}asr_model)"
    return f"{prefix}asr_model"


def asr_setups(conn: Connection, run_id: str) -> list[AsrSetup]:
    """The run's scoring setups, the one its figures come from first (see the module docstring)."""
    if not has_table(conn, "scores"):
        return []
    rows = conn.execute(
        f"SELECT asr_backend, {setup_model_sql(conn)} AS setup_model, normalizer_version, COUNT(*) AS n, "
        "MAX(scored_at) AS latest FROM scores WHERE run_id = ? GROUP BY 1, 2, 3 "
        "ORDER BY n DESC, latest DESC, 1, 2, 3",
        (run_id,),
    ).fetchall()
    return [AsrSetup(str(r[0]), str(r[1]), str(r[2]), int(r[3]), str(r[4])) for r in rows]


def pick_setup(conn: Connection, run_id: str, asr_model: str | None = None) -> AsrSetup | None:
    """The setup a run's figures come from, or the one `asr_model` names; None when nothing was scored."""
    setups = asr_setups(conn, run_id)
    if asr_model is None:
        return setups[0] if setups else None
    for setup in setups:
        if setup.named(asr_model):
            return setup
    known = ", ".join(s.label for s in setups) or "none"
    raise UsageError(f"run {run_id} has no scores from ASR model {asr_model!r}; it has: {known}")
