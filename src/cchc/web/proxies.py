"""Who the client really is behind a reverse proxy.

A request's REMOTE_ADDR is the peer that opened the TCP connection: behind nginx, always nginx. X-Forwarded-For says
who nginx was talking to, but any client can send that header, so it is believed only when the peer is one of the
configured trusted proxies (CCHC_TRUSTED_PROXIES), and then only as far back as the hops are trusted: each proxy
appends the address it saw, so reading the list from the right, the first address that is not a trusted proxy is the
real client; anything left of it was written by the client and is ignored. See docs/adr/0001-login-rate-limits.md.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from functools import lru_cache

from django.core.exceptions import ImproperlyConfigured

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
# Headers a client could use to lie about where it is or how it connected, removed unless a trusted proxy sent them.
FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_FORWARDED")


@lru_cache(maxsize=8)
def parse_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """'127.0.0.1', '10.0.0.0/8', '::1' ... as networks; a wrong entry is a configuration error, said at start-up."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"CCHC_TRUSTED_PROXIES: {entry!r} is not an IP address or network (e.g. 127.0.0.1, 10.0.0.0/8)"
            ) from None
    return tuple(networks)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.7:51234"
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket (::ffff:203.0.113.7) is the IPv4 client.
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def _trusted(address, networks: Iterable[Network]) -> bool:
    return address is not None and any(address in network for network in networks)


def real_client(meta: Mapping[str, str], trusted: Iterable[str]) -> tuple[str, bool]:
    """(the client's address, whether it came through a trusted proxy) for a WSGI environ."""
    peer_text = meta.get("REMOTE_ADDR") or ""
    networks = parse_networks(tuple(trusted))
    peer = _address(peer_text)
    if not networks or not _trusted(peer, networks):
        return (str(peer) if peer is not None else peer_text or "unknown"), False
    hops = [hop for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    client = peer
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            # Garbage can only have been written by the client itself: the last good hop is as far as we can trust.
            break
        client = address
        if not _trusted(address, networks):
            break
    return str(client), True
