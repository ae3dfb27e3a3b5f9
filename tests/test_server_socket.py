"""app_pages/server_socket.py: TCP_NODELAY on the server's sockets (Nagle's 40 ms stalls)."""

from __future__ import annotations

import socket
import sys

import pytest

from app_pages.server_socket import enable_tcp_nodelay

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the descriptors are listed from /proc")


def _nodelay(sock: socket.socket) -> int:
    return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


def test_sets_nodelay_on_the_listening_socket_its_connections_and_later_ones():
    # a listening socket made the way Streamlit 1.67 makes it (proto 0: asyncio leaves Nagle on)
    listener = socket.socket(family=socket.AF_INET)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    client = socket.create_connection(listener.getsockname())
    client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 0)
    accepted, _ = listener.accept()
    unix_a, unix_b = socket.socketpair()  # not TCP: left alone, no error
    try:
        assert (_nodelay(listener), _nodelay(accepted), _nodelay(client)) == (0, 0, 0)
        changed = enable_tcp_nodelay()
        assert changed >= 3
        assert (_nodelay(listener), _nodelay(accepted), _nodelay(client)) == (1, 1, 1)
        later = socket.create_connection(listener.getsockname())
        accepted_later, _ = listener.accept()
        try:
            assert _nodelay(accepted_later) == 1  # inherited from the listening socket
        finally:
            later.close()
            accepted_later.close()
        assert enable_tcp_nodelay() == 0  # nothing left to change
        assert listener.fileno() >= 0 and accepted.fileno() >= 0  # the originals stay open
        accepted.sendall(b"x")
        assert client.recv(1) == b"x"
    finally:
        for s in (client, accepted, listener, unix_a, unix_b):
            s.close()


def test_streamlit_still_binds_its_socket_without_nodelay():
    """The adapter's reason. When this fails, Streamlit sets TCP_NODELAY itself (or binds its
    socket another way): check with ``python bench/run_bench.py`` (figure 6b) and remove
    ``app_pages/server_socket.py`` if the stalls are gone."""
    from streamlit.web.server.starlette import starlette_server

    sock = starlette_server._bind_socket("127.0.0.1", 0, 8)
    try:
        assert sock.proto != socket.IPPROTO_TCP  # so asyncio's transports skip TCP_NODELAY
        assert _nodelay(sock) == 0
    finally:
        sock.close()
