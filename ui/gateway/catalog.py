"""事项目录: search, one item with its 裁量基准, the item pickers."""

from __future__ import annotations

from lishui_desk.catalog_data import ItemSeed
from lishui_desk.services import catalog
from lishui_desk.storage.profile import Profile
from ui.gateway.uow import reading


def search(profile: Profile, text: str, domain: str | None, limit: int = 200) -> list[catalog.ItemRow]:
    with reading(profile) as uow:
        return list(catalog.search(uow, text, domain=domain, limit=limit))


def item(profile: Profile, code: str) -> ItemSeed:
    with reading(profile) as uow:
        return catalog.item(uow, code)


def domains(profile: Profile) -> list[str]:
    with reading(profile) as uow:
        return list(catalog.domains(uow))


def item_names(profile: Profile) -> list[tuple[str, str]]:
    """(code, name) of the active items of the township's current catalogue, for the item pickers
    (two columns only: cheap enough to read for every form, so never stale)."""
    with reading(profile) as uow:
        return catalog.item_names(uow)

