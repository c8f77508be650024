"""The hub's own schema history, and its reference streams: versions only move forward per key,
and a reader following the cursor never skips an item that committed late (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from lishui_desk.errors import InvalidInput
from sync.hub import db, refs, service
from sync.hub.models import Device, HubBase, RefItem
from tests.sync_support import BACKENDS, hub_db_url


@pytest.fixture(params=BACKENDS)
def hub(request, tmp_path):
    with hub_db_url(request.param, tmp_path) as url:
        h = service.init_hub(tmp_path / "hub", url)
        yield h
        h.close()


def test_migrations_match_the_models_and_downgrade_cleanly(hub):
    with hub.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), HubBase.metadata) == []
    assert db.current_revision(hub.engine) == db.head_revision()
    db.downgrade(hub.engine, "base")
    assert [t for t in inspect(hub.engine).get_table_names() if t.startswith("hub_")] == []
    db.upgrade(hub.engine)
    assert db.current_revision(hub.engine) == db.head_revision()


def _device(town="331181100") -> Device:
    return Device(id=str(uuid.uuid4()), township_code=town, officer_id="o", public_key="00", enrolled_at="x")


def test_versions_only_move_forward_per_key(hub):
    pub = refs.Publication
    out = refs.publish(hub, "calendar", [pub(key="2027", body={"year": 2027})])
    assert out[0]["version"] == 2  # version 1 is the data the desktop program ships
    assert refs.publish(hub, "calendar", [pub(key="2027", body={"year": 2027, "v": 2})])[0]["version"] == 3
    assert refs.publish(hub, "calendar", [pub(key="2028", body={"year": 2028}, version=5)])[0]["version"] == 5
    with pytest.raises(InvalidInput, match="只能递增"):
        refs.publish(hub, "calendar", [pub(key="2027", body={"year": 2027}, version=3)])
    # an all-or-nothing batch: the good item before the refused one is not published either
    with pytest.raises(InvalidInput):
        refs.publish(hub, "calendar", [pub(key="2029", body={}), pub(key="2028", body={}, version=4)])
    page = refs.pull(hub, _device(), "calendar", 0, 100)
    assert [(refs.parse_item(i["body"])["key"], refs.parse_item(i["body"])["version"]) for i in page["items"]] == [
        ("2027", 2), ("2027", 3), ("2028", 5)]
    assert page["next"] == 3 and page["more"] is False


def test_items_for_another_township_are_passed_over_but_the_cursor_moves(hub):
    pub = refs.Publication
    refs.publish(hub, "review", [pub(key="c1", body={}, township_code="331123002"),
                                 pub(key="c2", body={}, township_code="331181100")])
    page = refs.pull(hub, _device("331181100"), "review", 0, 1)
    assert page["items"] == [] and page["next"] == 1 and page["more"] is True
    page = refs.pull(hub, _device("331181100"), "review", page["next"], 1)
    assert [refs.parse_item(i["body"])["key"] for i in page["items"]] == ["c2"]


def _follow(hub, stream, stop: threading.Event, seen: list[int]) -> None:
    after = 0
    dev = _device()
    while True:
        done = stop.is_set()
        page = refs.pull(hub, dev, stream, after, 50)
        seen.extend(i["cursor"] for i in page["items"])
        after = page["next"]
        if done and not page["more"]:
            return
        time.sleep(0.001)


def test_a_reader_never_skips_an_item_that_commits_late(hub):
    """Publisher A takes the stream's next cursor and commits late; B publishes meanwhile. A reader
    following the cursor the whole time must end with both (an id-ordered cursor would skip A)."""
    stop, seen = threading.Event(), []
    reader = threading.Thread(target=_follow, args=(hub, "tasks", stop, seen))
    reader.start()
    a_holds = threading.Event()

    def late_a() -> None:
        with hub.session() as s:
            row = refs._lock_stream(s, "tasks")
            row.last_cursor += 1
            s.add(RefItem(stream="tasks", cursor=row.last_cursor, key="a", version=1, township_code=None,
                          body='{"key":"a"}', signature="-", published_at="x"))
            s.flush()
            a_holds.set()
            time.sleep(0.3)  # commits late

    a = threading.Thread(target=late_a)
    a.start()
    assert a_holds.wait(10)
    refs.publish(hub, "tasks", [refs.Publication(key="b", body={})])  # waits for A's lock, then commits
    a.join()
    stop.set()
    reader.join(30)
    assert seen == [1, 2]


def test_concurrent_publishers_and_a_follower_see_every_item_once_in_order(hub):
    stop, seen = threading.Event(), []
    reader = threading.Thread(target=_follow, args=(hub, "definitions", stop, seen))
    reader.start()
    errors: list[BaseException] = []

    def publisher(n: int) -> None:
        try:
            for i in range(8):
                refs.publish(hub, "definitions", [refs.Publication(key=f"doc{n}", body={"i": i})])
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=publisher, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    stop.set()
    reader.join(30)
    assert errors == []
    assert seen == list(range(1, 33))
