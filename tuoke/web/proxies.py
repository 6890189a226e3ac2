"""Which peer may speak for a user: the bank's SSO reverse proxy, and only it.

`tuoke serve --trusted-header X-Remote-User` takes the user name from that header only when the
TCP peer is one of the configured proxy addresses (`--trusted-proxy`, addresses or networks);
from anyone else the header is ignored. The client address of a request (audit log, login
throttling) is the peer, or — when the peer is a trusted proxy — the last address of
X-Forwarded-For that is not itself a trusted proxy.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

from kernel.errors import UserError

LOOPBACK = ("127.0.0.0/8", "::1/128")
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            raise UserError(f"--trusted-proxy {value!r} is not an IP address or network (e.g. 10.1.2.3 or "
                            "10.1.0.0/16)") from None
    return tuple(networks)


def _address(text: str | None):
    try:
        return ipaddress.ip_address((text or "").strip())
    except ValueError:
        return None


@dataclass(frozen=True)
class TrustedProxies:
    networks: tuple[Network, ...] = ()

    @classmethod
    def of(cls, values: Iterable[str]) -> TrustedProxies:
        return cls(parse_networks(values))

    def trusts(self, peer: str | None) -> bool:
        address = _address(peer)
        return address is not None and any(address.version == n.version and address in n for n in self.networks)

    def client_address(self, peer: str | None, forwarded_for: str | None) -> str | None:
        if not forwarded_for or not self.trusts(peer):
            return peer
        for hop in reversed([h.strip() for h in forwarded_for.split(",")]):
            if _address(hop) is None:
                return peer  # a malformed chain: the proxy's own address is what we know
            if not self.trusts(hop):
                return hop
        return peer
