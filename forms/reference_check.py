"""Content check of the ``definitions`` reference stream, registered with the core.

The core stores definition bodies without interpreting them; whichever way a batch of definitions
arrives (sync, ``lishui-desk reference import``, ``doc definitions --import``), this check runs
before anything is written: the body must parse (placeholders against the whitelisted context,
public-document privacy rules). A type this program does not bundle is accepted — it needs no
code (see :mod:`forms.sources`) — but an ``act`` it shares must be one with a registered source.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from forms import sources
from forms.loader import Definition, parse_definition
from lishui_desk.errors import InvalidInput
from lishui_desk.services import reference


def check_definition(body: Mapping[str, Any], source: str = "县级发布") -> Definition:
    d = parse_definition(dict(body), source)
    if d.act is not None and d.act not in sources.REGISTRY:
        raise InvalidInput(f"文书定义“{source}”的“act”（{d.act}）不是登记了数据来源的文书类型"
                           f"（可用：{'、'.join(sorted(sources.REGISTRY))}）")
    return d


reference.register_validator("definitions", check_definition)
