"""Content check of the ``definitions`` reference stream, registered with the core.

The core stores definition bodies without interpreting them; whichever way a batch of definitions
arrives (sync, ``lishui-desk reference import``, ``doc definitions --import``), this check runs
before anything is written: the body must parse (placeholders against the whitelisted context,
public-document privacy rules) and name a document type this program can fill.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from forms.loader import get_definition, parse_definition
from lishui_desk.services import reference


def check_definition(body: Mapping[str, Any]) -> None:
    d = parse_definition(dict(body), "县级发布")
    get_definition(d.type)


reference.register_validator("definitions", check_definition)
