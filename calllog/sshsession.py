"""The SSH entry point (OPS3): ``calllog-ssh`` / ``calllog ssh-session``.

Meant to be the only thing an adviser's SSH login can run: an OpenSSH
``ForceCommand`` (or ``command="..."`` in authorized_keys). It

* refuses to start without a terminal (one line, exit status 2): a session with no
  TTY would keep running after the client goes, and ``ssh host some-command``
  must not do anything else;
* ignores whatever the client asked to run (``SSH_ORIGINAL_COMMAND``) and every
  variable the client sent: the app is started by re-executing this Python
  interpreter in isolated mode (``-I``) with an environment built from nothing
  (``TERM`` checked, a UTF-8 ``LANG``, ``HOME``/``USER``/``LOGNAME`` from the
  password database, a fixed ``PATH``). Textual reads ``TEXTUAL_*`` and Rich
  reads colour variables when they are imported, so a clean *new* process is the
  only robust way; scrubbing ``os.environ`` in this one would be too late for
  anything Python itself had already read;
* takes the database from the server's own configuration, never from the
  client: ``--db PATH`` on the ForceCommand line, else ``CALLLOG_DATABASE_URL``
  in ``/etc/calllog/calllog.env`` (or the file named by ``--config``);
* starts the app with mouse reporting off; when the app ends, so does this
  process and with it the SSH session.

Standard library only: it runs before anything heavy is imported.
See docs/ssh.md for the sshd set-up.
"""

from __future__ import annotations

import argparse
import locale
import os
import pwd
import re
import stat
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NoReturn

EXIT_USAGE = 2
DEFAULT_CONFIG = Path("/etc/calllog/calllog.env")
CONFIG_KEYS = frozenset({"CALLLOG_DATABASE_URL"})
DEFAULT_TERM = "xterm-256color"
FALLBACK_LOCALE = "C.UTF-8"
SAFE_PATH = "/usr/local/bin:/usr/bin:/bin"
TERMINFO_DIRS = ("/etc/terminfo", "/lib/terminfo", "/usr/share/terminfo", "/usr/lib/terminfo")

_TERM_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+_-]{0,63}")
_UNUSABLE_TERMS = frozenset({"dumb", "unknown", "network", "dialup", "cons25"})
_UTF8_LOCALE = re.compile(
    r"(?:[A-Za-z]{2,3}(?:_[A-Za-z]{2})?|C)\.(?:UTF-8|utf8|UTF8|utf-8)(?:@\w+)?"
)

# The app itself, started in the clean process: the first argument is the folder
# holding this package (isolated mode puts neither the current folder nor
# PYTHONPATH on sys.path), the rest are calllog's own arguments.
_BOOTSTRAP = (
    "import sys; sys.path.insert(0, sys.argv[1]); "
    "from calllog.cli import main; sys.exit(main(sys.argv[2:]))"
)


class SessionError(Exception):
    """One line for the person connecting (and exit status 2)."""


def has_terminal() -> bool:
    """Standard input, output and error are all a terminal (``ssh -t``)."""
    return all(os.isatty(fd) for fd in (0, 1, 2))


# --- the server's configuration ------------------------------------------------------


def read_config(path: Path) -> dict[str, str]:
    """``KEY=VALUE`` lines (``#`` comments, optional quotes) from a file only root
    (or this account) can change."""
    try:
        info = path.stat()
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SessionError(f"cannot read {path}: {error.strerror}") from None
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH) or info.st_uid not in (0, os.getuid()):
        raise SessionError(
            f"{path} can be changed by other accounts; make it owned by root, mode 0644"
        )
    settings: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or key not in CONFIG_KEYS:
            raise SessionError(
                f"{path} line {number}: expected one of {', '.join(sorted(CONFIG_KEYS))}=..."
            )
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        settings[key] = value
    return settings


def database_url(db: str | None, config: Path | None) -> str:
    """``--db`` first, then the configuration file; never the client's environment."""
    from calllog.config import sqlite_url

    if db:
        return sqlite_url(Path(db))
    path = config or DEFAULT_CONFIG
    if config is None and not path.exists():
        raise SessionError(
            f"no database configured for SSH sessions: put CALLLOG_DATABASE_URL in {path} "
            "or --db PATH on the ForceCommand line"
        )
    url = read_config(path).get("CALLLOG_DATABASE_URL", "")
    if not url:
        raise SessionError(f"{path} sets no CALLLOG_DATABASE_URL")
    return url


# --- the clean environment -----------------------------------------------------------


def _terminfo_exists(name: str) -> bool:
    for folder in TERMINFO_DIRS:
        base = Path(folder)
        if (base / name[0] / name).exists() or (base / f"{ord(name[0]):x}" / name).exists():
            return True
    return False


def clean_term(value: str | None) -> str:
    """The client's TERM if it is a plain name this machine knows, else xterm-256color
    (OpenSSH forwards TERM but not COLORTERM: 256 colours is the target)."""
    if (
        value
        and _TERM_NAME.fullmatch(value)
        and value.lower() not in _UNUSABLE_TERMS
        and _terminfo_exists(value)
    ):
        return value
    return DEFAULT_TERM


def _locale_available(name: str) -> bool:
    try:
        old = locale.setlocale(locale.LC_CTYPE)
    except locale.Error:  # pragma: no cover - the current locale is always readable
        return False
    try:
        locale.setlocale(locale.LC_CTYPE, name)
    except locale.Error:
        return False
    finally:
        locale.setlocale(locale.LC_CTYPE, old)
    return True


def clean_locale(environ: Mapping[str, str]) -> str:
    """The first of the client's LC_ALL, LC_CTYPE, LANG that names a UTF-8 locale
    installed here; C.UTF-8 otherwise."""
    for key in ("LC_ALL", "LC_CTYPE", "LANG"):
        value = environ.get(key, "")
        if value and _UTF8_LOCALE.fullmatch(value) and _locale_available(value):
            return value
    return FALLBACK_LOCALE


def clean_environment(environ: Mapping[str, str], url: str) -> dict[str, str]:
    """Everything the app gets: nothing else from ``environ`` survives."""
    account = pwd.getpwuid(os.getuid())
    return {
        "TERM": clean_term(environ.get("TERM")),
        "LANG": clean_locale(environ),
        "HOME": account.pw_dir,
        "USER": account.pw_name,
        "LOGNAME": account.pw_name,
        "PATH": SAFE_PATH,
        "CALLLOG_DATABASE_URL": url,
    }


def app_command(python: str) -> list[str]:
    """The re-exec: this interpreter, isolated (-I ignores PYTHON* variables and keeps
    the current folder off sys.path), UTF-8 mode, calllog with mouse reporting off."""
    package_root = str(Path(__file__).resolve().parent.parent)
    return [python, "-I", "-X", "utf8", "-c", _BOOTSTRAP, package_root, "--no-mouse"]


# --- entry points --------------------------------------------------------------------


def _fail(message: str) -> NoReturn:
    print(f"calllog: {message}", file=sys.stderr, flush=True)
    raise SystemExit(EXIT_USAGE)


def run_session(db: str | None = None, config: str | None = None) -> NoReturn:
    """Check the terminal, build the clean environment and become the app."""
    if not has_terminal():
        _fail("this connection has no terminal; connect with: ssh -t (this account runs "
              "calllog only)")
    python = sys.executable
    if not python or not Path(python).is_absolute():
        _fail("cannot find the Python interpreter to start calllog")
    try:
        url = database_url(db, Path(config) if config else None)
    except SessionError as error:
        _fail(str(error))
    env = clean_environment(os.environ, url)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(python, app_command(python), env)  # noqa: S606 - no shell, on purpose


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message}\n")


def build_parser(prog: str = "calllog-ssh") -> argparse.ArgumentParser:
    parser = _Parser(
        prog=prog,
        description="Start calllog for an SSH login (use as the OpenSSH ForceCommand). "
        "The client's command and environment are ignored.",
    )
    add_arguments(parser)
    return parser


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="PATH",
                        help="the SQLite database (else CALLLOG_DATABASE_URL in the config)")
    parser.add_argument("--config", metavar="FILE",
                        help=f"server settings file (default: {DEFAULT_CONFIG})")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    run_session(args.db, args.config)


if __name__ == "__main__":
    raise SystemExit(main())
