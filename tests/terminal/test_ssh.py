"""OPS3 over a real OpenSSH server: calllog as the only program an SSH login runs.

The entry point's rules first (fast, no server): the clean environment, where the
database comes from, no terminal → refused. Then a throwaway ``sshd`` on
127.0.0.1 (its own host key, config and authorized_keys in a temporary folder;
``ForceCommand`` = the calllog entry point, in a ``Match`` block like docs/ssh.md),
driven by a real ``ssh`` client inside tmux at 80x24:

* ``ssh host /bin/sh -c id`` runs calllog, never the command: refused without a
  terminal (exit 2, one line), the calllog login screen with one;
* a client's ``TEXTUAL_ALLOW_SIGNALS`` and other variables reach sshd (it was told
  to accept them) but not the app: its environment is exactly the clean one, and
  ctrl+c still cannot kill it;
* ``-L`` and ``-R`` forwarding are refused;
* dropping the connection mid-enquiry ends the server-side process within seconds
  with the draft saved and a ``session_ended`` row; reconnecting offers the draft;
* escape sequences in stored text never reach the client's terminal.

Without ``sshd`` these are skipped, except in CI (``CI=true``), where ``.ci/run``
installs openssh-server and a missing sshd is a failure. They need root (the
test logs in as root: sshd can only switch to another account when run as root).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import termios
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlmodel import col, select

from calllog import audit, sshsession
from calllog.db import Store
from calllog.models import AuditEvent, Staff
from calllog.services import drafts
from calllog.services.staff import check_display_name
from calllog.text import clean_text
from tests.conftest import PASSWORDS
from tests.ptyhelpers import (
    PYTHON,
    REPO,
    Tmux,
    app_env,
    environ_of,
    gone,
    have_tmux,
    pids_with_environ,
    require,
    wait_until,
)

SSHD = Path("/usr/sbin/sshd")
SERVICE = "Partnership with Parents (PwP), Surrey"
HOME_TEXT = "Log a new enquiry"
FORM_TEXT = "Record only what is directly relevant"
CLEAN_KEYS = {"TERM", "LANG", "HOME", "USER", "LOGNAME", "PATH", "CALLLOG_DATABASE_URL"}


# --- the entry point's rules (no server) ---------------------------------------------------


def test_ops3_clean_environment_keeps_only_what_the_app_needs(tmp_path: Path) -> None:
    client = {
        "TERM": "screen", "LANG": "xx_XX.bogus", "LC_ALL": "en_GB.ISO-8859-1",
        "TEXTUAL_ALLOW_SIGNALS": "1", "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver",
        "TEXTUAL_SCREENSHOT": "1", "COLORTERM": "truecolor", "PYTHONPATH": "/tmp/evil",
        "PYTHONSTARTUP": "/tmp/evil.py", "LD_PRELOAD": "/tmp/evil.so",
        "SSH_ORIGINAL_COMMAND": "/bin/sh", "CALLLOG_DATABASE_URL": "sqlite:////tmp/client.db",
        "PATH": "/tmp/evil:/usr/bin", "EDITOR": "vi", "PAGER": "less",
    }
    env = sshsession.clean_environment(client, "sqlite:////srv/calllog/calllog.sqlite3")
    account = pwd.getpwuid(os.getuid())
    assert env == {
        "TERM": "screen", "LANG": "C.UTF-8", "HOME": account.pw_dir, "USER": account.pw_name,
        "LOGNAME": account.pw_name, "PATH": sshsession.SAFE_PATH,
        "CALLLOG_DATABASE_URL": "sqlite:////srv/calllog/calllog.sqlite3",
    }
    command = sshsession.app_command("/opt/calllog/bin/python")
    assert command[:4] == ["/opt/calllog/bin/python", "-I", "-X", "utf8"]  # isolated mode
    assert command[-1] == "--no-mouse"


@pytest.mark.parametrize(("client", "kept"), [
    ("xterm", "xterm"), ("screen", "screen"), ("xterm-256color", "xterm-256color"),
    (None, "xterm-256color"), ("", "xterm-256color"), ("dumb", "xterm-256color"),
    ("no-such-terminal", "xterm-256color"), ("../../../etc/passwd", "xterm-256color"),
    ("xterm\x1b]52;c;x\x07", "xterm-256color"),
])
def test_ops3_term_kept_only_if_known(client: str | None, kept: str) -> None:
    assert sshsession.clean_term(client) == kept


def test_ops3_locale_is_utf8() -> None:
    assert sshsession.clean_locale({"LANG": "C.UTF-8"}) == "C.UTF-8"
    assert sshsession.clean_locale({"LC_ALL": "de_DE.ISO-8859-1", "LANG": "x"}) == "C.UTF-8"
    assert sshsession.clean_locale({"LANG": "$(reboot).UTF-8"}) == "C.UTF-8"
    assert sshsession.clean_locale({}) == "C.UTF-8"


def test_ops3_database_comes_from_the_server_only(tmp_path: Path) -> None:
    config = tmp_path / "calllog.env"
    config.write_text("# calllog for SSH logins\nCALLLOG_DATABASE_URL='sqlite:////srv/a.db'\n")
    config.chmod(0o644)
    assert sshsession.database_url(None, config) == "sqlite:////srv/a.db"
    assert sshsession.database_url(str(tmp_path / "b.db"), config).endswith("/b.db")  # --db wins
    config.chmod(0o664)
    with pytest.raises(sshsession.SessionError, match="changed by other accounts"):
        sshsession.database_url(None, config)
    config.chmod(0o644)
    config.write_text("CALLLOG_DATABASE_URL=sqlite:////srv/a.db\nTEXTUAL_DEBUG=1\n")
    with pytest.raises(sshsession.SessionError, match="line 2"):
        sshsession.database_url(None, config)
    with pytest.raises(sshsession.SessionError, match="does-not-exist"):
        sshsession.database_url(None, tmp_path / "does-not-exist")


@pytest.mark.parametrize("entry", [["-m", "calllog.sshsession"], ["-m", "calllog.cli",
                                                                   "ssh-session"]])
def test_ops3_no_terminal_is_refused_with_one_line(tmp_path: Path, entry: list[str]) -> None:
    done = subprocess.run(
        [PYTHON, *entry, "--db", str(tmp_path / "x.db")], stdin=subprocess.DEVNULL,
        capture_output=True, text=True, timeout=30, cwd=REPO,
        env=app_env(SSH_ORIGINAL_COMMAND="/bin/sh -c id"),
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "no terminal" in done.stderr


FORBIDDEN = re.compile(
    r"\bsubprocess\b|os\.system|os\.exec|os\.spawn|os\.popen|\bpty\b|webbrowser|EDITOR|PAGER"
    r"|suspend_process|App\.suspend|\.suspend\(|save_screenshot|deliver_screenshot"
    r"|action_screenshot|open_url|DirectoryTree|shell=True"
)


def test_ops3_nothing_in_the_app_leads_out_of_it() -> None:
    """No shell, editor, pager, browser, file browser, suspend or screenshot file:
    nothing in calllog or its screens can start a program (the SSH entry point's
    own re-exec of the interpreter is the one exception)."""
    found = []
    for path in sorted([*(REPO / "calllog").rglob("*.py"), *(REPO / "screens").rglob("*.py")]):
        if path.name == "sshsession.py":
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            code = line.split("#", 1)[0]
            if FORBIDDEN.search(code) and not code.lstrip().startswith(('"', "'")):
                found.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)


# --- a real sshd ---------------------------------------------------------------------------


@dataclass
class Server:
    dir: Path
    port: int
    user: str
    key: Path
    log: Path
    config_file: Path  # the calllog.env the ForceCommand reads
    template_db: Path

    def ssh(self, *args: str) -> list[str]:
        return [
            "ssh", "-F", "/dev/null", "-p", str(self.port), "-i", str(self.key),
            "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
            "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
            "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=10", *args,
            f"{self.user}@127.0.0.1",
        ]

    def client_env(self, **extra: str) -> dict[str, str]:
        env = {"PATH": "/usr/bin:/bin", "HOME": str(self.dir), "TERM": "xterm-256color",
               "LANG": "C.UTF-8"}
        env.update(extra)
        return env

    def use_database(self, name: str) -> Path:
        """A fresh copy of the demo database, and point the ForceCommand at it."""
        path = self.dir / f"{name}.sqlite3"
        shutil.copy2(self.template_db, path)
        self.config_file.write_text(f"CALLLOG_DATABASE_URL=sqlite:///{path}\n")
        self.config_file.chmod(0o644)
        self.forget_client_envs()
        return path

    def forget_client_envs(self) -> None:
        for path in self.dir.glob("client-env.*"):
            path.unlink()

    def client_envs(self) -> list[dict[str, str]]:
        """What sshd handed the ForceCommand (recorded before the entry point runs)."""
        files = sorted(self.dir.glob("client-env.*"), key=lambda p: p.stat().st_mtime)
        envs = []
        for path in files:
            pairs = (line.partition("=") for line in path.read_text().splitlines())
            envs.append({k: v for k, _, v in pairs})
        return envs


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _launcher() -> str:
    script = Path(PYTHON).parent / "calllog-ssh"  # installed console script (CI)
    if script.exists():
        return shlex.quote(str(script))
    return f"env PYTHONPATH={shlex.quote(str(REPO))} {shlex.quote(PYTHON)} -m calllog.sshsession"


SSHD_CONFIG = """\
ListenAddress 127.0.0.1
Port {port}
HostKey {dir}/host_ed25519
PidFile {dir}/sshd.pid
AuthorizedKeysFile {dir}/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
PermitUserEnvironment no
# Deliberately generous, to show the entry point's scrub works even then:
AcceptEnv LANG LC_* TEXTUAL_*
Subsystem sftp internal-sftp
LogLevel VERBOSE

Match User {user}
    ForceCommand env > {dir}/client-env.$$; exec {launcher} --config {dir}/calllog.env
    PermitTTY yes
    DisableForwarding yes
    AllowTcpForwarding no
    AllowAgentForwarding no
    AllowStreamLocalForwarding no
    X11Forwarding no
    PermitTunnel no
    PermitUserRC no
    ClientAliveInterval 30
    ClientAliveCountMax 3
"""


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    require(SSHD.exists(), "OpenSSH server (/usr/sbin/sshd) is not installed")
    require(shutil.which("ssh") is not None and shutil.which("ssh-keygen") is not None,
            "the OpenSSH client is not installed")
    require(have_tmux(), "tmux is not installed")
    require(os.geteuid() == 0, "a real sshd test needs root")
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege-separation folder
    folder = Path(tempfile.mkdtemp(prefix="calllog-sshd-"))
    process: subprocess.Popen[bytes] | None = None
    try:
        for name in ("host_ed25519", "client_ed25519"):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name,
                            "-f", str(folder / name)], check=True, timeout=30)
        shutil.copy(folder / "client_ed25519.pub", folder / "authorized_keys")
        template = folder / "template.sqlite3"
        subprocess.run([PYTHON, "-m", "calllog.cli", "demo", "--no-start", "--db", str(template)],
                       check=True, timeout=60, cwd=REPO, env=app_env(), capture_output=True)
        user = pwd.getpwuid(os.getuid()).pw_name
        port = _free_port()
        config = folder / "sshd_config"
        config.write_text(SSHD_CONFIG.format(port=port, dir=folder, user=user,
                                             launcher=_launcher()))
        checked = subprocess.run([str(SSHD), "-t", "-f", str(config)], capture_output=True,
                                 text=True, timeout=30)
        assert checked.returncode == 0, f"sshd -t: {checked.stderr}"
        log = folder / "sshd.log"
        with log.open("wb") as sink:
            process = subprocess.Popen([str(SSHD), "-D", "-e", "-f", str(config)],
                                       stdout=sink, stderr=subprocess.STDOUT)

        def listening() -> bool:
            assert process is not None and process.poll() is None, log.read_text()
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                return True
            return False

        wait_until(listening, 10, "sshd to listen")
        yield Server(folder, port, user, folder / "client_ed25519", log,
                     folder / "calllog.env", template)
    finally:
        for pid in pids_with_environ(str(folder)):  # calllog sessions this sshd started
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if process is not None:
            process.terminate()
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    server = Tmux()
    try:
        yield server
    finally:
        server.close()


def _connect(server: Server, tmux: Tmux, *command: str, name: str = "main",
             **client_env: str) -> None:
    tmux.start(server.ssh("-tt") + list(command), server.client_env(**client_env), name=name)


def _app_pid(db: Path, timeout: float = 15.0) -> int:
    """The server-side calllog process serving the database ``db``."""
    found: list[int] = []

    def one() -> bool:
        found[:] = pids_with_environ(f"sqlite:///{db}")
        return len(found) == 1

    wait_until(one, timeout, f"one calllog process for {db.name}")
    return found[0]


def _log_in(tmux: Tmux, name: str = "main") -> None:
    tmux.wait_for(SERVICE, name)
    tmux.type("adviser", name)
    tmux.keys("Enter", name=name)
    tmux.type(PASSWORDS["adviser"], name)
    tmux.keys("Enter", name=name)
    tmux.wait_for(HOME_TEXT, name)


def _staff_id(store: Store, username: str) -> int:
    with store.read() as session:
        staff = session.exec(select(Staff).where(Staff.username == username)).one()
    assert staff.id is not None
    return staff.id


slow = pytest.mark.slow


@slow
def test_ops3_ssh_without_terminal_runs_nothing(server: Server) -> None:
    server.use_database("noterm")
    for extra, command in (([], ["/bin/sh", "-c", "id"]), (["-T"], []),
                           (["-s"], ["sftp"]), ([], ["cat /etc/passwd"])):
        done = subprocess.run(server.ssh(*extra) + command, capture_output=True, text=True,
                              timeout=30, env=server.client_env(), stdin=subprocess.DEVNULL)
        assert done.returncode == 2, (command, done.returncode, done.stderr)
        if extra != ["-s"]:  # sshd drops a subsystem's standard error
            assert "no terminal" in done.stderr
        assert "uid=" not in done.stdout and "root:" not in done.stdout
    asked = [env.get("SSH_ORIGINAL_COMMAND") for env in server.client_envs()]
    assert "/bin/sh -c id" in asked  # sshd had the command; calllog ignored it


@slow
def test_ops3_ssh_shows_calllog_with_a_clean_environment(server: Server, tmux: Tmux) -> None:
    db = server.use_database("clean")
    _connect(server, tmux, "-o", "SendEnv=TEXTUAL_*", "-o", "SendEnv=LC_ALL", "/bin/sh", "-c",
             "id", TEXTUAL_ALLOW_SIGNALS="1", TEXTUAL_DEBUG="1", LC_ALL="xx_XX.bogus",
             TEXTUAL_DRIVER="textual.drivers.web_driver:WebDriver")
    shown = tmux.wait_for(SERVICE)
    assert "Username" in shown and "uid=" not in shown
    pid = _app_pid(db)
    # sshd accepted the client's variables (AcceptEnv TEXTUAL_*) ...
    assert any(env.get("TEXTUAL_ALLOW_SIGNALS") == "1" for env in server.client_envs())
    # ... and the app never saw them.
    env = environ_of(pid)
    assert set(env) == CLEAN_KEYS, env
    assert env["TERM"] == "xterm-256color" and env["LANG"] == "C.UTF-8"
    assert env["CALLLOG_DATABASE_URL"] == f"sqlite:///{db}"
    with Path(f"/proc/{pid}/fd/0").open("rb", buffering=0) as terminal:  # the session's pty
        lflag = termios.tcgetattr(terminal.fileno())[3]
    assert not lflag & termios.ISIG, "ctrl+c would send SIGINT"
    tmux.keys("C-c", "C-z", "C-backslash")
    time.sleep(0.5)
    assert not gone(pid)
    tmux.type("still-here")  # neither killed nor stopped: it still takes keys
    tmux.wait_for("still-here")


@slow
def test_ops3_ssh_forwarding_refused(server: Server) -> None:
    server.use_database("forward")
    local = _free_port()
    tunnel = subprocess.Popen(server.ssh("-N", "-L", f"{local}:127.0.0.1:{server.port}"),
                              env=server.client_env(), stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        def forwarded() -> bool:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", local), 1):
                return True
            return False

        wait_until(forwarded, 10, "the ssh client to listen on the forwarded port")
        with socket.create_connection(("127.0.0.1", local), 5) as s:
            s.settimeout(5)
            try:
                received = s.recv(100)
            except ConnectionResetError:
                received = b""
        assert not received.startswith(b"SSH-"), "the local forward reached sshd"
        wait_until(lambda: "refused local port forward" in server.log.read_text(), 5,
                   "sshd to log the refusal")
    finally:
        tunnel.kill()
        tunnel.wait(5)
    remote = subprocess.run(server.ssh("-N", "-o", "ExitOnForwardFailure=yes", "-R",
                                       f"0:127.0.0.1:{server.port}"),
                            capture_output=True, text=True, timeout=30,
                            env=server.client_env(), stdin=subprocess.DEVNULL)
    assert remote.returncode != 0 and "forwarding failed" in remote.stderr


@slow
def test_ops3_dropped_connection_keeps_the_enquiry(server: Server, tmux: Tmux) -> None:
    db = server.use_database("drop")
    store = Store(f"sqlite:///{db}", create=False)
    try:
        adviser = _staff_id(store, "adviser")
        _connect(server, tmux)
        _log_in(tmux)
        pid = _app_pid(db)
        tmux.keys("n")
        tmux.wait_for(FORM_TEXT)
        tmux.keys("Tab", "Tab")
        note = "Mum asked about the EHCP annual review"
        tmux.type(note, pause=0.05)
        os.kill(tmux.pane_pid(), signal.SIGKILL)  # the ssh client dies: the connection drops
        dropped = time.monotonic()
        wait_until(lambda: gone(pid), 5, "the server-side calllog to end")
        assert time.monotonic() - dropped < 3.0
        draft = drafts.load(store, adviser, "enquiry")
        assert draft is not None and draft["notes"] == note
        with store.read() as session:
            last = session.exec(select(AuditEvent).where(AuditEvent.actor_id == adviser)
                                .order_by(col(AuditEvent.id).desc()).limit(1)).one()
            assert audit.verify(session).ok
        assert (last.action, last.reason) == ("session_ended", "SIGHUP")

        _connect(server, tmux, name="again")  # reconnect: the draft is offered
        _log_in(tmux, "again")
        tmux.wait_for("You have an unsaved enquiry", "again")
        tmux.keys("r", name="again")
        tmux.wait_for(note, "again")
    finally:
        store.close()


@slow
def test_ops3_escapes_in_stored_text_never_reach_the_terminal(
    server: Server, tmux: Tmux
) -> None:
    hostile = "Ash \x1b]52;c;SGVsbG8=\x07\x1b[2J\x1b]0;PWNED\x07\x9b6n[bold]Adviser[/]"
    # On the way in: cleaned, and a staff name with control characters is refused.
    assert clean_text(hostile) == "Ash [bold]Adviser[/]"
    with pytest.raises(Exception, match="name"):
        check_display_name(hostile)
    # On the way out: written straight into the database, bypassing every check.
    db = server.use_database("escapes")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE staff SET display_name = ? WHERE username = 'adviser'", (hostile,))
    raw = server.dir / "escapes.out"
    _connect(server, tmux)
    tmux.record(raw)
    _log_in(tmux)
    tmux.wait_for("(Adviser)")
    time.sleep(0.3)
    output = raw.read_bytes()
    assert b"Adviser" in output and b"\x1b[?1049h" in output  # we did record the app
    leaked = [seq for seq in (b"\x1b]52;", b"\x1b[2J", b"\x1b]0;PWNED", b"\xc2\x9b6n")
              if seq in output]
    assert not leaked, f"stored text reached the terminal raw: {leaked}"
    assert "[bold]Adviser[/]" in tmux.capture()  # shown literally, markup not applied


def test_ops3_test_config_is_the_documented_one(tmp_path: Path) -> None:
    """The Match block the tests run under holds every setting docs/ssh.md asks for,
    and the documented drop-in file is one sshd accepts."""
    doc = (REPO / "docs" / "ssh.md").read_text()
    block = doc.split("# /etc/ssh/sshd_config.d/calllog.conf\n", 1)[1].split("```", 1)[0]
    if SSHD.exists():
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
                        str(tmp_path / "host")], check=True, timeout=30)
        config = tmp_path / "sshd_config"
        config.write_text(f"HostKey {tmp_path}/host\n{block}")
        checked = subprocess.run([str(SSHD), "-t", "-f", str(config)], capture_output=True,
                                 text=True, timeout=30)
        assert checked.returncode == 0, checked.stderr
    for setting in ("DisableForwarding yes", "PermitTTY yes", "PermitUserEnvironment no",
                    "ClientAliveInterval 30", "ClientAliveCountMax 3", "X11Forwarding no",
                    "AllowTcpForwarding no", "PermitTunnel no", "AllowAgentForwarding no",
                    "PermitUserRC no"):
        assert setting in doc, setting
        assert setting in SSHD_CONFIG, setting
    assert "restrict,pty,command=" in doc
