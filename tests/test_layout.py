"""One shape for every provider package and one for every emulation (docs/adding-a-provider.md).

A newcomer who has read one provider package (botocore's side) or one emulation (moto's side) can read
them all: the same module names, holding the same things, exporting one name each. The shapes are data
here (`FAMILY_SHAPE` for a provider that is a declaration in a wire family, with no emulation of its own;
`PROVIDER_SHAPE` for a provider with an emulation of its own, TTS.ai, whose `emulation/` package has
`EMULATION_SHAPE`, as every family's imitation in harness/sandbox/emulations/ has); the walk-through's
shape trees are checked against them, and so is the worked example (`examples/provider/`, a jobs-family
declaration with no emulation, served in tests/test_example_provider.py).
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from harness.core import declared
from harness.core.registry import ENTRY_POINT_GROUP
from harness.core.spec import EventStreamBody, JsonBody, Provider, Role
from harness.sandbox.emulation import Emulation
from harness.sandbox.loading import EMULATION_GROUP
from tests.helpers.realtime import realtime_toml
from tests.helpers.repo import REPO_ROOT as ROOT

HARNESS = ROOT / "harness"
EXAMPLE = ROOT / "examples" / "provider"


@dataclass(frozen=True, slots=True)
class Shape:
    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    folders: tuple[str, ...]  # the modules that may grow into a folder of the same name
    packages: tuple[tuple[str, Shape], ...] = ()  # optional parts that are packages of a shape of their own

    @property
    def allowed(self) -> set[str]:
        return {*self.required, *self.optional, *dict(self.packages)}

    def __str__(self) -> str:
        return self.name


EMULATION_SHAPE = Shape(
    "emulation", required=("__init__", "models", "responses"), optional=("routes",), folders=("models", "responses")
)
# A provider its documents make truly its own: its declaration in modules of its own, and beside them the
# sandbox's imitation of it, `emulation/` (the moto shape: a service's models, responses and routes in the
# service's own folder; sandbox code by the layers, tests/core/test_layers.py `PART_OF`).
PROVIDER_SHAPE = Shape(
    "provider",
    required=("__init__", "models", "endpoints", "spec"),
    optional=("pricing", "drift", "offerings"),
    folders=("models", "endpoints"),
    packages=(("emulation", EMULATION_SHAPE),),
)
# A provider of a wire family (harness.core.protocols): a declaration in the family's terms, its wire models
# beside it where the family does not own them; no emulation of its own (the family's imitates it).
# `sockets`: its WebSocket endpoints in the WebSocket speech family's terms, where it has them.
# `streaming`: its gRPC streaming synthesis methods in the gRPC streaming speech family's terms.
FAMILY_SHAPE = Shape(
    "family provider", required=("__init__", "declaration"), optional=("models", "sockets", "streaming"), folders=()
)


@dataclass(frozen=True, slots=True)
class Package:
    path: Path
    module: str  # its import name

    def __str__(self) -> str:
        return self.module


def _packages(folder: Path, prefix: str) -> list[Package]:
    return [
        Package(path, f"{prefix}.{path.name}") for path in sorted(folder.iterdir()) if (path / "__init__.py").is_file()
    ]


ALL_PROVIDERS = [*_packages(HARNESS / "providers", "harness.providers"), Package(EXAMPLE / "acme_tts", "acme_tts")]
PROVIDERS = [p for p in ALL_PROVIDERS if not (p.path / "declaration.py").is_file()]
FAMILY_PROVIDERS = [p for p in ALL_PROVIDERS if (p.path / "declaration.py").is_file()]
# The families' imitations, in the sandbox; the emulations of providers with one of their own, in their packages.
FAMILY_EMULATIONS = _packages(HARNESS / "sandbox" / "emulations", "harness.sandbox.emulations")
OWN_EMULATIONS = [
    Package(p.path / "emulation", f"{p.module}.emulation")
    for p in PROVIDERS
    if (p.path / "emulation" / "__init__.py").is_file()
]
EMULATIONS = [*FAMILY_EMULATIONS, *OWN_EMULATIONS]


@pytest.fixture(autouse=True)
def _example_importable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(EXAMPLE))


def _entries(path: Path) -> tuple[set[str], set[str], list[str]]:
    """(module names, folder names, anything else) in a package folder."""
    modules, folders, strays = set(), set(), []
    for entry in sorted(path.iterdir()):
        if entry.name == "__pycache__":
            continue
        if entry.is_file() and entry.suffix == ".py":
            modules.add(entry.stem)
        elif entry.is_dir() and (entry / "__init__.py").is_file():
            folders.add(entry.name)
        else:
            strays.append(entry.name)
    return modules, folders, strays


def _check_shape(package: Package, shape: Shape) -> None:
    modules, folders, strays = _entries(package.path)
    assert not strays, f"{package}: not a module or package: {strays}"
    assert not modules & folders, f"{package}: both a module and a folder named {modules & folders}"
    packages = dict(shape.packages)
    assert not modules & set(packages), f"{package}: {sorted(modules & set(packages))} must be packages"
    assert not folders - set(shape.folders) - set(packages), (
        f"{package}: only {[*shape.folders, *packages]} may be folders, not {folders}"
    )
    names = modules | folders
    assert set(shape.required) <= names, f"{package}: missing {sorted(set(shape.required) - names)}"
    assert names <= shape.allowed, f"{package}: {sorted(names - shape.allowed)} are not in the shape"
    for folder in folders:
        if folder in packages:  # a package of its own shape (a provider's emulation)
            _check_shape(Package(package.path / folder, f"{package.module}.{folder}"), packages[folder])
            continue
        # a folder's modules are its own business, but nothing else lives there
        _, nested, strays = _entries(package.path / folder)
        assert not nested and not strays, f"{package}.{folder}: only modules inside, not {nested or strays}"


def _in(module: str, package: Package, part: str) -> bool:
    return module == f"{package.module}.{part}" or module.startswith(f"{package.module}.{part}.")


def _has(package: Package, part: str) -> bool:
    return (package.path / f"{part}.py").is_file() or (package.path / part).is_dir()


def _part(package: Package, part: str) -> ModuleType:
    return importlib.import_module(f"{package.module}.{part}")


@pytest.mark.parametrize(
    ("package", "shape"),
    [
        *((p, PROVIDER_SHAPE) for p in PROVIDERS),
        *((p, FAMILY_SHAPE) for p in FAMILY_PROVIDERS),
        *((e, EMULATION_SHAPE) for e in EMULATIONS),
    ],
    ids=str,
)
def test_package_has_the_shape(package: Package, shape: Shape) -> None:
    _check_shape(package, shape)


# --- providers --------------------------------------------------------------------------------------


@pytest.mark.parametrize("package", PROVIDERS, ids=str)
def test_provider_package_exports_only_its_provider(package: Package) -> None:
    module = importlib.import_module(package.module)
    assert module.__all__ == ["PROVIDER"]
    assert isinstance(module.PROVIDER, Provider)
    assert module.PROVIDER is _part(package, "spec").PROVIDER


@pytest.mark.parametrize("package", PROVIDERS, ids=str)
def test_provider_is_assembled_from_its_modules(package: Package) -> None:
    provider: Provider = importlib.import_module(package.module).PROVIDER
    assert provider.endpoints == _part(package, "endpoints").ENDPOINTS
    assert provider.doc_drift == (_part(package, "drift").DOC_DRIFT if _has(package, "drift") else ())
    assert provider.offerings == (_part(package, "offerings").OFFERINGS if _has(package, "offerings") else ())
    models = {provider.error_model}
    for endpoint in provider.endpoints:
        models |= {endpoint.request} if endpoint.request is not None else set()
        for response in endpoint.responses:
            models |= {b.model for b in response.bodies if isinstance(b, JsonBody)}
            models |= {b.event_model for b in response.bodies if isinstance(b, EventStreamBody) and b.event_model}
    misplaced = sorted(f"{m.__module__}.{m.__name__}" for m in models if not _in(m.__module__, package, "models"))
    assert not misplaced, f"wire models outside {package}.models: {misplaced}"


@pytest.mark.parametrize("package", FAMILY_PROVIDERS, ids=str)
def test_a_family_provider_is_its_declaration_and_has_no_emulation_of_its_own(package: Package) -> None:
    module = importlib.import_module(package.module)
    assert module.__all__ == ["PROVIDER"]
    provider: Provider = module.PROVIDER
    assert provider is _part(package, "declaration").PROVIDER
    assert provider.protocol, f"{package}: a family provider names the family (protocol) that imitates it"
    # Its imitation is its family's: the emulation registered under its protocol, which imitates any provider of
    # that family (a providers file's too) and so never reads this package. (A family may share the provider's
    # name — the `elevenlabs` protocol and the built-in `elevenlabs` provider — and still be the family's.)
    imitation = {e.name: e.value for e in entry_points(group=EMULATION_GROUP)}.get(provider.protocol)
    assert imitation is not None, f"{package}: no emulation is registered for its protocol {provider.protocol!r}"
    folder = HARNESS / "sandbox" / "emulations" / imitation.split(":")[0].rsplit(".", 1)[-1]
    readers = sorted(
        str(path.relative_to(HARNESS))
        for path in folder.rglob("*.py")
        if package.module in path.read_text(encoding="utf-8")
    )
    assert not readers, f"{package} has an emulation of its own ({readers} read it): the family's should imitate it"
    namesake = HARNESS / "sandbox" / "emulations" / package.path.name
    assert namesake == folder or not namesake.exists(), f"{package} has an emulation of its own ({namesake.name})"
    own = "models" if _has(package, "models") else "declaration"
    models = {provider.error_model}
    for endpoint in provider.endpoints:
        models |= {endpoint.request} if endpoint.request is not None else set()
        for response in endpoint.responses:
            models |= {b.model for b in response.bodies if isinstance(b, JsonBody)}
    misplaced = sorted(
        f"{m.__module__}.{m.__name__}"
        for m in models
        if m.__module__.startswith(package.module) and not _in(m.__module__, package, own)
    )
    assert not misplaced, f"wire models outside {package}.{own}: {misplaced}"


def test_every_provider_package_of_the_harness_is_registered_by_its_package_name() -> None:
    registered = {e.name: e.value for e in entry_points(group=ENTRY_POINT_GROUP) if e.value.startswith("harness.")}
    assert registered == {p.path.name: f"{p.module}:PROVIDER" for p in ALL_PROVIDERS if p.module.startswith("harness.")}


# --- emulations -------------------------------------------------------------------------------------


@pytest.mark.parametrize("package", EMULATIONS, ids=str)
def test_emulation_exports_only_its_emulation_defined_in_responses(package: Package) -> None:
    module = importlib.import_module(package.module)
    assert module.__all__ == ["EMULATION"]
    emulation = module.EMULATION
    cls = emulation if isinstance(emulation, type) else type(emulation)
    assert issubclass(cls, Emulation)
    assert _in(cls.__module__, package, "responses"), f"{cls.__qualname__} is defined in {cls.__module__}"


def test_every_emulation_of_the_harness_is_registered_by_its_package_name() -> None:
    registered = {e.value for e in entry_points(group=EMULATION_GROUP) if e.value.startswith("harness.")}
    assert registered == {f"{p.module}:EMULATION" for p in EMULATIONS if p.module.startswith("harness.")}


def test_the_sandbox_holds_the_families_imitations_and_a_provider_its_own() -> None:
    """harness/sandbox/emulations/ imitates families: each package is registered under a protocol the built-in
    providers speak. A provider's own emulation is in its package, registered under the provider's name."""
    name_of = {e.value: e.name for e in entry_points(group=EMULATION_GROUP)}
    protocols = {e.load().protocol for e in entry_points(group=ENTRY_POINT_GROUP) if e.value.startswith("harness.")}
    assert FAMILY_EMULATIONS and OWN_EMULATIONS
    for package in FAMILY_EMULATIONS:
        assert name_of[f"{package.module}:EMULATION"] in protocols, f"{package} imitates no family"
    for package in OWN_EMULATIONS:
        assert name_of[f"{package.module}:EMULATION"] == package.path.parent.name, package


def _declared_realtime_provider(package_name: str) -> Provider:
    """A provider declared with the realtime protocol the emulation package of that name imitates."""
    names = {"cartesia": "carte"}
    # Only that provider's table: the others' protocols may be declared in another way (ElevenLabs' is a family now).
    table = next(part for part in realtime_toml().split("\n[") if part.startswith(f"providers.{names[package_name]}]"))
    found = declared.parse("[" + table, Path("tts-harness.toml")).providers()
    return next(p for p in found if p.name == names[package_name])


def _built(package: Package) -> Emulation:
    """The package's emulation, built for the provider it imitates (a declared one for a protocol)."""
    entry = importlib.import_module(package.module).EMULATION
    if not isinstance(entry, type):
        assert isinstance(entry, Emulation)
        return entry
    name = package.path.name
    if package in OWN_EMULATIONS:  # a provider's own, in its package
        provider = importlib.import_module(package.module.rpartition(".")[0]).PROVIDER
    elif name in ("cartesia",):
        provider = _declared_realtime_provider(name)
    elif name == "http_speech":  # the family's imitation, built for each of its providers alike
        provider = next(
            importlib.import_module(p.module).PROVIDER
            for p in FAMILY_PROVIDERS
            if importlib.import_module(p.module).PROVIDER.protocol == "http-speech"
        )
    elif name == "jobs":  # the jobs family's imitation, built for each of its providers alike
        provider = next(
            importlib.import_module(p.module).PROVIDER
            for p in FAMILY_PROVIDERS
            if importlib.import_module(p.module).PROVIDER.protocol == "jobs"
        )
    else:
        provider = importlib.import_module(f"harness.providers.{name}").PROVIDER
    built = entry(provider)
    assert isinstance(built, Emulation)
    return built


def _needs_a_handler(provider: Provider) -> set[str]:
    """Endpoints the engine serves but does not run as a job (its own submit and status handling)."""
    status_endpoints = {e.job.status_endpoint for e in provider.endpoints if e.role is Role.SUBMIT and e.job}
    return {
        e.key
        for e in provider.endpoints
        if e.host in provider.hosts
        and e.path.startswith("/")
        and not (e.role is Role.SUBMIT and e.job is not None)
        and e.key not in status_endpoints
    }


@pytest.mark.parametrize("package", EMULATIONS, ids=str)
def test_every_endpoint_that_is_not_a_job_has_exactly_one_handler(package: Package) -> None:
    emulation = _built(package)
    assert set(emulation.handlers) == _needs_a_handler(emulation.provider)


def test_routes_name_handlers_of_the_responses_modules_only() -> None:
    """Where `routes.py` exists, every handler it lists lives in the emulation's `responses`."""
    routed = [p for p in EMULATIONS if _has(p, "routes")]
    assert routed, "no emulation has a routes module: the shape's optional module is unexercised"
    for package in routed:
        for key, handler in _built(package).handlers.items():
            owner: Any = getattr(handler, "__self__", None)
            module = type(owner).__module__ if owner is not None else handler.__module__
            assert _in(module, package, "responses"), f"{package}: {key} is answered from {module}"


# --- the walk-through -------------------------------------------------------------------------------------

WALKTHROUGH = ROOT / "docs" / "adding-a-provider.md"


def _walkthrough_shape_trees() -> list[dict[str, set[str]]]:
    """The module names each shape tree of the walk-through lists, under each of its roots, in order."""
    text = WALKTHROUGH.read_text()
    trees = re.findall(r"```text\n(harness/providers/<name>/.*?)```", text, re.S)
    assert trees, f"{WALKTHROUGH.name} has no shape tree beginning harness/providers/<name>/"
    found: list[dict[str, set[str]]] = []
    for tree in trees:
        roots: dict[str, set[str]] = {}
        root = ""
        for line in tree.splitlines():
            if line.startswith("harness/"):
                root = line.split()[0]
                roots[root] = set()
            elif match := re.match(r"\s{4}(\w+)(?:\.py|/)\s", line):
                roots[root].add(match.group(1))
        found.append(roots)
    return found


def test_the_walkthrough_shows_these_shapes() -> None:
    # The family provider first (the recipe it teaches), then a package with an emulation of its own.
    assert _walkthrough_shape_trees() == [
        {"harness/providers/<name>/": FAMILY_SHAPE.allowed},
        {
            "harness/providers/<name>/": PROVIDER_SHAPE.allowed,
            "harness/providers/<name>/emulation/": EMULATION_SHAPE.allowed,
        },
    ]


def test_the_worked_example_is_a_family_provider_with_no_emulation() -> None:
    example = Package(EXAMPLE / "acme_tts", "acme_tts")
    assert example in FAMILY_PROVIDERS and example not in PROVIDERS
    assert not [p for p in EXAMPLE.iterdir() if p.is_dir() and (p / "__init__.py").is_file() and p != example.path]
