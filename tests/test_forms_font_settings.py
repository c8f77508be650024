"""An explicit font setting wins over the search (per machine: settings file or LISHUI_DESK_FONTS)."""

from __future__ import annotations

import pytest

from forms import fonts
from lishui_desk.errors import InvalidInput

UMING = "/usr/share/fonts/truetype/arphic/uming.ttc"


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv(fonts.FONTS_ENV, raising=False)
    fonts.default_fontset.cache_clear()
    yield
    fonts.default_fontset.cache_clear()


def test_settings_file_sets_the_body_font_and_survives_a_restart():
    searched = fonts.default_fontset().roles["body"].path
    assert searched != UMING  # the search prefers another font here, so the setting must be what wins
    path = fonts.save_font_settings({"body": f"{UMING}#0"})
    assert path.is_file() and path.is_relative_to(fonts.font_settings_path().parent)
    fonts.default_fontset.cache_clear()  # a new process reads the file again
    assert fonts.default_fontset().roles["body"].path == UMING


def test_environment_wins_and_bad_settings_are_refused_by_name(monkeypatch):
    monkeypatch.setenv(fonts.FONTS_ENV, f"body={UMING}#0")
    assert fonts.default_fontset().roles["body"].path == UMING
    with pytest.raises(InvalidInput, match=r"nowhere\.ttf"):
        fonts.save_font_settings({"body": "/nowhere.ttf"})
    with pytest.raises(InvalidInput, match="字体角色"):
        fonts.save_font_settings({"bold": f"{UMING}#0"})
    monkeypatch.setenv(fonts.FONTS_ENV, "body")
    fonts.default_fontset.cache_clear()
    with pytest.raises(InvalidInput, match=fonts.FONTS_ENV):
        fonts.default_fontset()
