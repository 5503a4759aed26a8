"""Query worker processes without a network: the second wall in front of ``SERVICE``.

The text check (:func:`jllm_kg.sparql_text.analyze_query`) refuses ``SERVICE`` before a query
runs, but it is a reading of the text that must agree with Oxigraph's parser everywhere; if
it ever does not, Oxigraph makes a real outbound HTTP request. So the process that runs the
query is also cut off from the network, by two independent means, each of which suffices:

- **its own network namespace** (``unshare(CLONE_NEWNET)``; when that is not permitted, a new
  user namespace with it, which unprivileged users may create on most Linux systems). The new
  namespace has only a loopback interface, down: every address is unreachable, including the
  host's ``127.0.0.1``;
- **a seccomp filter** that refuses creating any socket other than ``AF_UNIX`` (and
  ``io_uring``, which could open sockets without the ``socket`` system call). Installing one
  needs no privilege, only ``PR_SET_NO_NEW_PRIVS``.

The worker talks to its parent through a ``socketpair`` created before isolation, which
neither means affects; multiprocessing's forkserver has already handed the worker its file
descriptors by then. After applying what it can, the process checks that it really cannot
reach an address (a UDP ``connect``, which sends nothing) and reports what holds.

Both are Linux facilities; elsewhere :func:`isolate_network` reports that nothing applied and
why, and the caller keeps ``SERVICE`` refused by the text check alone (fail closed).
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import socket
import struct
import sys
from dataclasses import dataclass

NAMESPACE = "network namespace"
SECCOMP = "seccomp socket filter"

_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000
_PR_SET_NO_NEW_PRIVS = 38
_SECCOMP_SET_MODE_FILTER = 1
_SECCOMP_FILTER_FLAG_TSYNC = 1

# Classic BPF opcodes and seccomp return values (linux/filter.h, linux/seccomp.h).
_LD_W_ABS = 0x20
_JEQ_K = 0x15
_JGE_K = 0x35
_RET_K = 0x06
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_RET_KILL_PROCESS = 0x80000000
_X32_SYSCALL_BIT = 0x40000000
# struct seccomp_data: int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6].
_NR_OFFSET = 0
_ARCH_OFFSET = 4
_ARG0_OFFSET = 16  # low 32 bits of args[0] on little-endian machines


@dataclass(frozen=True)
class _Abi:
    audit_arch: int
    seccomp: int
    socket: int
    socketpair: int
    io_uring_setup: int


# System call numbers per machine (asm/unistd.h); the filter is only installed where known.
_ABIS = {
    "x86_64": _Abi(audit_arch=0xC000003E, seccomp=317, socket=41, socketpair=53,
                   io_uring_setup=425),
    "aarch64": _Abi(audit_arch=0xC00000B7, seccomp=277, socket=198, socketpair=199,
                    io_uring_setup=425),
}


@dataclass(frozen=True)
class NetworkIsolation:
    """What cut a process off from the network, and why any other means could not."""

    layers: tuple[str, ...]
    """The means in force (:data:`NAMESPACE`, :data:`SECCOMP`, each with the call that applied
    it); empty: the process has network."""
    failures: tuple[str, ...]
    """Why a means could not be applied, one sentence each."""

    @property
    def isolated(self) -> bool:
        return bool(self.layers)

    def describe(self) -> str:
        """One line for the log."""
        held = ", ".join(self.layers) if self.layers else "none"
        failed = "; ".join(self.failures)
        return f"{held} (not applied: {failed})" if failed else held


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _os_error(call: str) -> OSError:
    code = ctypes.get_errno()
    return OSError(code, f"{call}: {os.strerror(code)}")


def _thread_count() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 1


def _enter_network_namespace() -> str:
    """Move this process into a new network namespace; returns how, raises ``OSError``.

    ``unshare`` moves only the calling thread: with other threads running, they would keep the
    network, so a multi-threaded process is refused.
    """
    threads = _thread_count()
    if threads > 1:
        raise OSError(errno.EINVAL, f"the process already runs {threads} threads")
    libc = _libc()
    if libc.unshare(_CLONE_NEWNET) == 0:
        return "unshare(CLONE_NEWNET)"
    first = _os_error("unshare(CLONE_NEWNET)")
    if first.errno != errno.EPERM:
        raise first
    # Not privileged: a user namespace grants the capability inside it (single-threaded only).
    if libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) == 0:
        return "unshare(CLONE_NEWUSER|CLONE_NEWNET)"
    second = _os_error("unshare(CLONE_NEWUSER|CLONE_NEWNET)")
    raise OSError(second.errno, f"{first.strerror}; {second.strerror}")


def _filter_program(abi: _Abi) -> bytes:
    """The BPF program: AF_UNIX sockets only, no io_uring, foreign system call ABIs killed."""

    def op(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
        return struct.pack("=HBBI", code, jt, jf, k)

    deny = _RET_ERRNO | errno.EACCES
    # Jump offsets count the instructions skipped after the current one.
    program = [
        op(_LD_W_ABS, _ARCH_OFFSET),                 # 0
        op(_JEQ_K, abi.audit_arch, jt=0, jf=10),     # 1 → 12 kill
        op(_LD_W_ABS, _NR_OFFSET),                   # 2
        op(_JGE_K, _X32_SYSCALL_BIT, jt=7, jf=0),    # 3 → 11 deny
        op(_JEQ_K, abi.socket, jt=3, jf=0),          # 4 → 8 check the family
        op(_JEQ_K, abi.socketpair, jt=2, jf=0),      # 5 → 8
        op(_JEQ_K, abi.io_uring_setup, jt=4, jf=0),  # 6 → 11 deny
        op(_RET_K, _RET_ALLOW),                      # 7
        op(_LD_W_ABS, _ARG0_OFFSET),                 # 8
        op(_JEQ_K, socket.AF_UNIX, jt=0, jf=1),      # 9 → 11 deny
        op(_RET_K, _RET_ALLOW),                      # 10
        op(_RET_K, deny),                            # 11
        op(_RET_K, _RET_KILL_PROCESS),               # 12
    ]
    return b"".join(program)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def _install_socket_filter() -> str:
    """Install the seccomp filter on every thread of this process; raises ``OSError``."""
    machine = platform.machine()
    abi = _ABIS.get(machine)
    if abi is None or sys.byteorder != "little":
        raise OSError(errno.ENOSYS, f"no seccomp filter for this machine ({machine})")
    code = _filter_program(abi)
    buffer = ctypes.create_string_buffer(code, len(code))
    program = _SockFprog(len(code) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    libc = _libc()
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise _os_error("prctl(PR_SET_NO_NEW_PRIVS)")
    result = libc.syscall(ctypes.c_long(abi.seccomp), ctypes.c_uint(_SECCOMP_SET_MODE_FILTER),
                          ctypes.c_uint(_SECCOMP_FILTER_FLAG_TSYNC), ctypes.byref(program))
    if result != 0:
        raise _os_error("seccomp(SECCOMP_SET_MODE_FILTER)")
    return "seccomp(SECCOMP_SET_MODE_FILTER)"


def network_reachable() -> str | None:
    """An address this process can still route to, or ``None`` when it has no network.

    A UDP ``connect`` to a loopback address only chooses a route and sends nothing, so the
    probe makes no traffic; a process that cannot route to its own loopback reaches nothing.
    """
    probes = ((socket.AF_INET, ("127.0.0.1", 9)), (socket.AF_INET6, ("::1", 9)))
    for family, address in probes:
        try:
            with socket.socket(family, socket.SOCK_DGRAM) as probe:
                probe.connect(address)
        except OSError:
            continue
        return str(address[0])
    return None


def isolate_network() -> NetworkIsolation:
    """Cut the calling process off from the network by every means available here.

    Call it while the process is still single-threaded (a user namespace requires it) and
    before it runs anything that might open a connection. Never raises: what could not be
    applied is in :attr:`NetworkIsolation.failures`, and when a means claims success but an
    address is still reachable, no means is reported as holding.
    """
    layers: list[str] = []
    failures: list[str] = []
    for name, apply in ((NAMESPACE, _enter_network_namespace), (SECCOMP, _install_socket_filter)):
        try:
            how = apply()
        # AttributeError: a libc without the call; TypeError: no C library to load (Windows).
        except (OSError, AttributeError, TypeError) as error:
            failures.append(f"{name}: {error}")
        else:
            layers.append(f"{name} by {how}")
    reachable = network_reachable()
    if reachable is not None and layers:
        failures.append(f"{' and '.join(layers)} applied, yet {reachable} is still reachable")
        layers.clear()
    return NetworkIsolation(tuple(layers), tuple(failures))
