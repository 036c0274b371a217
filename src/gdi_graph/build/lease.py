"""Builds and the processes that use them: leases on build directories, and the build lock.

A running server holds a *lease* on the build directory it serves: a shared `flock` on the
directory itself. A build prunes an old directory only after taking an exclusive `flock` on
it without waiting, so a directory some process still serves is never deleted, however
many builds come after it. The kernel drops a process's locks when it exits (or is killed),
so a lease can never go stale and nothing needs cleaning up after a crash.

Builds are serialised by an exclusive `flock` on a lock file beside `dist`, held while a
build writes its directory, moves the link and prunes; two builds at once take turns.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import time
from pathlib import Path
from typing import Iterator


class LeaseError(OSError):
    """The build `dist` points at could not be leased (missing, or removed while we looked)."""


def build_store(dist: Path) -> Path:
    """The folder holding the build directories that `dist` points into."""
    dist = Path(dist).absolute()
    return dist.parent / f".{dist.name}.builds"


class Lease:
    """A shared lock on one build directory, held until `release()` or the process ends."""

    def __init__(self, path: Path, fd: int):
        self.path = path
        self._fd: int | None = fd

    @classmethod
    def take(cls, dist: Path, attempts: int = 20) -> "Lease":
        """Lease the build `dist` points at now (a build directory or a plain folder).

        Between reading the link and locking, a build may re-point `dist` and prune the old
        target; so after locking, check that the directory is still there and is still the
        one the link names, and try again when it is not.
        """
        last: Exception | None = None
        for _ in range(attempts):
            target = Path(os.path.realpath(dist))
            try:
                fd = os.open(target, os.O_RDONLY | os.O_DIRECTORY)
            except OSError as exc:
                last = exc
                time.sleep(0.05)
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except OSError as exc:  # a prune holds it exclusively right now: it is going away
                os.close(fd)
                last = exc
                time.sleep(0.05)
                continue
            if _same_directory(fd, target) and (target / "manifest.json").exists():
                return cls(target, fd)
            os.close(fd)
            last = LeaseError(errno.ENOENT, f"{target} was removed while it was being leased")
        raise LeaseError(errno.ENOENT, f"cannot lease the build at {dist}: {last}")

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)  # closing the only descriptor drops the lock

    def __enter__(self) -> "Lease":
        return self

    def __exit__(self, *exc) -> None:
        self.release()

    def __del__(self):
        self.release()


def _same_directory(fd: int, path: Path) -> bool:
    try:
        a, b = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


@contextlib.contextmanager
def unleased(directory: Path) -> Iterator[bool]:
    """Yield True, holding it exclusively, when no process leases `directory`; else yield False."""
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        yield False
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def is_leased(directory: Path) -> bool:
    with unleased(directory) as free:
        return not free


@contextlib.contextmanager
def build_lock(dist: Path, wait: float = 900.0, on_wait=None) -> Iterator[None]:
    """Hold the exclusive build lock beside `dist`; wait for another build at most `wait` seconds."""
    dist = Path(dist).absolute()
    dist.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(dist.parent / f".{dist.name}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise
                if time.monotonic() > deadline:
                    raise TimeoutError(f"another build of {dist} held the build lock for {wait:g} s") from None
                if on_wait and not told:
                    on_wait()
                    told = True
                time.sleep(0.1)
        yield
    finally:
        os.close(fd)
