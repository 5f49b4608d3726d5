"""Webhooks: the hub matches callbacks to jobs (early and duplicate ones too); the receiver serves HTTPS
with a throwaway CA; a webhook run against the sandbox finishes its jobs by callback."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx

from harness.providers.pixazo import PROVIDER as PIXAZO
from harness.results.store import Store
from harness.runner.deliver.webhook import WebhookHub, serve
from harness.runner.plan.config import BenchConfig, PollingMode
from harness.runner.session import run_bench_session

DONE = {"request_id": "j1", "status": "COMPLETED", "output": {"media_url": ["x"], "media_type": "audio/wav"}}


async def test_hub_takes_early_callbacks_and_counts_duplicates() -> None:
    hub = WebhookHub(providers={"pixazo": PIXAZO})
    assert hub.deliver("pixazo", DONE)  # before anyone waits: kept
    assert not hub.deliver("pixazo", {"nothing": 1}) and hub.unmatched == 1
    future = hub.expect("pixazo", "j1")
    assert future.done() and future.result().body == DONE
    assert hub.deliver("pixazo", DONE) and hub.duplicates == 1


async def test_progress_callbacks_do_not_end_the_wait() -> None:
    hub = WebhookHub(providers={"pixazo": PIXAZO})
    future = hub.expect("pixazo", "j1")
    hub.deliver("pixazo", {"request_id": "j1", "status": "PROCESSING"})
    assert not future.done()
    hub.deliver("pixazo", DONE)
    assert (await asyncio.wait_for(future, 1)).body["status"] == "COMPLETED"


async def test_receiver_serves_https_with_its_own_ca() -> None:
    hub = WebhookHub(providers={"pixazo": PIXAZO})
    async with serve(hub, tls=True) as receiver:
        assert receiver.url.startswith("https://127.0.0.1:") and receiver.ca_pem is not None
        async with httpx.AsyncClient(verify=str(receiver.ca_pem)) as client:
            answer = await client.post(receiver.callback_url("pixazo"), json=DONE)
        assert answer.json() == {"received": True, "matched": True}
        async with httpx.AsyncClient() as untrusting:
            try:
                await untrusting.post(receiver.callback_url("pixazo"), json=DONE)
            except httpx.ConnectError as error:
                assert "CERTIFICATE_VERIFY_FAILED" in str(error)
            else:
                raise AssertionError("a client that does not trust the CA must be refused")


def test_a_webhook_run_finishes_by_callback(tmp_path: Path, sandbox: Any) -> None:
    config = BenchConfig(
        out=tmp_path,
        score=False,
        report=False,
        providers=("pixazo",),
        models=("chatterbox",),
        corpus=("en_read:2",),
        target=sandbox.url,
        yes=True,
        polling=PollingMode.WEBHOOK,
    )
    result = run_bench_session(config, providers={"pixazo": PIXAZO})
    jobs = Store(result.db_path).jobs(result.run_id)
    assert [j.outcome for j in jobs] == ["ok", "ok"]
    assert {j.delivery for j in jobs} == {"webhook"}
    assert all(str(j.e2e_source).startswith("webhook") for j in jobs)
    delivered = [d for j in jobs for d in sandbox.webhooks(str(j.provider_job_id)) if d.ok]
    assert len(delivered) >= 2
