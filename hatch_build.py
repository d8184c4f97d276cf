"""Build hook: compile the translation catalogs (.po -> .mo) into the package, for the wheel and editable installs."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileCatalogs(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        sys.path.insert(0, str(Path(self.root) / "tools"))
        try:
            import i18n  # tools/i18n.py: standard library only
        finally:
            sys.path.pop(0)
        for mo in i18n.compile_all():
            build_data["force_include"][str(mo)] = str(mo.relative_to(self.root))
