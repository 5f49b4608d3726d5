"""The asynchronous jobs family's pieces in the core (`harness.core.protocols.jobs`): body templates, the
`JobBinding` and lifecycle `build_provider` puts on the job endpoints from the declaration's parts, and an error
inside a 2xx submit where the declaration places one — each with a case that fails if the rule breaks."""

from __future__ import annotations

from dataclasses import replace

import pytest

from harness.core.answer_errors import BodyErrors
from harness.core.protocols.jobs import PROTOCOL, Only, build_provider, render, service_of
from harness.core.spec import JsonBody, Provider, Role
from harness.providers.pixazo import PROVIDER as PIXAZO
from harness.providers.pixelapi import PROVIDER as PIXELAPI

VALUES = {"id": "j-1", "state": "COMPLETED", "error": None, "media_url": "https://cdn.test/j-1.wav", "credits": 50.0}


def test_a_slot_alone_keeps_its_value_and_inside_text_becomes_text() -> None:
    body = render(
        {
            "id": "{id}",
            "credits": "{credits}",
            "error": "{error}",
            "line": "job {id} is {state}",
            "urls": ["{media_url}"],
            "fixed": 202,
        },
        VALUES,
    )
    assert body == {
        "id": "j-1",
        "credits": 50.0,
        "error": None,
        "line": "job j-1 is COMPLETED",
        "urls": ["https://cdn.test/j-1.wav"],
        "fixed": 202,
    }


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (VALUES, {"output": {"url": "https://cdn.test/j-1.wav"}, "error": None}),
        ({**VALUES, "media_url": None, "error": "boom"}, {"output": None, "error": "boom"}),
    ],
)
def test_an_only_part_is_there_when_its_slot_has_a_value(
    values: dict[str, object], expected: dict[str, object]
) -> None:
    template = {"output": Only("media_url", {"url": "{media_url}"}), "error": Only("error", "{error}")}
    assert render(template, values) == expected


def test_an_omitted_only_part_leaves_its_key_out() -> None:
    assert render({"id": "{id}", "error": Only("error", "{error}", omit=True)}, VALUES) == {"id": "j-1"}
    assert render({"error": Only("error", "{error}", omit=True)}, {**VALUES, "error": "boom"}) == {"error": "boom"}


@pytest.mark.parametrize("provider", [PIXAZO, PIXELAPI], ids=lambda p: p.name)
def test_the_job_endpoints_are_bound_and_carry_the_lifecycle_from_the_declaration(provider: Provider) -> None:
    service = service_of(provider)
    states = set(service.lifecycle.states)
    assert provider.protocol == PROTOCOL and provider.family is service
    submits = provider.by_role(Role.SUBMIT)
    assert [e.key for e in submits] == [m.endpoint.key for m in service.submit.models]
    for endpoint in submits:
        binding = endpoint.job
        assert binding is not None and binding == service.binding and endpoint.lifecycle is service.lifecycle
        assert binding.status_endpoint == service.status.endpoint.key
        assert binding.status_param == service.status.id_param
        assert binding.id_pointer == service.submit.id_pointer
        assert binding.media_pointer == service.media.url_pointer
    (status,) = provider.by_role(Role.STATUS)
    assert status.lifecycle is service.lifecycle and f"{{{service.status.id_param}}}" in status.path
    # Every state word the imitation reports is a state of the declared lifecycle.
    words = service.words
    assert {words.queued, words.processing, words.completed, words.failed, words.error} <= states


def test_an_error_inside_a_2xx_submit_is_put_on_the_success_body_where_declared() -> None:
    service = service_of(PIXAZO)
    assert all(
        b.errors is None
        for e in PIXAZO.by_role(Role.SUBMIT)
        for r in e.responses
        for b in r.bodies
        if isinstance(b, JsonBody)
    )  # Pixazo's documents show none
    rules = BodyErrors(code_at="/code", success=(0,))
    declared = build_provider(replace(service, submit=replace(service.submit, errors=rules)))
    for endpoint in declared.by_role(Role.SUBMIT):
        success = endpoint.response_for(endpoint.success_status)
        assert success is not None
        assert [b.errors for b in success.bodies if isinstance(b, JsonBody)] == [rules]
        assert all(
            b.errors is None for r in endpoint.responses if r.status >= 300 for b in r.bodies if isinstance(b, JsonBody)
        )
