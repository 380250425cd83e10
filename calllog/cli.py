"""The ``calllog`` command: starts the app, and the administrators' sub-commands.

Bad input gets one line on stderr and exit status 2, never a traceback.
Passwords are read with a hidden prompt, never from arguments.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from calllog.db import Store
    from calllog.roles import Actor

EXIT_USAGE = 2
EXIT_STATUSES = """exit status:
  0    done
  1    a check found problems (audit verify), or a fault of calllog's own
  2    bad input, or a database this calllog cannot use as set up (missing,
       readable by everyone, made by a newer calllog)
  3    a storage fault (disk full, read-only, not a calllog database, damaged,
       …): the message names the file and what to do
  130  stopped with ctrl+c; nothing more was changed"""


class UsageError(Exception):
    """A one-line problem with what was typed."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (try: {self.prog} --help)\n")


def read_secret(prompt: str) -> str:
    """Hidden prompt on a terminal; one line of standard input otherwise (scripts)."""
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    print(prompt, end="", file=sys.stderr, flush=True)
    line = sys.stdin.readline()
    if not line:
        raise UsageError("no password given on standard input")
    return line.rstrip("\n")


def read_line(prompt: str) -> str:
    if sys.stdin.isatty():
        return input(prompt)
    print(prompt, end="", file=sys.stderr, flush=True)
    return sys.stdin.readline().rstrip("\n")


def new_password(prompt: str) -> str:
    from calllog import passwords

    first = read_secret(prompt)
    passwords.check_strength(first)
    if read_secret("Type it again: ") != first:
        raise UsageError("the two passwords differ; nothing was changed")
    return first


def _dmy(text: str) -> date:
    from calllog.validation import ValidationError, parse_date

    try:
        return parse_date(text)
    except ValidationError as error:
        raise argparse.ArgumentTypeError(error.message) from None


def _open(args: argparse.Namespace, *, create: bool = False) -> Store:
    from calllog.config import database_url
    from calllog.db import Store

    return Store(database_url(args.db), create=create)


def _act_as(store: Store, username: str) -> Actor:
    from calllog.services import accounts

    return accounts.login(store, username, read_secret(f"Password for {username}: "))


def _profile_key(store: Store) -> str:
    from calllog.services import settings

    return settings.get(store, settings.PROFILE) or ""


# --- commands ---------------------------------------------------------------------------


def cmd_run(args: argparse.Namespace) -> int:
    from calllog.config import database_url, sqlite_path

    url = database_url(args.db)
    path = sqlite_path(url)
    if path is not None and not path.exists():
        raise UsageError(f"no database at {path}; set one up with: calllog init --db {path}")
    from screens.run import run_app

    return run_app(url, mouse=not args.no_mouse)


def cmd_demo(args: argparse.Namespace) -> int:
    from calllog import demo
    from calllog.config import database_url, demo_database_url
    from calllog.db import Store
    from calllog.demo_accounts import DEMO_PROFILE, credentials_text

    url = database_url(args.db) if args.db else demo_database_url()
    store = Store(url, create=True)
    created = demo.ensure_demo(store, args.profile or DEMO_PROFILE)
    if created:
        demo.seed_families(store)
    store.close()
    print(("Created" if created else "Using") + " the demo database " + url.split("///")[-1])
    print(credentials_text())
    if args.no_start:
        return 0
    if sys.stdin.isatty():
        input("Press Enter to start calllog… ")
    from screens.run import run_app

    return run_app(url, mouse=not args.no_mouse)


def cmd_init(args: argparse.Namespace) -> int:
    from calllog.profiles import available_profiles, load_profile
    from calllog.services import staff

    profile_arg = args.profile
    if not profile_arg:
        choices = available_profiles()
        if not sys.stdin.isatty():
            raise UsageError("choose a service profile with --profile: " + ", ".join(choices))
        for number, key in enumerate(choices, start=1):
            print(f"  {number}. {key}  ({load_profile(key).name})")
        picked = read_line("Service profile number: ").strip()
        if not picked.isdigit() or not 1 <= int(picked) <= len(choices):
            raise UsageError(f"type a number from 1 to {len(choices)}")
        profile_arg = choices[int(picked) - 1]
    profile = load_profile(profile_arg)
    is_file = os.sep in profile_arg or profile_arg.endswith(".toml")
    key = str(Path(profile_arg).resolve()) if is_file else profile.key
    username = args.admin or read_line("First administrator's username: ")
    staff.check_username(username)
    name = args.name or read_line("Their full name: ")
    staff.check_display_name(name)
    password = new_password(f"Password for {username} (at least 12 characters): ")
    store = _open(args, create=True)
    admin = staff.initialise_service(
        store, profile_key=key, username=username, display_name=name, password=password,
    )
    print(f"Set up {profile.name} with administrator {admin.username}.")
    print("Next: record their DBS check with `calllog staff set-dbs`, then add staff.")
    return 0


def cmd_staff_add(args: argparse.Namespace) -> int:
    from calllog.services import staff

    store = _open(args)
    staff.check_username(args.username)
    staff.check_display_name(args.name)
    staff.check_role(args.role)
    staff.check_dbs(args.dbs_date, args.dbs_ref)
    actor = _act_as(store, args.acting)
    password = new_password(f"New password for {args.username} (at least 12 characters): ")
    view = staff.add_staff(
        store, actor, username=args.username, display_name=args.name, role=args.role,
        password=password, dbs_checked_on=args.dbs_date, dbs_reference=args.dbs_ref,
    )
    dbs = "" if view.dbs_recorded else " No DBS check recorded yet: family records are closed."
    print(f"Added {view.username} ({view.role.value}).{dbs}")
    return 0


def cmd_staff_list(args: argparse.Namespace) -> int:
    from calllog.profiles import load_profile
    from calllog.services import staff

    store = _open(args)
    actor = _act_as(store, args.acting)
    profile = load_profile(_profile_key(store))
    rows = staff.list_staff(store, actor, profile.dbs_visible_to)
    print(f"{'username':<16} {'role':<14} {'status':<9} DBS")
    for row in rows:
        status = "disabled" if not row.active else "locked" if row.locked else "active"
        if row.dbs_checked_on is not None:
            dbs = f"{row.dbs_checked_on:%d/%m/%Y} {row.dbs_reference}"
        else:
            dbs = "recorded" if row.dbs_recorded else "NOT RECORDED"
        print(f"{row.username:<16} {row.role.value:<14} {status:<9} {dbs}")
    return 0


def _simple(change: Callable[[Store, Actor, str], None], done: str) -> Callable[..., int]:
    def run(args: argparse.Namespace) -> int:
        store = _open(args)
        actor = _act_as(store, args.acting)
        change(store, actor, args.username)
        print(done.format(username=args.username.strip().lower()))
        return 0

    return run


def _set_active(active: bool) -> Callable[[Store, Actor, str], None]:
    def change(store: Store, actor: Actor, username: str) -> None:
        from calllog.services import staff

        staff.set_active(store, actor, username, active)

    return change


def _unlock(store: Store, actor: Actor, username: str) -> None:
    from calllog.services import staff

    staff.unlock(store, actor, username)


def cmd_staff_reset(args: argparse.Namespace) -> int:
    from calllog.services import staff

    store = _open(args)
    actor = _act_as(store, args.acting)
    password = new_password(f"New password for {args.username} (at least 12 characters): ")
    staff.reset_password(store, actor, args.username, password)
    print(f"Password reset for {args.username}; the account is unlocked.")
    return 0


def cmd_staff_dbs(args: argparse.Namespace) -> int:
    from calllog.services import staff

    staff.check_dbs(args.date, args.ref)
    store = _open(args)
    actor = _act_as(store, args.acting)
    staff.record_dbs(store, actor, args.username, args.date, args.ref)
    print(f"DBS check recorded for {args.username}.")
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from calllog.config import describe
    from calllog.db import current_revision

    store = _open(args)
    print(f"{describe(store.url)} is at schema {current_revision(store.engine)}.")
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    """REL2: the store read-only (never created, migrated or written), then the chain;
    every problem found, each with where it is."""
    from calllog import storecheck
    from calllog.config import database_url

    report = storecheck.check(database_url(args.db), expect_head=args.expect_head)
    chain = report.chain
    if report.ok and chain is not None:
        print(f"Audit log intact: {chain.rows} rows. Chain head: {chain.head}")
        print(f"Store checked: integrity ok, schema {report.revision}, append-only "
              "triggers present.")
        print("Publish the chain head outside the database to detect rows cut from the end.")
        return 0
    count = len(report.problems)
    print(f"calllog: {count} problem{'s' if count > 1 else ''} in {report.where}:",
          file=sys.stderr)
    for problem in report.problems:
        print(f"  {problem.where}: {problem.what}", file=sys.stderr)
    if chain is not None and not chain.ok:
        print(
            f"Audit log BROKEN at row {chain.first_bad_id}: {chain.problem}. "
            f"{chain.rows} rows before it are intact.",
            file=sys.stderr,
        )
    return 1


def cmd_ssh_session(args: argparse.Namespace) -> int:
    from calllog.sshsession import run_session

    run_session(args.db, args.config)


def cmd_profile_check(args: argparse.Namespace) -> int:
    from calllog.profiles import check_profile

    problems = check_profile(args.file)
    for line in problems:
        print(line, file=sys.stderr)
    if problems:
        return EXIT_USAGE
    print(f"{args.file}: fine")
    return 0


def cmd_profile_list(args: argparse.Namespace) -> int:
    from calllog.profiles import available_profiles, load_profile

    for key in available_profiles():
        print(f"{key:<24} {load_profile(key).name}")
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    """REL1: the latest faults from the crash log (types and places, never values)."""
    from calllog import crashlog

    found = crashlog.entries(args.last)
    if not found:
        print(f"No faults recorded ({crashlog.log_path()}).")
        return 0
    print(f"The latest {len(found)} fault(s), newest first, from {crashlog.log_path()}:")
    for entry in found:
        print(f"\n{entry.reference}  {entry.when}")
        lines = entry.lines if args.full else entry.lines[:2] + entry.lines[-1:]
        for line in lines:
            print(line)
    return 0


# --- parser -----------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    db = _Parser(add_help=False)
    db.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                    help="SQLite database file (default: CALLLOG_DATABASE_URL, then the "
                         "user data folder)")
    acting = _Parser(add_help=False)
    acting.add_argument("--as", dest="acting", metavar="USERNAME", required=True,
                        help="your own account; you are asked for its password")

    parser = _Parser(prog="calllog", description="Confidential call logger for parent-support "
                     "helplines.", parents=[db], epilog=EXIT_STATUSES,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-mouse", action="store_true", help="turn mouse reporting off")
    parser.set_defaults(func=cmd_run, db=None)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("demo", parents=[db], help="start on a demo database (synthetic data)")
    p.add_argument("--profile", help="service profile for a new demo database")
    p.add_argument("--no-start", action="store_true", help="set up and print, do not start")
    p.add_argument("--no-mouse", action="store_true")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("init", parents=[db], help="set up a service: profile, first administrator")
    p.add_argument("--profile", help="a profile name (see `calllog profile list`) or a .toml file")
    p.add_argument("--admin", metavar="USERNAME", help="the first administrator's username")
    p.add_argument("--name", help="the first administrator's full name")
    p.set_defaults(func=cmd_init)

    staff = sub.add_parser("staff", help="staff accounts").add_subparsers(
        title="staff commands", metavar="ACTION", required=True, parser_class=_Parser)
    p = staff.add_parser("add", parents=[db, acting], help="add an account")
    p.add_argument("username")
    p.add_argument("--name", required=True, help="their full name")
    p.add_argument("--role", required=True, help="adviser, supervisor or administrator")
    p.add_argument("--dbs-date", type=_dmy, metavar="DD/MM/YYYY", help="date of DBS check")
    p.add_argument("--dbs-ref", metavar="REF", help="DBS certificate reference")
    p.set_defaults(func=cmd_staff_add)
    p = staff.add_parser("list", parents=[db, acting], help="list accounts")
    p.set_defaults(func=cmd_staff_list)

    for name, helptext, change, done in (
        ("disable", "disable an account", _set_active(False), "Disabled {username}."),
        ("enable", "enable a disabled account", _set_active(True), "Enabled {username}."),
        ("unlock", "unlock an account locked by failed logins", _unlock, "Unlocked {username}."),
    ):
        p = staff.add_parser(name, parents=[db, acting], help=helptext)
        p.add_argument("username")
        p.set_defaults(func=_simple(change, done))
    p = staff.add_parser("reset-password", parents=[db, acting], help="set a new password")
    p.add_argument("username")
    p.set_defaults(func=cmd_staff_reset)
    p = staff.add_parser("set-dbs", parents=[db, acting], help="record a DBS check")
    p.add_argument("username")
    p.add_argument("--date", type=_dmy, required=True, metavar="DD/MM/YYYY")
    p.add_argument("--ref", required=True, metavar="REF")
    p.set_defaults(func=cmd_staff_dbs)

    dbp = sub.add_parser("db", help="database").add_subparsers(
        title="db commands", metavar="ACTION", required=True, parser_class=_Parser)
    p = dbp.add_parser("upgrade", parents=[db], help="apply schema migrations")
    p.set_defaults(func=cmd_db_upgrade)

    aud = sub.add_parser("audit", help="audit log").add_subparsers(
        title="audit commands", metavar="ACTION", required=True, parser_class=_Parser)
    p = aud.add_parser("verify", parents=[db], help="check the store read-only (integrity, "
                       "schema, append-only triggers) and the hash chain; exit 1 if broken")
    p.add_argument("--expect-head", metavar="HASH", help="the chain head you published")
    p.set_defaults(func=cmd_audit_verify)

    p = sub.add_parser("doctor", help="the latest faults from the crash log (no personal data)")
    p.add_argument("--last", type=int, default=5, metavar="N", help="how many (default 5)")
    p.add_argument("--full", action="store_true", help="every place, not only the last")
    p.set_defaults(func=cmd_doctor)

    prof = sub.add_parser("profile", help="service profiles").add_subparsers(
        title="profile commands", metavar="ACTION", required=True, parser_class=_Parser)
    p = prof.add_parser("check", help="validate a profile file")
    p.add_argument("file")
    p.set_defaults(func=cmd_profile_check)
    p = prof.add_parser("list", help="the shipped profiles")
    p.set_defaults(func=cmd_profile_list)

    from calllog.sshsession import add_arguments as ssh_arguments

    p = sub.add_parser("ssh-session", help="start calllog for an SSH login (the sshd "
                       "ForceCommand; see docs/ssh.md)")
    ssh_arguments(p)
    p.set_defaults(func=cmd_ssh_session)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    os.umask(0o077)  # anything calllog creates is this account's alone
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("\ncalllog: stopped; nothing more was changed.", file=sys.stderr)
        return 130
    except Exception as error:  # one line, never a traceback, nothing personal
        print(f"calllog: {_one_line(error)}", file=sys.stderr)
        return _exit_status(error)


def _exit_status(error: Exception) -> int:
    """2: bad input; 3: a storage fault (StoreFault); 1: a fault of calllog's own."""
    code = getattr(error, "exit_code", None)
    if isinstance(code, int):
        return code
    return EXIT_USAGE if _is_user_error(error) else 1


def _is_user_error(error: Exception) -> bool:
    from calllog.errors import CalllogError

    names = {"ValidationError", "ProfileError"}
    return isinstance(error, (UsageError, CalllogError)) or type(error).__name__ in names


def _one_line(error: Exception) -> str:
    if _is_user_error(error):
        text = getattr(error, "message", None) or str(error)
        return " ".join(text.split())
    return f"unexpected error ({type(error).__name__}); please report it to your administrator."


if __name__ == "__main__":
    raise SystemExit(main())
