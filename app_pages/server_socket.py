"""Adapter: turn Nagle's algorithm off on the Streamlit server's TCP sockets (``TCP_NODELAY``).

Why: Streamlit 1.67 binds its listening socket itself (``socket.socket(family=...)``, so its
``proto`` is 0) and hands it to uvicorn; asyncio sets ``TCP_NODELAY`` only on sockets whose
``proto`` is ``IPPROTO_TCP``, so none of the server's connections gets it. uvicorn writes a
response's headers and its body in two sends; on a kept-alive connection the body then waits for
the browser's delayed ACK: every static file or small response after a connection's first one
takes ~40 ms instead of ~1 ms (measured: ``bench/README.md``, "TCP_NODELAY"). The map's module,
Leaflet and the topology are such requests, one after the other, on the first paint.

What: :func:`enable_tcp_nodelay` sets ``TCP_NODELAY`` on every TCP socket the process holds --
the listening one (on Linux, accepted connections inherit it) and the connections already open.
Only the public ``socket``/``os`` APIs are used (the process's descriptors are listed from
``/proc/self/fd``, else ``/dev/fd``; elsewhere this does nothing). It is what asyncio does for
every TCP transport it creates itself. ``tests/test_server_socket.py`` fails when Streamlit
starts setting the option itself (then this module can go) or when the listing finds nothing.
"""

from __future__ import annotations

import os
import socket
import stat

FD_DIRS = ("/proc/self/fd", "/dev/fd")
"""Where the process's open descriptors are listed (Linux, then BSD/macOS)."""


def _descriptors() -> list[int]:
    for path in FD_DIRS:
        try:
            return sorted(int(name) for name in os.listdir(path) if name.isdigit())
        except OSError:
            continue
    return []


def enable_tcp_nodelay() -> int:
    """Set ``TCP_NODELAY`` on every IPv4/IPv6 stream socket of this process that lacks it.

    Returns
    -------
    int
        How many sockets were changed (0 when all had it, or the descriptors cannot be listed).
        Never raises: a descriptor closed meanwhile, or a socket refusing the option, is skipped.
    """
    changed = 0
    for fd in _descriptors():
        try:
            if not stat.S_ISSOCK(os.fstat(fd).st_mode):
                continue
            sock = socket.socket(fileno=os.dup(fd))  # a duplicate: closing it leaves fd open
        except OSError:
            continue
        try:
            tcp = sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM
            if tcp and not sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                changed += 1
        except OSError:
            pass
        finally:
            sock.close()
    return changed
