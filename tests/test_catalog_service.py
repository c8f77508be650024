"""Profile setup loads the township's real seed catalog; the 事项目录 search finds Chinese substrings."""

from __future__ import annotations

import pytest

from lishui_desk.edge import create_profile
from lishui_desk.errors import InvalidInput
from lishui_desk.services import catalog
from lishui_desk.services.setup import OfficerSpec
from lishui_desk.unit_of_work import unit_of_work


@pytest.fixture
def badu(data_root, fast_kdf):
    prof = create_profile("badu", "correct horse battery", root=data_root, township_code="331181100",
                          officer=OfficerSpec("李明", "33110012345"), kdf_params=fast_kdf)
    yield prof
    prof.close()


def test_profile_has_township_officer_and_catalog(badu):
    assert badu.meta("township_name") == "龙泉市八都镇"
    assert badu.meta("officer_name") == "李明"
    with unit_of_work(badu, write=False) as uow:
        assert len(catalog.search(uow, "")) >= 40
        assert catalog.current_version(uow)["version"]


@pytest.mark.parametrize("query", ["野外用火", "火", "森林消防"])
def test_search_finds_substrings_of_any_length(badu, query):
    with unit_of_work(badu, write=False) as uow:
        rows = catalog.search(uow, query)
    assert rows, query
    assert all(query in (r.name + r.domain + r.code) for r in rows)


def test_search_by_code_and_domain_filter(badu):
    with unit_of_work(badu, write=False) as uow:
        some = catalog.search(uow, "")[5]
        assert [r.code for r in catalog.search(uow, some.code)] == [some.code]
        domain_rows = catalog.search(uow, "", domain=some.domain)
        assert domain_rows and {r.domain for r in domain_rows} == {some.domain}
        detail = catalog.item(uow, some.code)
    assert detail.name == some.name and detail.penalty_basis


def test_unknown_township_and_duplicate_profile_are_refused(data_root, fast_kdf, badu):
    with pytest.raises(InvalidInput, match="不是丽水市"):
        create_profile("x", "correct horse battery", root=data_root, township_code="110105001",
                       officer=OfficerSpec("王", "1"), kdf_params=fast_kdf)
    with pytest.raises(InvalidInput, match="已存在"):
        create_profile("badu", "correct horse battery", root=data_root, township_code="331181100",
                       officer=OfficerSpec("王", "2"), kdf_params=fast_kdf)
    assert not (data_root / "profiles" / "x").exists()


def test_item_names_for_pickers_match_the_active_catalog(badu):
    with unit_of_work(badu, write=False) as uow:
        names = catalog.item_names(uow)
        assert sorted(names) == sorted((r.code, r.name) for r in catalog.search(uow, "", limit=5000))
    assert all(code and name for code, name in names)


def test_item_detail_keeps_the_discretion_source(badu):
    with unit_of_work(badu, write=False) as uow:
        tiered = next(catalog.item(uow, r.code) for r in catalog.search(uow, "") if catalog.item(uow, r.code).tiers)
    assert "裁量基准" in tiered.tiers_source  # e.g. 裁量基准（示例，待县级发布）
