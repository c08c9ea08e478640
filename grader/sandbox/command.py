"""The bubblewrap command line for a warm worker: what the sandbox can see, and nothing else.

Inside the sandbox the root is an empty read-only tmpfs holding only: the Python
interpreter and its standard library (at their own paths, the standard library's
``site-packages`` hidden under an empty tmpfs), the shared libraries those need (found
with ``ldd``), numpy under ``/sandbox/site``, the zygote script, ``/dev/null``,
``/dev/zero`` and ``/dev/urandom``, and empty ``/work`` and ``/tmp`` mount points.
Not the repository, the project's other packages, the gradebook, ``/work`` of the host,
``/root``, ``/etc`` or ``/proc``.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

BWRAP = "/usr/bin/bwrap"
ZYGOTE = Path(__file__).with_name("zygote.py")
SANDBOX_SITE = "/sandbox/site"
SANDBOX_ZYGOTE = "/sandbox/zygote.py"
#: The uid and gid the student's code has inside the sandbox (nobody).
SANDBOX_ID = "65534"


class SandboxUnavailable(RuntimeError):
    """bubblewrap (or something the sandbox needs) is missing on this machine."""


def find_bwrap() -> str:
    """Path of the bubblewrap binary, or a clear error saying how to install it."""
    path = BWRAP if os.access(BWRAP, os.X_OK) else shutil.which("bwrap")
    if path is None:
        raise SandboxUnavailable(
            f"bubblewrap is not installed ({BWRAP} is missing): code answers run only "
            "inside it; install it with `apt-get install bubblewrap`"
        )
    return path


def _numpy_dirs() -> list[Path]:
    import numpy

    package = Path(numpy.__file__).resolve().parent
    dirs = [package]
    libs = package.with_name("numpy.libs")
    if libs.is_dir():
        dirs.append(libs)
    return dirs


def _interpreter() -> Path:
    return Path(os.path.realpath(sys.executable))


def _stdlib() -> Path:
    return Path(sysconfig.get_path("stdlib")).resolve()


_LDD_LINE = re.compile(r"(?:=>\s*)?(/\S+)\s+\(0x[0-9a-f]+\)")


def _shared_libraries(binaries: list[Path], skip: list[Path]) -> list[str]:
    """Absolute paths (as the loader names them) of every library the binaries load."""
    found: set[str] = set()
    chunk = 200
    for start in range(0, len(binaries), chunk):
        batch = [str(path) for path in binaries[start:start + chunk]]
        done = subprocess.run(
            ["ldd", *batch], capture_output=True, text=True, check=False, env={"LC_ALL": "C"}
        )
        for line in done.stdout.splitlines():
            match = _LDD_LINE.search(line)
            if match:
                found.add(match.group(1))
    return sorted(
        path for path in found
        if not any(Path(path).resolve().is_relative_to(folder) for folder in skip)
    )


@functools.lru_cache(maxsize=1)
def read_only_binds() -> tuple[tuple[str, str], ...]:
    """(host path, sandbox path) pairs bound read-only: the runtime, its libraries, numpy."""
    interpreter, stdlib = _interpreter(), _stdlib()
    numpy_dirs = _numpy_dirs()
    binaries = [interpreter]
    binaries += sorted((stdlib / "lib-dynload").glob("*.so"))
    for folder in numpy_dirs:
        binaries += sorted(folder.rglob("*.so*"))
    libseccomp = _libseccomp()
    if libseccomp:
        binaries.append(Path(libseccomp))
    binds = [(str(interpreter), str(interpreter)), (str(stdlib), str(stdlib))]
    for library in _shared_libraries(binaries, skip=[stdlib, *numpy_dirs]):
        binds.append((os.path.realpath(library), library))
    if libseccomp:
        binds.append((os.path.realpath(libseccomp), libseccomp))
    for folder in numpy_dirs:
        binds.append((str(folder), f"{SANDBOX_SITE}/{folder.name}"))
    binds.append((str(ZYGOTE), SANDBOX_ZYGOTE))
    return tuple(dict.fromkeys(binds))


def _libseccomp() -> str | None:
    """The libseccomp the zygote loads with ctypes (``libseccomp.so.2`` on Debian)."""
    for folder in ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64",
                   "/usr/lib", "/lib/x86_64-linux-gnu"):
        candidate = Path(folder) / "libseccomp.so.2"
        if candidate.exists():
            return str(candidate)
    return None


def worker_command() -> list[str]:
    """The full ``bwrap … python zygote.py`` command line for one warm worker."""
    command = [
        find_bwrap(),
        "--unshare-all", "--unshare-user", "--uid", SANDBOX_ID, "--gid", SANDBOX_ID,
        "--cap-drop", "ALL", "--die-with-parent", "--new-session", "--clearenv",
        "--hostname", "sandbox",
    ]
    for host, inside in read_only_binds():
        command += ["--ro-bind", host, inside]
    stdlib = _stdlib()
    # the interpreter's own site-packages (pip, setuptools, …) stays out of sight
    if (stdlib / "site-packages").is_dir():
        hidden = str(stdlib / "site-packages")
        command += ["--tmpfs", hidden, "--remount-ro", hidden]
    for device in ("/dev/null", "/dev/zero", "/dev/urandom"):
        command += ["--dev-bind", device, device]
    # /proc is needed to map ids in each job's user namespace; the job's own mount
    # namespace covers it with an empty tmpfs before the student's code starts
    command += ["--proc", "/proc", "--dir", "/work", "--dir", "/tmp", "--remount-ro", "/"]
    command += [str(_interpreter()), "-I", "-S", "-B", "-X", "utf8", SANDBOX_ZYGOTE]
    return command
