"""API keys, plans and wallets: who may call, how fast, and what they have left to spend.

Every provider gets documented test keys (below) so the sandbox works with no configuration; more can be
added at start-up or at run time. A submit is charged its documented price when accepted (402 when the
wallet cannot cover it); a job that ends in a state the documents call uncharged (an ERROR state, say) is
refunded at the moment it ends on the sandbox clock.

Test keys for provider P (e.g. "pixazo"):
    sandbox-P-key     the default tier, a large balance (DEFAULT_BALANCE unless the emulation says)
    sandbox-P-TIER    one per documented tier (e.g. sandbox-pixelapi-free), that tier's balance and limits
    sandbox-P-empty   the default tier with a zero balance: every priced submit answers 402

Where a provider allows key-less calls, each caller address gets a wallet of its own on the
emulation's `anonymous_tier` (opened on first use with that tier's balance).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from decimal import Decimal

from harness.core.spec import Cost
from harness.core.target import sandbox_empty_key, sandbox_key, sandbox_tier_key

# The key rules are the core's (harness.core.target): the runner and the contract suite build the same keys.
default_key = sandbox_key
empty_key = sandbox_empty_key
tier_key = sandbox_tier_key


def anonymous_wallet(client: str) -> str:
    """The wallet of a key-less caller (where the documents allow one): one per client address."""
    return f"anonymous:{client}"


@dataclass(slots=True)
class Account:
    provider: str
    tier: str
    balance: Decimal | None  # USD; None: unlimited
    spent: Decimal = Decimal(0)
    refunds: list[tuple[float, Decimal]] = field(default_factory=list)  # (clock reading, amount)

    def available(self, now: float) -> Decimal | None:
        # Fold refunds that have fallen due, so the list stays short on long runs.
        due = [amount for at, amount in self.refunds if at <= now]
        if due:
            self.spent -= sum(due, Decimal(0))
            self.refunds = [(at, amount) for at, amount in self.refunds if at > now]
        return None if self.balance is None else self.balance - self.spent


class Accounts:
    """All keys of all providers. Thread-safe: the in-process API adds keys from the test's thread."""

    def __init__(self) -> None:
        self._accounts: dict[tuple[str, str], Account] = {}
        self._lock = threading.Lock()

    def add(self, provider: str, key: str, *, tier: str, balance: Decimal | None) -> None:
        with self._lock:
            self._accounts[(provider, key)] = Account(provider, tier, balance)

    def ensure(self, provider: str, key: str, *, tier: str, balance: Decimal | None) -> None:
        """Add the account unless it exists (anonymous wallets are opened on first use)."""
        with self._lock:
            self._accounts.setdefault((provider, key), Account(provider, tier, balance))

    def known(self, provider: str, key: str) -> bool:
        with self._lock:
            return (provider, key) in self._accounts

    def tier(self, provider: str, key: str) -> str | None:
        with self._lock:
            account = self._accounts.get((provider, key))
            return account.tier if account else None

    def keys(self, provider: str) -> list[str]:
        with self._lock:
            return [key for (name, key) in self._accounts if name == provider]

    def available(self, provider: str, key: str, now: float) -> Decimal | None:
        with self._lock:
            return self._accounts[(provider, key)].available(now)

    def set_balance(self, provider: str, key: str, balance: Decimal | None) -> None:
        if balance is not None and not (balance.is_finite() and balance >= 0):
            raise ValueError(f"a balance must be a finite number of USD, 0 or more; got {balance}")
        with self._lock:
            account = self._accounts[(provider, key)]
            account.balance = balance
            account.spent = Decimal(0)
            account.refunds.clear()

    def charge(self, provider: str, key: str, cost: Cost | None, now: float) -> bool:
        """Take `cost` from the wallet; False (and nothing taken) if it cannot cover it."""
        if cost is None or cost.amount == 0:
            return True
        with self._lock:
            account = self._accounts[(provider, key)]
            left = account.available(now)
            if left is not None and left < cost.amount:
                return False
            account.spent += cost.amount
            return True

    def export(self) -> list[tuple[str, str, Account]]:
        """A copy of every wallet as (provider, key, account): what a snapshot persists."""
        with self._lock:
            return [
                (
                    provider,
                    key,
                    Account(account.provider, account.tier, account.balance, account.spent, list(account.refunds)),
                )
                for (provider, key), account in self._accounts.items()
            ]

    def restore(self, provider: str, key: str, account: Account) -> None:
        """Put a persisted wallet back (a resumed run's sandbox continues where the last one stopped)."""
        with self._lock:
            self._accounts[(provider, key)] = account

    def refund(self, provider: str, key: str, cost: Cost | None, at: float) -> None:
        """Give `cost` back once the clock reaches `at` (the moment an uncharged job ends)."""
        if cost is None or cost.amount == 0:
            return
        with self._lock:
            self._accounts[(provider, key)].refunds.append((at, cost.amount))
