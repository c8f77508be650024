"""A fault-injecting TCP proxy (asyncio, on its own thread) between the sync client and the hub.

Each accepted connection takes the next fault of the schedule (then passes traffic unchanged):

- ``cut_up n``: forward n bytes towards the hub, then cut both sides (request cut mid-way);
- ``cut_down n``: forward n bytes of the answer, then cut (n = 0: the answer is dropped after the
  hub committed);
- ``delay s``: every chunk waits s seconds;  ``throttle bps``: 512-byte pieces at that rate;
- ``stall n s``: after n bytes towards the hub, nothing moves for s seconds, then cut;
- ``link bps s``: a slow line both ways: bytes leave at ``bps`` bytes/s and arrive ``s`` seconds
  later (one-way latency; chunks are pipelined as on a real line);
- ``duplicate``: when the connection ends, every byte the client sent is sent again on a new
  connection to the hub (a replay; the answer is discarded).

Only loopback addresses are used; every wait is bounded.
"""

from __future__ import annotations

import asyncio
import random
import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class Fault:
    kind: str = "pass"
    n: int = 0
    seconds: float = 0.0
    bps: int = 0

    def __str__(self) -> str:
        return f"{self.kind}(n={self.n}, s={self.seconds}, bps={self.bps})"


BREAKING = ("cut_up", "cut_down", "stall")


def random_schedule(rng: random.Random, length: int, *, stall_s: float = 1.3, span: int = 40_000) -> list[Fault]:
    """``length`` faults, the first one breaking (a sync over one kept-alive connection would
    otherwise never meet the rest); cut points spread over ``span`` bytes of a sync's traffic."""
    out = []
    for i in range(length):
        kind = rng.choice(BREAKING) if i == 0 else rng.choice(
            ["pass", "cut_up", "cut_up", "cut_down", "cut_down", "cut_down", "delay", "throttle", "stall", "duplicate"])
        if kind == "cut_up":
            out.append(Fault(kind, n=rng.randint(0, span)))
        elif kind == "cut_down":
            out.append(Fault(kind, n=rng.choice([0, 0, rng.randint(1, span // 2)])))
        elif kind == "delay":
            out.append(Fault(kind, seconds=rng.choice([0.01, 0.03])))
        elif kind == "throttle":
            out.append(Fault(kind, bps=rng.choice([200_000, 500_000])))
        elif kind == "stall":
            out.append(Fault(kind, n=rng.randint(0, span), seconds=stall_s))
        else:
            out.append(Fault(kind))
    return out


class FaultProxy:
    def __init__(self, upstream_host: str, upstream_port: int, schedule: list[Fault] | None = None) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.schedule = list(schedule or [])
        self.connections = 0
        self.bytes_up = 0
        self.bytes_down = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._server: asyncio.AbstractServer | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    def start(self) -> FaultProxy:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("proxy did not start")
        return self

    def stop(self) -> None:
        async def _close() -> None:
            assert self._server is not None
            self._server.close()
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await self._server.wait_closed()

        asyncio.run_coroutine_threadsafe(_close(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def _handle(self, c_reader: asyncio.StreamReader, c_writer: asyncio.StreamWriter) -> None:
        try:
            await self._proxy(c_reader, c_writer)
        except asyncio.CancelledError:  # the proxy is stopping
            c_writer.close()

    async def _proxy(self, c_reader: asyncio.StreamReader, c_writer: asyncio.StreamWriter) -> None:
        fault = self.schedule.pop(0) if self.schedule else Fault()
        self.connections += 1
        try:
            u_reader, u_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            c_writer.close()
            return
        sent: list[bytes] = []
        cut = asyncio.Event()

        async def pump(reader, writer, direction: str) -> None:
            moved = 0
            try:
                while not cut.is_set():
                    data = await reader.read(4096)
                    if not data:
                        break
                    if direction == "up":
                        sent.append(data)
                    limit = fault.n if fault.kind in (f"cut_{direction}", "stall") and (
                        fault.kind != "stall" or direction == "up") else None
                    if limit is not None and moved + len(data) >= limit:
                        data = data[: max(0, limit - moved)]
                        if data:
                            writer.write(data)
                            await writer.drain()
                        if fault.kind == "stall":
                            await asyncio.sleep(fault.seconds)
                        cut.set()
                        break
                    if fault.kind == "delay":
                        await asyncio.sleep(fault.seconds)
                    if fault.kind == "throttle":
                        for i in range(0, len(data), 512):
                            writer.write(data[i:i + 512])
                            await writer.drain()
                            await asyncio.sleep(512 / fault.bps)
                    else:
                        writer.write(data)
                        await writer.drain()
                    moved += len(data)
                    if direction == "up":
                        self.bytes_up += len(data)
                    else:
                        self.bytes_down += len(data)
            except (ConnectionError, OSError):
                pass
            finally:
                cut.set()

        async def line(reader, writer, direction: str) -> None:
            loop = asyncio.get_running_loop()
            queue: asyncio.Queue = asyncio.Queue()

            async def receive() -> None:
                try:
                    while data := await reader.read(4096):
                        queue.put_nowait(data)
                except (ConnectionError, OSError):
                    pass
                queue.put_nowait(None)

            rx = asyncio.ensure_future(receive())
            free_at = 0.0
            try:
                while (data := await queue.get()) is not None:
                    start = max(loop.time(), free_at)
                    free_at = start + len(data) / fault.bps  # the line is busy sending it
                    await asyncio.sleep(max(0.0, free_at + fault.seconds - loop.time()))
                    writer.write(data)
                    await writer.drain()
                    if direction == "up":
                        self.bytes_up += len(data)
                    else:
                        self.bytes_down += len(data)
            except (ConnectionError, OSError):
                pass
            finally:
                rx.cancel()
                cut.set()

        runner = line if fault.kind == "link" else pump
        up = asyncio.ensure_future(runner(c_reader, u_writer, "up"))
        down = asyncio.ensure_future(runner(u_reader, c_writer, "down"))
        await cut.wait()
        for w in (c_writer, u_writer):
            w.close()
        await asyncio.gather(up, down, return_exceptions=True)
        if fault.kind == "duplicate" and sent:
            await self._replay(b"".join(sent))

    async def _replay(self, data: bytes) -> None:
        try:
            r, w = await asyncio.open_connection(*self.upstream)
            w.write(data)
            await w.drain()
            try:
                while await asyncio.wait_for(r.read(65536), timeout=2.0):
                    pass
            except TimeoutError:
                pass
            w.close()
        except OSError:
            pass
