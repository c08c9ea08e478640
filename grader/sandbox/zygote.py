"""The warm worker that runs INSIDE bubblewrap: numpy imported once, one fresh child per job.

This file is executed by the sandboxed interpreter as a script (``python -I -S``), so it
may import only the standard library and numpy: nothing of the project is reachable
inside the sandbox. It speaks length-prefixed JSON frames with the grader on its stdin
and stdout.

For every job the zygote forks a *supervisor* that unshares a new user, mount and PID
namespace, mounts an empty tmpfs on ``/work`` and ``/tmp`` (and over ``/proc``), writes
the job's files and forks a reaper (PID 1 of the new PID namespace) and the *student*
process. When the job ends the supervisor kills the reaper, and with it the kernel kills
everything the student started; the tmpfs vanishes with the mount namespace. The
student process drops every capability, takes the job's rlimits and a seccomp filter
(no fork, exec, sockets, mounts, namespaces, ptrace), then runs the trusted harness's
``main(payload)``. The value goes back as JSON on a pipe of its own, apart
from the student's stdout and stderr. The supervisor enforces the wall clock and the
output cap and reports what happened; the grader (outside) decides the verdict.
"""

from __future__ import annotations

import builtins
import ctypes
import ctypes.util
import errno
import json
import linecache
import math
import os
import resource
import select
import signal
import struct
import sys
import time
import traceback

SITE = "/sandbox/site"
WORK = "/work"

CLONE_THREAD = 0x00010000
CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
PR_SET_PDEATHSIG = 1
RESULT_FD = 3

#: libseccomp and a compiled filter context, built once per zygote.
Seccomp = tuple[ctypes.CDLL, int]

_libc = ctypes.CDLL(None, use_errno=True)

# Syscalls a student's function has no business making; each fails with EPERM.
_DENIED = (
    "fork", "vfork", "execve", "execveat", "socket", "socketpair", "ptrace",
    "process_vm_readv", "process_vm_writev", "mount", "umount2", "pivot_root", "chroot",
    "unshare", "setns", "keyctl", "add_key", "request_key", "bpf", "perf_event_open",
    "userfaultfd", "io_uring_setup", "io_uring_enter", "io_uring_register",
    "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
    "reboot", "swapon", "swapoff", "acct", "quotactl", "name_to_handle_at",
    "open_by_handle_at", "syslog", "fsopen", "fsmount", "move_mount", "open_tree",
    "mount_setattr", "memfd_secret", "pidfd_getfd", "pidfd_send_signal",
)


class _ArgCmp(ctypes.Structure):
    _fields_ = [
        ("arg", ctypes.c_uint),
        ("op", ctypes.c_int),
        ("datum_a", ctypes.c_uint64),
        ("datum_b", ctypes.c_uint64),
    ]


def _build_seccomp() -> Seccomp | None:
    """Compile the filter once in the zygote (libseccomp); None when the library is absent."""
    name = ctypes.util.find_library("seccomp") or "libseccomp.so.2"
    try:
        lib = ctypes.CDLL(name, use_errno=True)
    except OSError:
        return None
    lib.seccomp_init.restype = ctypes.c_void_p
    lib.seccomp_init.argtypes = [ctypes.c_uint32]
    lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
    lib.seccomp_rule_add_array.argtypes = [
        ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int, ctypes.c_uint, ctypes.POINTER(_ArgCmp)
    ]
    lib.seccomp_load.argtypes = [ctypes.c_void_p]
    allow = 0x7FFF0000

    def errno_action(code: int) -> int:
        return 0x00050000 | (code & 0xFFFF)

    ctx = lib.seccomp_init(allow)
    if not ctx:
        return None
    for syscall in _DENIED:
        nr = lib.seccomp_syscall_resolve_name(syscall.encode())
        if nr < 0:
            continue
        if lib.seccomp_rule_add_array(ctx, errno_action(errno.EPERM), nr, 0, None) != 0:
            return None
    # clone: threads (CLONE_THREAD set) stay allowed, new processes are refused.
    nr = lib.seccomp_syscall_resolve_name(b"clone")
    no_thread = (_ArgCmp * 1)(_ArgCmp(0, 7, CLONE_THREAD, 0))  # SCMP_CMP_MASKED_EQ
    if lib.seccomp_rule_add_array(ctx, errno_action(errno.EPERM), nr, 1, no_thread) != 0:
        return None
    # clone3 cannot be filtered by flags (they sit in memory): ENOSYS makes libc fall back.
    nr = lib.seccomp_syscall_resolve_name(b"clone3")
    if nr >= 0 and lib.seccomp_rule_add_array(ctx, errno_action(errno.ENOSYS), nr, 0, None):
        return None
    return (lib, ctx)


def _read_exact(fd: int, size: int) -> bytes | None:
    chunks = bytearray()
    while len(chunks) < size:
        chunk = os.read(fd, size - len(chunks))
        if not chunk:
            return None
        chunks += chunk
    return bytes(chunks)


def _read_frame(fd: int) -> dict | None:
    head = _read_exact(fd, 4)
    if head is None:
        return None
    body = _read_exact(fd, struct.unpack(">I", head)[0])
    return None if body is None else json.loads(body)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _write_frame(fd: int, message: object) -> None:
    body = json.dumps(message, allow_nan=True).encode()
    _write_all(fd, struct.pack(">I", len(body)) + body)


def _check(result: int, what: str) -> None:
    if result != 0:
        code = ctypes.get_errno()
        raise OSError(code, f"{what}: {os.strerror(code)}")


def _write_proc(path: str, text: str) -> None:
    with open(path, "w") as handle:
        handle.write(text)


def _enter_namespaces(limits: dict) -> None:
    """Supervisor: own user, mount and PID namespaces, with fresh tmpfs on /work and /tmp."""
    uid, gid = os.getuid(), os.getgid()
    _check(_libc.unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID), "unshare")
    _write_proc("/proc/self/setgroups", "deny")
    _write_proc("/proc/self/uid_map", f"{uid} {uid} 1")
    _write_proc("/proc/self/gid_map", f"{gid} {gid} 1")
    size = int(limits["file_bytes"]) * 4
    options = f"size={size},nr_inodes=4096,mode=0700".encode()
    for target in (WORK, "/tmp"):
        _check(
            _libc.mount(b"tmpfs", target.encode(), b"tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
                        options),
            f"mount {target}",
        )
    # bwrap's /proc shows the zygote and the supervisor; the student gets an empty one.
    _check(_libc.mount(b"tmpfs", b"/proc", b"tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY,
                       b"size=4k"), "mount /proc")


def _set_limits(limits: dict) -> None:
    cpu = max(1, math.ceil(float(limits["cpu_seconds"])))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    memory = int(limits["memory_bytes"])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    processes = int(limits["processes"])
    resource.setrlimit(resource.RLIMIT_NPROC, (processes, processes))
    size = int(limits["file_bytes"])
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))


def _drop_capabilities() -> None:
    """Empty every capability set (the new user namespace granted them all)."""
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3
    data = (ctypes.c_uint32 * 6)()
    _check(_libc.capset(header, data), "capset")


def _student(job: dict, seccomp: Seccomp | None, out_w: int, err_w: int, res_w: int) -> None:
    """Runs as PID 2 of the job's PID namespace, in a session of its own; never returns."""
    try:
        os.setsid()
        _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        null = os.open("/dev/null", os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(out_w, 1)
        os.dup2(err_w, 2)
        os.dup2(res_w, RESULT_FD)
        os.closerange(RESULT_FD + 1, 1 << 16)
        os.chdir(WORK)
        _set_limits(job["limits"])
        _drop_capabilities()
        if seccomp is not None:
            lib, ctx = seccomp
            _check(lib.seccomp_load(ctx), "seccomp_load")
    except BaseException as exc:  # report any set-up failure, then stop
        try:
            _write_all(RESULT_FD, json.dumps({"setup": repr(exc)}).encode())
        finally:
            os._exit(70)
    sys.stdout = open(1, "w", encoding="utf-8", errors="replace", closefd=False)
    sys.stderr = open(2, "w", encoding="utf-8", errors="replace", closefd=False)
    sys.path.insert(0, WORK)
    sys.argv = ["harness.py"]
    source = job["harness"]
    linecache.cache["harness.py"] = (len(source), None, source.splitlines(True), "harness.py")
    try:
        namespace: dict = {"__name__": "harness", "__builtins__": builtins}
        exec(compile(source, "harness.py", "exec"), namespace)
        value = namespace["main"](job["payload"])
        frame: dict = {"result": value}
        body = json.dumps(frame, allow_nan=True)
    except BaseException as exc:  # the student's exception is the verdict
        text = traceback.format_exc()
        try:
            body = json.dumps({"error": type(exc).__name__, "traceback": text})
        except BaseException:
            body = json.dumps({"error": "Exception", "traceback": "unprintable exception"})
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:  # a closed stream must not hide the result
            pass
    try:
        _write_all(RESULT_FD, body.encode("utf-8", errors="replace"))
    except OSError:
        os._exit(71)
    os._exit(0)


def _reap() -> None:
    """PID 1 of the job's PID namespace: reaps orphans, and its death ends the namespace.

    The student's process must not be PID 1 itself: the kernel does not deliver
    default-action signals to a namespace's init, not even SIGXCPU from RLIMIT_CPU.
    """
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    os.closerange(0, 1 << 16)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    while True:
        try:
            os.wait()
        except ChildProcessError:
            signal.pause()


def _supervise(job: dict, seccomp: Seccomp | None, report_w: int) -> None:
    """Forked per job: namespaces, files, the student process, its clock; never returns."""
    limits = job["limits"]
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    try:
        _enter_namespaces(limits)
        for name, text in job["files"].items():
            with open(os.path.join(WORK, name), "w", encoding="utf-8") as handle:
                handle.write(text)
        reaper = os.fork()
        if reaper == 0:
            _reap()
        pipes = [os.pipe() for _ in range(3)]
        started = time.monotonic()
        child = os.fork()
        if child == 0:
            os.close(report_w)
            for read_end, _ in pipes:
                os.close(read_end)
            _student(job, seccomp, pipes[0][1], pipes[1][1], pipes[2][1])
        for _, write_end in pipes:
            os.close(write_end)
        report = _watch(child, started, [read_end for read_end, _ in pipes], limits)
        os.kill(reaper, signal.SIGKILL)  # PID 1 gone: the kernel kills all that is left
        os.waitpid(reaper, 0)
    except BaseException as exc:  # the grader hears of any failure
        report = {"internal": repr(exc)}
    try:
        _write_frame(report_w, report)
    finally:
        os._exit(0)


def _watch(child: int, started: float, fds: list[int], limits: dict) -> dict:
    """Collect output and result until the student process ends, or stop it."""
    caps = [int(limits["output_bytes"])] * 2 + [int(limits["result_bytes"])]
    buffers = [bytearray() for _ in fds]
    deadline = started + float(limits["wall_seconds"])
    pidfd = os.pidfd_open(child)
    stopped = None
    open_fds = {fd: index for index, fd in enumerate(fds)}
    exited = False
    while open_fds or not exited:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            stopped = "wall"
            break
        watch = list(open_fds) + ([] if exited else [pidfd])
        ready, _, _ = select.select(watch, [], [], remaining)
        for fd in ready:
            if fd == pidfd:
                exited = True
                continue
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                del open_fds[fd]
                continue
            index = open_fds[fd]
            buffers[index] += chunk
            if len(buffers[index]) > caps[index]:
                stopped = "output" if index < 2 else "result"
        if stopped:
            break
    if stopped:
        os.kill(child, signal.SIGKILL)
    _, status, usage = os.wait4(child, 0)
    os.close(pidfd)
    for fd in fds:
        os.close(fd)
    return {
        "stopped": stopped,
        "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
        "exit_code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
        "seconds": time.monotonic() - started,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "stdout": buffers[0][: caps[0]].decode("utf-8", errors="replace"),
        "stderr": buffers[1][: caps[1]].decode("utf-8", errors="replace"),
        "result": None if stopped == "result" else buffers[2].decode("utf-8", errors="replace"),
    }


def _serve(control_in: int, control_out: int, seccomp: Seccomp | None) -> None:
    while True:
        job = _read_frame(control_in)
        if job is None:
            return
        report_r, report_w = os.pipe()
        supervisor = os.fork()
        if supervisor == 0:
            os.close(report_r)
            os.close(control_in)
            os.close(control_out)
            _supervise(job, seccomp, report_w)
        os.close(report_w)
        ready, _, _ = select.select([report_r], [], [], float(job["limits"]["wall_seconds"]) + 5)
        report = _read_frame(report_r) if ready else None
        if report is None:
            os.kill(supervisor, signal.SIGKILL)
            report = {"internal": "the job's supervisor did not report"}
        os.close(report_r)
        os.waitpid(supervisor, 0)
        _write_frame(control_out, report)


def main() -> None:
    # The control channel moves off fds 0/1 so that a stray print cannot corrupt it.
    control_in, control_out = os.dup(0), os.dup(1)
    null = os.open("/dev/null", os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    os.environ["OMP_NUM_THREADS"] = "1"
    sys.path.append(SITE)
    import numpy  # the point of a warm worker: imported once, inherited by fork

    os.environ.clear()
    seccomp = _build_seccomp()
    _write_frame(control_out, {"ready": True, "numpy": numpy.__version__,
                               "seccomp": seccomp is not None})
    _serve(control_in, control_out, seccomp)


if __name__ == "__main__":
    main()
