"""Writing results: atomically (a reader sees the old file or the new one, never half), and
as strict JSON (a student's function may return inf or nan; the file must still be valid)."""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from ..kit import write_bytes_atomic

__all__ = ['json_safe', 'write_text_atomic', 'write_json_atomic']


def json_safe(value: Any) -> Any:
    """JSON has no inf or nan: a student's function may return them, and the results must
    still be written, so such floats become the strings 'inf', '-inf', 'nan'."""
    if isinstance(value, float) and not math.isfinite(value):
        return 'nan' if math.isnan(value) else ('inf' if value > 0 else '-inf')
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return value


def write_text_atomic(path: Path, text: str) -> Path:
    """Write so that a reader sees the old file or the new one, never half of one
    (the text exactly as given; readable by others, like any report)."""
    return write_bytes_atomic(path, text.encode('utf-8'))


def write_json_atomic(path: Path, document: Any, *, indent: int | None = 1) -> Path:
    """JSON, atomically; refuses inf and nan (see json_safe)."""
    return write_text_atomic(path, json.dumps(document, indent=indent, ensure_ascii=False, allow_nan=False))
