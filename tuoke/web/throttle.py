"""Login throttling, per user name and per client address: exponential delay, then a lockout.

After `free_failures` wrong passwords (within `window_seconds`), each further failure blocks the
key for `base_delay` × 2^(k-1) seconds (k = failures past the free ones, at most `max_delay`);
`lockout_failures` failures lock it for `lockout_seconds`. A blocked attempt is refused before the
password is checked (no hash work for a guesser) and a correct password does not get through
until the block ends. A sign-in clears the user's failures, never the address's (a guesser
with an account of its own must not reset its address by signing in). The state lives in this
process (`tuoke serve` is one process); a restart forgets it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

MAX_KEYS = 20_000  # keys kept before expired ones are dropped (a spray from many addresses)


@dataclass(frozen=True)
class ThrottleSettings:
    free_failures: int = 3
    base_delay: float = 1.0
    max_delay: float = 60.0
    lockout_failures: int = 10
    lockout_seconds: float = 900.0
    window_seconds: float = 900.0


@dataclass
class _Key:
    failures: list[float] = field(default_factory=list)
    blocked_until: float = 0.0


@dataclass(frozen=True)
class Verdict:
    delay: float  # seconds the key is now blocked (0: none)
    locked: bool  # the lockout, not just a delay


class LoginThrottle:
    def __init__(self, settings: ThrottleSettings | None = None, clock: Callable[[], float] = time.monotonic):
        self.settings = settings or ThrottleSettings()
        self._clock = clock
        self._keys: dict[tuple[str, str], _Key] = {}
        self._lock = threading.Lock()

    @staticmethod
    def keys(username: str, address: str | None) -> list[tuple[str, str]]:
        keys = [("user", username.strip().casefold()[:64])]
        if address:
            keys.append(("address", address))
        return keys

    def retry_after(self, keys: Iterable[tuple[str, str]]) -> float:
        """Seconds until any of `keys` may try again (0: now)."""
        now = self._clock()
        with self._lock:
            blocks = [self._keys[key].blocked_until - now for key in keys if key in self._keys]
        return max([0.0, *blocks])

    def failed(self, keys: Iterable[tuple[str, str]]) -> Verdict:
        """Record a wrong password for every key; the longest block it now imposes."""
        s, now = self.settings, self._clock()
        verdicts = []
        with self._lock:
            self._prune(now)
            for key in keys:
                state = self._keys.setdefault(key, _Key())
                state.failures = [t for t in state.failures if now - t < s.window_seconds] + [now]
                n = len(state.failures)
                if n >= s.lockout_failures:
                    delay, locked = s.lockout_seconds, True
                elif n > s.free_failures:
                    delay, locked = min(s.max_delay, s.base_delay * 2 ** (n - s.free_failures - 1)), False
                else:
                    delay, locked = 0.0, False
                state.blocked_until = max(state.blocked_until, now + delay)
                verdicts.append(Verdict(delay, locked))
        return max(verdicts, key=lambda v: (v.delay, v.locked), default=Verdict(0.0, False))

    def succeeded(self, username: str) -> None:
        with self._lock:
            self._keys.pop(self.keys(username, None)[0], None)

    def _prune(self, now: float) -> None:
        if len(self._keys) < MAX_KEYS:
            return
        window = self.settings.window_seconds
        for key in [k for k, v in self._keys.items()
                    if v.blocked_until <= now and all(now - t >= window for t in v.failures)]:
            del self._keys[key]
