"""Write a file so that a reader sees the old one or the new one, never half of one."""
import os
import tempfile
from pathlib import Path

__all__ = ['write_bytes_atomic']


def write_bytes_atomic(path, content: bytes) -> Path:
    """A temporary file in the same folder, synced, then renamed over `path` (readable by others,
    like any data file or report; on failure nothing is left behind)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f'.{path.name}.', suffix='.tmp', dir=path.parent)
    try:
        with os.fdopen(fd, 'wb') as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path
