"""tox's inline plugin: ``tox -e browser`` looks for Chromium before it installs anything.

The env's ``commands_pre`` runs ``.ci/install-chromium --unattended`` too, but only after tox
has created the env and installed Sphinx, Playwright and the project (half a minute on a new
clone). A machine where Chromium cannot be provisioned without a password should hear so at
once, with the one command to run, not after that wait.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from tox.plugin import impl
from tox.report import HandledError

BROWSER_ENV = "browser"


@impl
def tox_on_install(tox_env: Any, arguments: Any, section: str, of_type: str) -> None:
    """Before the browser env's first install: provision Chromium, or stop with its message."""
    if tox_env.name != BROWSER_ENV or getattr(tox_env, "_chromium_checked", False):
        return
    tox_env._chromium_checked = True
    script = Path(tox_env.core["tox_root"]) / ".ci" / "install-chromium"
    found = subprocess.run(
        ["bash", str(script), "--unattended"], stderr=subprocess.PIPE, text=True, check=False
    )
    if found.returncode != 0:
        raise HandledError(found.stderr.strip() or f"{script} --unattended failed")
