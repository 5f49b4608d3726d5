"""A run's settings, in typed sections, from three places: the command line wins over a TOML file, which
wins over `[tool.tts-harness.bench]` (or `[tool.tts-harness]`) in `pyproject.toml`, which wins over defaults.

An option has one name everywhere — the `bench run` flag without its dashes is its TOML key and its key
in a stored run's `config_json` — and one home: the section of the code that reads it. Each section is a
frozen pydantic model that validates its own options, so a typo in a config file fails with the same
one-line message as a bad flag, and a setting is read where it is used (`config.cost.budget`), never
copied along the way. Secrets never live here: keys come from each provider's environment variable.

    section      options                                        read by
    workload     providers models corpus repeats text_rate      the plan (runner.prepare, dry_run), realtime,
                 language cancel_after                          the run's language (bench.languages), cancels
    target       target region                                  session.open_target, dry_run, the report
    cost         budget usd_per_character prices yes            the plan's prices, the budget, check_live
    polling      polling poll_interval webhook_url max_polls    the schedules, waiting, the webhook receiver
    sandbox      sandbox_profile seed clock_skew precise_stamps the run's own sandbox (session)
    references   reference reference_url                        runner.references, the one place
    scoring      score dnsmos asr_model executor address            harness.benchmark
    run          concurrency global_concurrency ramp_up         the runner, its gates, its HTTP client,
                 job_timeout request_timeout                    waiting, the executor, downloads
                 max_rate_limit_retries download_attempts
    output       out resume report fail_on                      the store, --resume, harness.benchmark

A section may also be written whole: `[bench.cost]` in TOML, or `BenchConfig(cost=CostSettings(...))`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal, Self, cast

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationError,
    field_validator,
    model_validator,
)

from harness.core.errors import UsageError
from harness.core.target import TargetChoice, TargetKind, parse_target

DEFAULT_CORPUS = "en_read:2"  # 2 texts x every model of every provider: the default run stays about 2 min
CONFIG_FILE = "tts-harness.toml"
DEFAULT_ASR_MODEL = "tiny.en"  # harness.scoring.asr.base.DEFAULT_MODEL (a test keeps the two equal)

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


def comma_list(value: Any) -> Any:
    """ "a,b" and ["a", "b"] alike, as a tuple: the CLI and TOML files both read naturally."""
    if isinstance(value, str):
        value = [value]
    if isinstance(value, (list, tuple)):
        return tuple(part.strip() for v in value for part in str(v).split(",") if part.strip())
    return value


class Section(BaseModel):
    """One group of options. A field is named for what it holds; its alias, when it has one, is the
    option's name (`--sandbox-profile` is `SandboxSettings.profile`): either spelling is accepted."""

    # Inputs stay out of error texts: a value given by mistake may hold a secret. defer_build: each section's
    # validator is built when it first validates, not at import (`bench run --help` reads the fields' defaults only).
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        validate_by_name=True,
        validate_by_alias=True,
        hide_input_in_errors=True,
        defer_build=True,
    )

    @classmethod
    def given(cls, **options: Any) -> Self:
        """The options a user gave (None: not given), validated now: a bad flag is a one-line usage error
        before any file is read. Only these options override the files (see `load_config`)."""
        try:
            given = {cls.option_name(key): value for key, value in options.items() if value is not None}
            return cls.model_validate(given)
        except ValidationError as error:
            raise settings_error(error) from None

    @classmethod
    def option_name(cls, key: str) -> str:
        """The option's name of a field (its alias), so errors name what the user wrote."""
        field = cls.model_fields.get(key)
        return (field.alias or key) if field is not None else key

    def options(self) -> dict[str, Any]:
        """The options this section was given, by option name."""
        return self.model_dump(by_alias=True, exclude_unset=True)


class WorkloadSettings(Section):
    """What is measured: which models speak which texts, how many times."""

    providers: tuple[str, ...] = ()  # empty: every registered provider
    models: tuple[str, ...] = ()  # "model" or "provider/model"; empty: every model
    corpus: tuple[str, ...] = (DEFAULT_CORPUS,)  # NAME[:N] or FILE[:N]; N keeps the first N items
    repeats: int = Field(1, ge=1, le=1000)
    # Realtime sockets: the text fed token by token at this many tokens a second, as a language model writes
    # it (None: the whole text at once). HTTP and SSE endpoints take the whole text; their first token is
    # the request's send (harness.runner.deliver.socket_speech).
    text_rate: float | None = Field(None, gt=0, le=10_000)
    # Realtime sockets with a documented cancel: the cancel sent this many ms after the utterance's first audio, and
    # what follows it measured (harness.runner.deliver.socket_cancel). None: every utterance is spoken to its end.
    cancel_after: float | None = Field(None, ge=0, le=60_000)
    # The providers' own text normalisation: each model whose request has a documented switch is run once per
    # setting ("off", "on"), named for it (harness.runner.plan.jobs.with_normalisation). Empty: as the provider does it.
    normalisation: tuple[Literal["off", "on"], ...] = ()
    # The run's language (a tag: "es", "pt-BR"): its shipped corpus unless `corpus` names others, on the models that
    # speak it, each with a voice of it (harness.runner.plan.languages). None: the corpora's own.
    language: str | None = Field(None, pattern=r"^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*$")

    @field_validator("providers", "models", "corpus", "normalisation", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        return comma_list(value)


class TargetSettings(Section):
    """Where the requests go: `sandbox` (started by the run), `live` (the documented hosts) or a URL, read
    as everywhere else by `harness.core.target` (a provider's base URL: that provider at its own server;
    any other URL: a server laid out like the sandbox). Kept normalised; credentials in a URL are used and
    never written (the store's redacting writer removes them from the stored settings)."""

    name: str = Field("sandbox", alias="target")
    # Where this run's requests leave from (a label: `eu-west`, `office-berlin`), so runs made from several
    # places compare side by side. Not a provider's region, which its own variable names (AWS_REGION, ...).
    region: str | None = Field(None, alias="region", pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/ -]{0,47}$")

    @field_validator("name")
    @classmethod
    def _one_meaning(cls, value: str) -> str:
        try:
            return parse_target(value, BENCH_TARGETS).as_option()
        except UsageError as error:  # pydantic reports ValueErrors; the message is already one line
            raise ValueError(str(error)) from None

    @property
    def choice(self) -> TargetChoice:
        return parse_target(self.name, BENCH_TARGETS)

    @property
    def kind(self) -> TargetKind:
        return self.choice.kind

    @property
    def url(self) -> str | None:
        """The URL of a `url` target, printable (without credentials)."""
        return self.choice.url


class CostSettings(Section):
    """What the run may spend, and the prices the documents leave out."""

    budget: USD | None = Field(None, ge=0)  # exact from here on: the cap is compared with Decimal prices
    usd_per_character: float | None = Field(None, ge=0)  # for prices in characters (a provider's own unit)
    # "provider/model" -> the team's price as `--price` or a settings file's `[prices]` gives it: AMOUNT/UNIT in USD
    # (`20/1M-chars`, `0.03/min`; a bare amount is per request), a rate table, or a list of them. Read by the one reader
    # of `[prices]` (`harness.core.prices.parse_prices_table`) where the run's prices are made (`PriceBook.for_run`).
    prices: dict[str, float | str | dict[str, Any] | list[dict[str, Any]]] = Field(default_factory=dict)
    plans: dict[str, str] = Field(default_factory=dict)  # provider -> the plan its price sheet names (`--plan`)
    price_max_age: int = Field(180, ge=1)  # days after which a published price read is marked stale
    live_without_budget: bool = Field(False, alias="yes")  # live runs without a budget need explicit consent


class PollingSettings(Section):
    """How a submitted job's end is learned: adaptive polls, a fixed cadence, or a webhook."""

    mode: PollingMode = Field(PollingMode.ADAPTIVE, alias="polling")
    interval: float = Field(1.0, gt=0, alias="poll_interval")  # seconds, for polling=fixed
    webhook_url: str | None = None  # public URL that reaches the local receiver (live webhooks)
    # Status polls one job may spend at the schedule's chosen cadence before its gaps only grow with the time
    # waited (None: the adaptive schedule's own, 30). Fewer polls widen the intervals a job's polls bound
    # (the summary's ± and polls columns show the trade); documented rate limits and Retry-After rule above it.
    max_polls: int | None = Field(None, ge=2, le=1000, alias="max_polls")

    @property
    def label(self) -> str:
        return f"fixed:{self.interval:g}" if self.mode is PollingMode.FIXED else self.mode.value


class SandboxSettings(Section):
    """The run's own sandbox, when the target is `sandbox`."""

    profile: SandboxProfileName | None = Field(None, alias="sandbox_profile")  # None: realistic
    seed: int = Field(0, ge=-(2**63), le=2**63 - 1)  # stored in runs.sandbox_seed, a 64-bit SQLite INTEGER
    clock_skew: float | None = None  # server clock − ours, seconds (None: the profile's)
    precise_stamps: bool = False  # millisecond stamps where the documents print whole seconds
    # The team's own catalogue (voices, models per provider: a TOML or JSON file, or a runs.db whose latest run
    # recorded the listings live): the sandbox speaks the account's voices as the provider does.
    catalogue: Path | None = None

    @field_validator("catalogue")
    @classmethod
    def _catalogue_readable(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"--catalogue {value}: no such file")
        return value


class ReferenceSettings(Section):
    """The voice cloning models copy: a file to upload, a URL for models that fetch it. Turned into the
    plan's references in one place, `harness.runner.run.references`."""

    file: Path | None = Field(None, alias="reference")  # uploaded to file-cloning models
    url: str | None = Field(None, alias="reference_url")  # a public URL of it, for URL-cloning models live

    @field_validator("file")
    @classmethod
    def _readable(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"--reference {value}: no such file")
        return value

    @field_validator("url")
    @classmethod
    def _fetchable(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError(f"--reference-url must be an http(s) URL the provider can fetch; got {value!r}")
        return value


class ScoringSettings(Section):
    """Whether clips are scored, and where: during the run in this process, or after it on Ray."""

    enabled: bool = Field(True, alias="score")
    # DNSMOS costs about a CPU-second a clip, more than the ASR; no gate reads it (harness.report.compare),
    # so a regression gate can leave it out. On: estimated whenever its extra is installed.
    dnsmos: bool = True
    # The ASR model that scores (WER) and judges hard text: tiny.en (shipped), base (the asr-base extra), a model
    # name, a CTranslate2 folder (harness.scoring.asr.models); every row names it by its content id.
    asr_model: str = Field(DEFAULT_ASR_MODEL, min_length=1)
    executor: Literal["local", "ray"] = "local"
    address: str | None = None  # the Ray cluster, with executor ray (None: a local Ray instance)

    @property
    def during_run(self) -> bool:
        return self.enabled and self.executor == "local"

    @property
    def after_run(self) -> bool:
        return self.enabled and self.executor != "local"


class RunSettings(Section):
    """How hard the run pushes, and how long it waits.

    `concurrency` is the cap on one provider's jobs in flight; several levels (`1,4,16`) make a load sweep:
    the same plan runs at each level in turn, and the report draws latency and errors against the load.
    `global_concurrency` caps all providers together (None: no cap beyond each provider's).
    """

    levels: tuple[int, ...] = Field((8,), alias="concurrency", min_length=1, max_length=16)
    global_concurrency: int | None = Field(None, ge=1, le=4096)
    # The first wave of a provider's jobs starts spread over this many seconds, not in one burst: a load
    # ramp, and submits at distinct phases of the server's second, which pin its clock early when it
    # stamps whole seconds (see harness.measurement.server_clock).
    ramp_up: float = Field(1.0, ge=0, le=60)
    job_timeout: float = Field(900.0, gt=0, le=7 * 86_400)  # a job's whole time (bench.deadline); a week at most
    request_timeout: float = Field(60.0, gt=0)  # seconds without an answer before a request fails
    max_rate_limit_retries: int = Field(5, ge=0)
    download_attempts: int = Field(6, ge=1, le=20)  # a finished job's audio: tries before it counts as lost

    @model_validator(mode="before")
    @classmethod
    def _legacy_provider_concurrency(cls, data: Any) -> Any:
        # Before issue 22 `concurrency` capped the run and `provider_concurrency` (default 8) each provider.
        # A stored run or an old config file keeps its meaning: the smaller is the per-provider cap, and
        # `concurrency` becomes the global cap it was.
        if not isinstance(data, Mapping) or "provider_concurrency" not in data:
            return data
        data = dict(data)
        per_provider = int(data.pop("provider_concurrency"))
        overall = data.get("concurrency", 8)
        if isinstance(overall, int):
            data["concurrency"] = min(overall, per_provider)
            data.setdefault("global_concurrency", overall if overall > per_provider else None)
        return data

    @field_validator("levels", mode="before")
    @classmethod
    def _split_levels(cls, value: Any) -> Any:
        # 8, "1,4,16", [1, 4, 16] and "1, 4,16" alike; sorted, each once: a sweep climbs.
        if isinstance(value, int):
            return (value,)
        if isinstance(value, str):
            value = value.split(",")
        if isinstance(value, (list, tuple)):
            try:
                levels = {int(str(part).strip()) for part in value if str(part).strip()}
            except ValueError:
                given = ",".join(str(part) for part in value)
                raise ValueError(f"--concurrency takes N or a comma list of levels (1,4,16); got {given!r}") from None
            return tuple(sorted(levels))
        return value

    @field_validator("levels")
    @classmethod
    def _level_range(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if any(not 1 <= level <= 1024 for level in value):
            raise ValueError("each --concurrency level must be between 1 and 1024")
        return value

    @property
    def concurrency(self) -> int:
        """The per-provider cap of a single-level run; the top level of a sweep."""
        return self.levels[-1]

    @property
    def sweep(self) -> tuple[int, ...]:
        """The levels of a load sweep; empty for a run at one level."""
        return self.levels if len(self.levels) > 1 else ()

    def wave(self, level: int) -> int:
        """How many of a provider's jobs may really be in flight at `level` (the global cap may be lower)."""
        return level if self.global_concurrency is None else min(level, self.global_concurrency)


class OutputSettings(Section):
    """Where the rows and audio go, which stored run to finish, and whether the HTML report is written."""

    out: Path = Path("reports")
    resume: str | None = None  # a run id in `out`
    report: bool = True
    # What, found in the run's results, makes it fail (exit 1) for a CI job, as `compare --fail-on` does between two
    # runs: "language", a model answering in another language than asked. Empty: results never fail a run.
    fail_on: tuple[Literal["language"], ...] = ()

    @field_validator("fail_on", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        return comma_list(value)

    @field_validator("out")
    @classmethod
    def _out_is_a_folder(cls, value: Path) -> Path:
        if value.exists() and not value.is_dir():
            raise ValueError(f"{value} is a file; --out names the folder for runs.db and audio")
        return value

    @property
    def db_path(self) -> Path:
        return self.out / "runs.db"

    @property
    def audio_dir(self) -> Path:
        return self.out / "audio"


class BenchConfig(BaseModel):
    """Everything a run needs to know, validated, one section per concern.

    Built from sections or from options by name (`BenchConfig(models=("xtts-v2",), budget=1.0)`: each
    option goes to its section), which is also how TOML files and stored runs are read.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # built on first use, as a section's

    workload: WorkloadSettings = Field(default_factory=WorkloadSettings)
    target: TargetSettings = Field(default_factory=TargetSettings)
    cost: CostSettings = Field(default_factory=CostSettings)
    polling: PollingSettings = Field(default_factory=PollingSettings)
    sandbox: SandboxSettings = Field(default_factory=SandboxSettings)
    references: ReferenceSettings = Field(default_factory=ReferenceSettings)
    scoring: ScoringSettings = Field(default_factory=ScoringSettings)
    run: RunSettings = Field(default_factory=RunSettings)
    output: OutputSettings = Field(default_factory=OutputSettings)

    @model_validator(mode="before")
    @classmethod
    def _options_to_sections(cls, data: Any) -> Any:
        return by_section(data) if isinstance(data, Mapping) else data

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.scoring.address is not None and self.scoring.executor != "ray":
            raise ValueError("--address names a Ray cluster: it goes with --executor ray")
        return self

    def updated(self, **options: Any) -> BenchConfig:
        """These settings with some options replaced (by option name), validated again."""
        return BenchConfig.model_validate(merge(self.model_dump(by_alias=True), options))

    def public(self) -> dict[str, Any]:
        """The settings as stored with the run: every option by name (JSON-safe; nothing secret is in here)."""
        return {
            name: value
            for section in self.model_dump(mode="json", by_alias=True).values()
            for name, value in section.items()
        }


SECTIONS: dict[str, type[Section]] = {  # BenchConfig's field -> its section's model
    name: cast(type[Section], field.annotation) for name, field in BenchConfig.model_fields.items()
}
SECTION_OF: dict[type[Section], str] = {model: name for name, model in SECTIONS.items()}
OPTIONS: dict[str, str] = {  # option name -> its section
    field.alias or name: section for section, model in SECTIONS.items() for name, field in model.model_fields.items()
}
# Options no longer written, still read from old runs and files: their section translates them.
RETIRED_OPTIONS: dict[str, str] = {"provider_concurrency": "run"}


def by_section(settings: Mapping[str, Any]) -> dict[str, Any]:
    """Options by name (as flags, TOML keys and stored runs write them) sorted into their sections. A
    section given whole (a `[bench.cost]` table, a `CostSettings`) is merged with options beside it, which
    win; an unknown name is left in place for validation to name it."""
    result: dict[str, Any] = {}
    for key, value in settings.items():
        if key in SECTIONS and isinstance(value, Mapping | Section):
            given = value.options() if isinstance(value, Section) else value
            options = {SECTIONS[key].option_name(name): v for name, v in given.items()}
            result[key] = options | result.get(key, {})
        elif key in OPTIONS or key in RETIRED_OPTIONS:
            result.setdefault(OPTIONS.get(key) or RETIRED_OPTIONS[key], {})[key] = value
        else:
            result[key] = value
    return result


def merge(*sources: Mapping[str, Any]) -> dict[str, Any]:
    """Settings from several sources, later ones winning option by option."""
    merged: dict[str, Any] = {}
    for source in sources:
        for key, value in by_section(source).items():
            earlier = merged.get(key)
            merged[key] = earlier | value if isinstance(earlier, dict) and isinstance(value, dict) else value
    return merged


def settings_error(error: ValidationError) -> UsageError:
    """One line naming each bad option as the user wrote it (`sandbox_profile: ...`, not its section)."""
    problems = []
    for problem in error.errors(include_url=False):
        where = [str(part) for part in problem["loc"]]
        if len(where) > 1 and where[0] in SECTIONS:
            where = where[1:]
        problems.append(f"{'.'.join(where)}: {problem['msg']}" if where else problem["msg"])
    return UsageError(f"invalid bench settings: {'; '.join(problems)}")


def _table(data: Mapping[str, Any], *path: str) -> dict[str, Any]:
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
    sources: list[Mapping[str, Any]] = []
    providers_file = _providers_file(base)
    pyproject = base / "pyproject.toml"
    if pyproject.is_file():
        tool = _table(_read_toml(pyproject), "tool", "tts-harness")
        sources += [
            {k: v for k, v in tool.items() if k in OPTIONS and _ours(k, pyproject, providers_file)},
            _table(tool, "bench"),
        ]
    path = config_file or (base / CONFIG_FILE if (base / CONFIG_FILE).is_file() else None)
    if path is not None:
        data = _read_toml(path)
        # Top-level keys are options (a misspelt one is refused); tables other than [bench] and [prices]
        # belong to others (the providers file's [providers.*]).
        sources += [
            {
                k: v
                for k, v in data.items()
                if (not isinstance(v, Mapping) or k == "prices") and _ours(k, path, providers_file)
            },
            _table(data, "bench"),
        ]
    return merge(*sources)


def _providers_file(base: Path) -> Path | None:
    """The providers file in effect (`harness.core.declared`), whose `[prices]` its reader reads, or None."""
    from harness.core.declared import find_file

    try:
        found = find_file(base)
    except UsageError:  # a providers file named and missing: its reader says so where providers are found
        return None
    return None if found is None else found[0].resolve()


def _ours(key: str, path: Path, providers_file: Path | None) -> bool:
    """Whether a settings file's top-level key is read as a setting: all but the `[prices]` of the providers file in
    effect, which the providers file's reader reads (`registry.declared_prices`), so that one table is read once."""
    return key != "prices" or path.resolve() != providers_file


def load_config(given: Iterable[Section] = (), config_file: Path | None = None, cwd: Path | None = None) -> BenchConfig:
    """The options a user gave (sections from `Section.given`) over file settings over defaults."""
    cli = {SECTION_OF[type(section)]: section.options() for section in given}
    try:
        return BenchConfig.model_validate(merge(file_settings(config_file, cwd), cli))
    except ValidationError as error:
        raise settings_error(error) from None
