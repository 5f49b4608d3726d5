"""Every documented numeric, enum and length parameter, fuzzed: in-range values build valid requests;
values beyond a hard limit are refused by the harness itself, naming the parameter and its range, before
any request is sent (the mock records zero calls); values beyond a limit the documents only recommend
(a `SoftLimit`) are sent (one call) and flagged with the document's words."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import httpx
import hypothesis.strategies as st
import pytest
import respx
from hypothesis import HealthCheck, given, settings

from harness.contracts.plans import PlanContext, success_payload
from harness.contracts.targets import reference_upload
from harness.core.errors import RequestValidationError
from harness.core.params import ParamKind, ParamSpec, SoftLimit, params_of
from harness.core.registry import providers
from harness.core.spec import Endpoint, Provider
from harness.core.transport import build_request
from harness.core.validate import soft_limit_warnings

CONTEXT = PlanContext("https://voices.example.invalid/reference.wav", reference_upload())
FUZZ = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def fuzz_client() -> Iterator[httpx.Client]:
    """One client for the module's examples: a client loads the system's CA certificates when it is made
    (~20 ms), which was most of this suite's time when every example made its own. respx mocks the transport
    every client sends through, so each example's mock still sees every request."""
    with httpx.Client() as shared:
        yield shared


def _cases() -> list[tuple[Provider, Endpoint, ParamSpec]]:
    cases = []
    for provider in providers().values():
        for endpoint in provider.endpoints:
            if endpoint.request is None or endpoint.role.value == "callback":
                continue
            for spec in params_of(endpoint.request):
                if spec.bounded or spec.kind is ParamKind.ENUM or spec.soft is not None:
                    cases.append((provider, endpoint, spec))
    return cases


CASES = _cases()
IDS = [f"{p.name}/{e.key}/{s.name}" for p, e, s in CASES]


def _finite(low: float | None, high: float | None) -> st.SearchStrategy[float]:
    return st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False)


def _within_soft(spec: ParamSpec) -> ParamSpec:
    """In-range values stay inside a recommended range too (beyond it is tested on its own)."""
    soft = spec.soft
    if soft is None:
        return spec
    from dataclasses import replace

    return replace(
        spec,
        ge=soft.low if soft.low is not None else spec.ge,
        le=soft.high if soft.high is not None else spec.le,
        max_length=soft.max_length if soft.max_length is not None else spec.max_length,
    )


def in_range(spec: ParamSpec, base: Any) -> st.SearchStrategy[Any]:
    spec = _within_soft(spec)
    if spec.kind is ParamKind.ENUM:
        return st.sampled_from(spec.choices)
    if spec.kind is ParamKind.INTEGER:
        low = spec.ge if spec.ge is not None else (spec.gt + 1 if spec.gt is not None else -(10**6))
        high = spec.le if spec.le is not None else (spec.lt - 1 if spec.lt is not None else 10**6)
        return st.integers(int(low), int(high))
    if spec.kind is ParamKind.NUMBER:
        bottom = spec.ge if spec.ge is not None else spec.gt
        top = spec.le if spec.le is not None else spec.lt
        values = _finite(bottom, top)
        if spec.gt is not None or spec.lt is not None:
            values = values.filter(lambda v: v != spec.gt and v != spec.lt)
        return values
    if spec.kind is ParamKind.STRING:
        low_len = spec.min_length or 0
        high_len = min(spec.max_length, 2000) if spec.max_length is not None else low_len + 40
        words = st.text(alphabet="abcdefghij klmnop.", min_size=max(low_len, 1), max_size=high_len).filter(str.strip)
        if isinstance(base, str) and base:
            # Keep the documented base's structure ("Speaker 0: ...") and vary its length within range.
            return words.map(lambda extra: (base + " " + extra)[:high_len])
        return words
    if spec.kind is ParamKind.ARRAY and isinstance(base, list) and base:
        low_len = max(spec.min_length or 0, len(base))
        high_len = spec.max_length if spec.max_length is not None else low_len
        return st.integers(low_len, max(low_len, high_len)).map(lambda n: [base[0]] * n if n else [])
    return st.just(base)


def _names_a_choice(text: str, choices: tuple[Any, ...]) -> bool:
    """Whether `text` is a choice, or reads as one where a form field's text is taken as its number
    ("2", " 2", "+2", "02" are the choice 2 on the wire)."""
    if text in choices:
        return True
    for number in (int, float):
        try:
            if number(text) in choices:
                return True
        except (ValueError, OverflowError):
            pass
    return False


def out_of_range(spec: ParamSpec, base: Any) -> st.SearchStrategy[Any] | None:
    if spec.kind is ParamKind.ENUM:
        return st.text(min_size=1, max_size=12).filter(lambda s: not _names_a_choice(s, spec.choices))
    if spec.kind in (ParamKind.INTEGER, ParamKind.NUMBER):
        sides: list[st.SearchStrategy[Any]] = []
        ints = spec.kind is ParamKind.INTEGER
        low = spec.ge if spec.ge is not None else spec.gt
        high = spec.le if spec.le is not None else spec.lt
        if low is not None:
            below = (
                st.integers(int(low) - 10**6, math.ceil(low) - 1)
                if ints
                else _finite(low - 10**6, low).filter(lambda v: v < low or (spec.gt is not None and v == spec.gt))
            )
            sides.append(below)
        if high is not None:
            above = (
                st.integers(math.floor(high) + 1, int(high) + 10**6)
                if ints
                else _finite(high, high + 10**6).filter(lambda v: v > high or (spec.lt is not None and v == spec.lt))
            )
            sides.append(above)
        return st.one_of(*sides) if sides else None
    if spec.kind is ParamKind.STRING:
        sides = []
        if spec.max_length is not None:
            # The limit's worth of characters, then a small drawn tail: Hypothesis draws only the tail, so a
            # large limit (a declared server's 8,000) stays a small example (no health-check failure).
            limit = spec.max_length
            sides.append(st.text(alphabet="abc ", min_size=1, max_size=30).map(lambda tail: "x" * limit + tail))
        if spec.min_length:
            sides.append(st.text(alphabet="abc", max_size=spec.min_length - 1))
        return st.one_of(*sides) if sides else None
    if spec.kind is ParamKind.ARRAY and isinstance(base, list) and base:
        sides = []
        if spec.max_length is not None:
            sides.append(st.integers(spec.max_length + 1, spec.max_length + 3).map(lambda n: [base[0]] * n))
        if spec.min_length:
            sides.append(st.just(base[: spec.min_length - 1]))
        return st.one_of(*sides) if sides else None
    return None


def beyond_soft(spec: ParamSpec, soft: SoftLimit, base: Any) -> st.SearchStrategy[Any]:
    """Values past the recommendation and still inside every hard limit."""
    if soft.max_length is not None and spec.kind is ParamKind.ARRAY and isinstance(base, list) and base:
        ceiling = spec.max_length if spec.max_length is not None else soft.max_length + 3
        return st.integers(soft.max_length + 1, ceiling).map(lambda n: [base[0]] * n)
    if soft.max_length is not None:
        ceiling = spec.max_length if spec.max_length is not None else soft.max_length + 200
        return st.text(alphabet="abc ", min_size=soft.max_length + 1, max_size=ceiling).filter(str.strip)
    sides: list[st.SearchStrategy[Any]] = []
    high, low = soft.high, soft.low
    if high is not None:
        sides.append(_finite(high, spec.le if spec.le is not None else high + 100).filter(lambda v: v > high))
    if low is not None:
        sides.append(_finite(spec.ge if spec.ge is not None else low - 100, low).filter(lambda v: v < low))
    return st.one_of(*sides)


SOFT_CASES = [(p, e, s) for p, e, s in CASES if s.soft is not None]


@pytest.mark.parametrize(
    ("provider", "endpoint", "spec"), SOFT_CASES, ids=[f"{p.name}/{e.key}/{s.name}" for p, e, s in SOFT_CASES]
)
def test_beyond_a_soft_limit_is_sent_and_flagged(
    provider: Provider, endpoint: Endpoint, spec: ParamSpec, fuzz_client: httpx.Client
) -> None:
    base = _payload(endpoint, provider)
    assert spec.soft is not None
    soft = spec.soft

    @FUZZ
    @given(value=beyond_soft(spec, soft, base.get(spec.name)))
    def check(value: Any) -> None:
        payload = {**base, spec.name: value}
        with respx.mock(assert_all_called=False) as router:
            route = router.route().respond(200)
            fuzz_client.send(
                build_request(
                    provider,
                    endpoint,
                    "https://api.example.invalid",
                    payload,
                    path_params={k: "x" for k in _path_keys(endpoint)},
                )
            )
            assert route.call_count == 1
        warnings = soft_limit_warnings(endpoint, payload)
        assert [(w.pointer, w.kind) for w in warnings] == [(f"/{spec.name}", "soft-limit")]
        assert soft.words in warnings[0].note and soft.doc in warnings[0].note

    check()


def test_the_documents_soft_limits_are_declared_soft() -> None:
    """The three recommendations the documents make are warnings, not refusals."""
    soft = {(e.key, s.name) for _, e, s in SOFT_CASES}
    assert {
        ("xtts-v2.generate", "text"),
        ("vibevoice.generate", "cfg_scale"),
        ("vibevoice.generate", "speakers"),
    } <= soft


@pytest.mark.parametrize(("provider", "endpoint", "spec"), CASES, ids=IDS)
def test_every_limit_cites_the_documents_words(provider: Provider, endpoint: Endpoint, spec: ParamSpec) -> None:
    if spec.soft is not None:
        assert spec.soft.words and spec.soft.doc in provider.docs
    hard = (spec.ge, spec.gt, spec.le, spec.lt, spec.max_length)
    if any(bound is not None for bound in hard):
        assert spec.words, f"{spec.name}: a hard limit ({spec.describe()}) without the document's words"


def _payload(endpoint: Endpoint, provider: Provider) -> dict[str, Any]:
    return dict(success_payload(provider, endpoint)(CONTEXT) or {})


@pytest.mark.parametrize(("provider", "endpoint", "spec"), CASES, ids=IDS)
def test_in_range_values_build_valid_requests(provider: Provider, endpoint: Endpoint, spec: ParamSpec) -> None:
    base = _payload(endpoint, provider)

    @FUZZ
    @given(value=in_range(spec, base.get(spec.name)))
    def check(value: Any) -> None:
        request = build_request(
            provider,
            endpoint,
            "https://api.example.invalid",
            {**base, spec.name: value},
            path_params={k: "x" for k in _path_keys(endpoint)},
        )
        assert request.method == endpoint.method

    check()


HARD_CASES = [(p, e, s) for p, e, s in CASES if s.bounded or s.kind is ParamKind.ENUM]


@pytest.mark.parametrize(
    ("provider", "endpoint", "spec"), HARD_CASES, ids=[f"{p.name}/{e.key}/{s.name}" for p, e, s in HARD_CASES]
)
def test_out_of_range_values_are_refused_before_sending(
    provider: Provider, endpoint: Endpoint, spec: ParamSpec, fuzz_client: httpx.Client
) -> None:
    base = _payload(endpoint, provider)
    strategy = out_of_range(spec, base.get(spec.name))
    if strategy is None:
        pytest.skip(f"{spec.name} has no out-of-range side ({spec.describe()})")

    @FUZZ
    @given(value=strategy)
    def check(value: Any) -> None:
        with respx.mock(assert_all_called=False) as router:
            route = router.route().respond(200)
            with pytest.raises(RequestValidationError) as refused:
                fuzz_client.send(
                    build_request(
                        provider,
                        endpoint,
                        "https://api.example.invalid",
                        {**base, spec.name: value},
                        path_params={k: "x" for k in _path_keys(endpoint)},
                    )
                )
            assert route.call_count == 0
        message = str(refused.value)
        assert spec.name in message
        if spec.words and spec.kind is not ParamKind.ENUM:
            assert spec.words in message  # the refusal cites the document

    check()


def _path_keys(endpoint: Endpoint) -> list[str]:
    from harness.core.transport import path_fields

    return list(path_fields(endpoint.path))


def test_there_is_something_to_fuzz() -> None:
    assert len(CASES) >= 10
