"""Sign-in throttling: failed passwords slow down the one who types them, and never lock the account.

A hard lock after five failures let anyone lock the head out by typing her name
with wrong passwords.  Here every failure is counted twice: per client and
account (the delay doubles after ``free`` failures, up to ``max_delay_s``), and
per account over all clients (a short delay, at most ``account_max_delay_s``,
once ``account_free`` failures came from anywhere).  The owner of the account,
from her own computer, waits at most those few seconds.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field


@dataclass
class Throttle:
    """free: failures per client and account before delays start; max_delay_s: the longest such delay;
    account_free / account_max_delay_s: the same over all clients of one account; window_s: how long
    a failure counts."""

    free: int = 3
    max_delay_s: float = 300.0
    account_free: int = 20
    account_max_delay_s: float = 10.0
    window_s: float = 900.0
    _fails: dict[tuple[str, str], list[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _recent(self, key: tuple[str, str], now: float) -> list[float]:
        times = [t for t in self._fails.get(key, []) if now - t < self.window_s]
        if times:
            self._fails[key] = times
        else:
            self._fails.pop(key, None)
        return times

    def wait_s(self, client: str, account: str, now: float | None = None) -> float:
        """Seconds this client must wait before its next attempt on this account (0: go ahead)."""
        now = time.time() if now is None else now
        with self._lock:
            mine = self._recent((client, account), now)
            everyone = [t for (c, a) in list(self._fails) if a == account for t in self._recent((c, a), now)]
        wait = 0.0
        if len(mine) >= self.free:
            wait = max(wait, mine[-1] + min(2.0 ** (len(mine) - self.free), self.max_delay_s) - now)
        if len(everyone) >= self.account_free:
            wait = max(wait, max(everyone) + self.account_max_delay_s - now)
        return max(wait, 0.0)

    def failed(self, client: str, account: str, now: float | None = None) -> None:
        with self._lock:
            self._fails.setdefault((client, account), []).append(time.time() if now is None else now)

    def succeeded(self, client: str, account: str) -> None:
        with self._lock:
            self._fails.pop((client, account), None)
