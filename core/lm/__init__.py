"""A real language model in numpy: SmolLM2-135M-Instruct read from its GGUF file.

``language_model()`` returns the loaded model (once per process). Its logits go
through core's own functions for everything downstream (probabilities, entropy,
perplexity, KL). This subpackage alone in core may use ``gguf`` (the file format and
its dequantisation) and ``tokenizers`` (byte-level BPE).

Modules: :mod:`~core.lm.weights` (finding the file), :mod:`~core.lm.gguf_file`
(reading it), :mod:`~core.lm.config`, :mod:`~core.lm.params`, :mod:`~core.lm.tokenizer`,
:mod:`~core.lm.forward` (the numpy forward pass and its cache), :mod:`~core.lm.model`.
"""

from core.lm.model import LanguageModel, Session, language_model
from core.lm.weights import INSTALL_STEP, ModelNotInstalledError, gguf_path

__all__ = ["INSTALL_STEP", "LanguageModel", "ModelNotInstalledError", "Session", "gguf_path", "language_model"]
