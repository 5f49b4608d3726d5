"""A run's settings, from three places: the command line wins over a TOML file, which wins over
`[tool.tts-harness.bench]` (or `[tool.tts-harness]`) in `pyproject.toml`, which wins over defaults.

One pydantic model validates every source alike, so a typo in a config file fails with the same clear
message as a bad flag. Secrets never live here: keys come from each provider's environment variable.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, ValidationError, field_validator

from harness.core.errors import UsageError
from harness.core.target import TargetChoice, TargetKind, parse_target

DEFAULT_CORPUS = "en_read:6"  # 6 texts x every model: the default run (scoring included) stays < 5 min
CONFIG_FILE = "tts-harness.toml"

# Dollars as Decimal (exact, like the prices), written to JSON as a number, as stored runs always had it.
USD = Annotated[Decimal, PlainSerializer(float, return_type=float, when_used="json")]


# Where a run can send its requests (harness.core.target says what each means; a benchmark has no replay).
BENCH_TARGETS = (TargetKind.SANDBOX, TargetKind.LIVE, TargetKind.URL)


class PollingMode(StrEnum):
    ADAPTIVE = "adaptive"
    FIXED = "fixed"
    WEBHOOK = "webhook"


# The sandbox's profiles (harness.sandbox.profiles.Profile; a test keeps the two lists equal), named here so
# a bad name is a usage error before anything starts.
SandboxProfileName = Literal["fast", "realistic", "chaos"]

class BenchConfig(BaseModel):
    """Everything a run needs to know, validated."""

    # Inputs stay out of error texts: a value given by mistake may hold a secret.
    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)

    providers: tuple[str, ...] = ()  # empty: every registered provider
    models: tuple[str, ...] = ()  # "model" or "provider/model"; empty: every model
    corpus: tuple[str, ...] = (DEFAULT_CORPUS,)  # NAME[:N] or FILE[:N]; N keeps the first N items
    repeats: int = Field(1, ge=1, le=1000)
    concurrency: int = Field(8, ge=1, le=1024)
    provider_concurrency: int = Field(8, ge=1, le=1024)  # cap per provider, below the documented limits
    # The first wave of a provider's jobs starts spread over this many seconds, not in one burst: a load
    # ramp, and submits at distinct phases of the server's second, which pin its clock early when it
    # stamps whole seconds (see harness.bench.stampbook).
    ramp_up: float = Field(1.0, ge=0, le=60)
    target: str = "sandbox"  # sandbox | live | a URL (harness.core.target), normalised; credentials in it are
    # used and never written (the store's redacting writer removes them from the stored settings)
    budget: USD | None = Field(None, ge=0)  # exact from here on: the cap is compared with Decimal prices
    usd_per_character: float | None = Field(None, ge=0)  # for prices in characters (TTS.ai)
    prices: dict[str, float] = Field(default_factory=dict)  # "provider/model" -> USD per request
    out: Path = Path("reports")
    resume: str | None = None
    polling: PollingMode = PollingMode.ADAPTIVE
    poll_interval: float = Field(1.0, gt=0)  # seconds, for polling=fixed
    webhook_url: str | None = None  # public URL that reaches the local receiver (live webhooks)
    sandbox_profile: SandboxProfileName | None = None
    seed: int = 0
    clock_skew: float | None = None  # sandbox: server clock − ours, seconds (None: the profile's)
    precise_stamps: bool = False  # sandbox: millisecond stamps where the documents print whole seconds
    score: bool = True
    report: bool = True
    job_timeout: float = Field(900.0, gt=0)  # seconds from submit to giving up on a job
    request_timeout: float = Field(60.0, gt=0)  # seconds without an answer before a request fails
    max_rate_limit_retries: int = Field(5, ge=0)
    download_attempts: int = Field(6, ge=1, le=20)  # a finished job's audio: tries before it counts as lost
    reference_url: str | None = None  # a public URL of the reference voice, for URL-cloning models live
    reference: Path | None = None  # a reference voice file, uploaded to file-cloning models
    yes: bool = False  # live runs without a budget need explicit consent

    @field_validator("providers", "models", "corpus", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        # "a,b" and ["a", "b"] alike: the CLI and TOML files both read naturally.
        if isinstance(value, str):
            value = [value]
        if isinstance(value, (list, tuple)):
            return tuple(part.strip() for v in value for part in str(v).split(",") if part.strip())
        return value

    @field_validator("target")
    @classmethod
    def _one_meaning(cls, value: str) -> str:
        try:
            return parse_target(value, BENCH_TARGETS).as_option()  # credentials kept: the run uses them
        except UsageError as error:  # pydantic reports ValueErrors; the message is already one line
            raise ValueError(str(error)) from None

    @field_validator("reference")
    @classmethod
    def _readable(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"--reference {value}: no such file")
        return value

    @field_validator("reference_url")
    @classmethod
    def _fetchable(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError(f"--reference-url must be an http(s) URL the provider can fetch; got {value!r}")
        return value

    @field_validator("out")
    @classmethod
    def _out_is_a_folder(cls, value: Path) -> Path:
        if value.exists() and not value.is_dir():
            raise ValueError(f"{value} is a file; --out names the folder for runs.db and audio")
        return value

    @property
    def target_choice(self) -> TargetChoice:
        return parse_target(self.target, BENCH_TARGETS)

    @property
    def target_kind(self) -> TargetKind:
        return self.target_choice.kind

    @property
    def polling_label(self) -> str:
        return f"fixed:{self.poll_interval:g}" if self.polling is PollingMode.FIXED else self.polling.value

    @property
    def db_path(self) -> Path:
        return self.out / "runs.db"

    @property
    def audio_dir(self) -> Path:
        return self.out / "audio"

    def public(self) -> dict[str, Any]:
        """The settings as stored with the run (JSON-safe; nothing secret is ever in here)."""
        return self.model_dump(mode="json")


def _section(data: Mapping[str, Any], *path: str) -> dict[str, Any]:
    current: Any = data
    for key in path:
        if not isinstance(current, Mapping) or key not in current:
            return {}
        current = current[key]
    return dict(current) if isinstance(current, Mapping) else {}


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise UsageError(f"cannot read config {path}: {error}") from None


def file_settings(config_file: Path | None = None, cwd: Path | None = None) -> dict[str, Any]:
    """Settings from pyproject.toml and a TOML file, the file winning; only bench keys are taken."""
    base = cwd or Path.cwd()
    settings: dict[str, Any] = {}
    pyproject = base / "pyproject.toml"
    if pyproject.is_file():
        tool = _section(_read_toml(pyproject), "tool", "tts-harness")
        settings |= {k: v for k, v in tool.items() if k in BenchConfig.model_fields}
        settings |= _section(tool, "bench")
    path = config_file or (base / CONFIG_FILE if (base / CONFIG_FILE).is_file() else None)
    if path is not None:
        data = _read_toml(path)
        settings |= {k: v for k, v in data.items() if not isinstance(v, Mapping) or k == "prices"}
        settings |= _section(data, "bench")
    return settings


def load_config(cli: Mapping[str, Any], config_file: Path | None = None, cwd: Path | None = None) -> BenchConfig:
    """CLI values (None means "not given") over file settings over defaults."""
    merged = file_settings(config_file, cwd) | {k: v for k, v in cli.items() if v is not None}
    try:
        return BenchConfig.model_validate(merged)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'config'}: {e['msg']}" for e in error.errors(include_url=False)
        )
        raise UsageError(f"invalid bench settings: {problems}") from None
