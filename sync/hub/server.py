"""Running the hub: ``lishui-county serve`` (foreground) and an in-process server on a background
thread (tests, benchmarks) that binds a free loopback port and stops cleanly."""

from __future__ import annotations

import socket
import threading
import time

import uvicorn

from sync.hub.app import create_app
from sync.hub.service import Hub


def serve(hub: Hub, host: str, port: int) -> None:
    uvicorn.run(create_app(hub), host=host, port=port, log_level="warning", access_log=False)


class ThreadedHub:
    """A real uvicorn server on 127.0.0.1 in a daemon thread; ``url`` once started."""

    def __init__(self, hub: Hub, host: str = "127.0.0.1") -> None:
        self.hub = hub
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, 0))
        self.host, self.port = self.sock.getsockname()[:2]
        config = uvicorn.Config(create_app(hub), log_level="warning", access_log=False, lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> ThreadedHub:
        self.thread.start()
        for _ in range(500):  # bounded wait for the server to come up
            if self.server.started:
                return self
            time.sleep(0.01)
        raise RuntimeError("hub did not start")

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()

    def __enter__(self) -> ThreadedHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
