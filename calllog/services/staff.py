"""Staff accounts: set-up of the service, adding, disabling, unlocking, password
resets and DBS records (ACC1–ACC4). Every change writes its audit row."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, func, select

from calllog import audit, passwords, policy
from calllog.audit import Action, Entity
from calllog.clock import utcnow
from calllog.db import Store
from calllog.errors import CalllogError, InvalidInput, NotFound
from calllog.models import Staff
from calllog.profiles import service_name
from calllog.roles import Actor, Role
from calllog.services import settings
from calllog.services.accounts import USERNAME_RE, actor_of, normalise_username
from calllog.services.guard import require
from calllog.text import clean_text


@dataclass(frozen=True)
class StaffView:
    id: int
    username: str
    display_name: str
    role: Role
    active: bool
    locked: bool
    dbs_recorded: bool
    dbs_checked_on: date | None  # None unless the viewer may see DBS details
    dbs_reference: str | None


def check_username(username: str) -> str:
    name = normalise_username(username)
    if not USERNAME_RE.match(name):
        raise InvalidInput(
            "Usernames are 2 to 32 characters: lower-case letters, digits, '.', '_' or '-', "
            "starting with a letter."
        )
    return name


def check_display_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned or not cleaned.isprintable() or len(cleaned) > 120:
        raise InvalidInput("Give the person's name (up to 120 characters).")
    return cleaned


def check_role(role: str) -> Role:
    try:
        return Role(role.strip().lower())
    except ValueError:
        raise InvalidInput(
            "Role must be adviser, supervisor or administrator."
        ) from None


def check_dbs(checked_on: date | None, reference: str | None) -> tuple[date | None, str | None]:
    if checked_on is None:
        if reference:
            raise InvalidInput("Give the DBS check date as well as its reference.")
        return None, None
    if checked_on > date.today():
        raise InvalidInput("The DBS check date is in the future.")
    ref = (reference or "").strip()
    if not ref or not ref.isprintable() or len(ref) > 64:
        raise InvalidInput("Give the DBS certificate reference (up to 64 characters).")
    return checked_on, ref


def _check(store: Store, actor: Actor, decision: policy.Decision, action: str) -> None:
    """Refusals are audited (failed authorisation, ASVS 16.3.2) and raised."""
    require(decision, store, actor, what=action, about=Entity.STAFF)


def staff_count(store: Store) -> int:
    with store.read() as session:
        return int(session.exec(select(func.count()).select_from(Staff)).one())


def _new_password_hash(store: Store | None, password: str, username: str,
                       display_name: str, *, profile_key: str | None = None,
                       demo_account: bool = False) -> str:
    """One rule for every new password (ACC2, NIST SP 800-63B): it may not be built
    from the username, the person's name or the service's name, nor be common or a
    pattern. The demo's own accounts (their passwords are printed on the demo's login
    screen) are only checked for length."""
    if demo_account:
        if len(password) < passwords.MIN_LENGTH:
            raise InvalidInput("Demo passwords also need 12 characters.")
        return passwords.rehash(password)
    key = profile_key or (settings.get(store, settings.PROFILE) if store else None)
    service = service_name(key) if key else ""
    return passwords.hash_password(password, password_context(username, display_name, service))


def password_context(username: str, *names: str) -> list[str]:
    """What a password must not contain: the username (three letters or more) and the
    distinctive words of the names given (four letters or more, leaving out words
    every name has)."""
    words = [username.casefold()] if len(username) >= 3 else []
    for name in names:
        for word in re.split(r"[^\w]+", name.casefold()):
            if len(word) >= 4 and word not in _COMMON_WORDS and word not in words:
                words.append(word)
    return words


_COMMON_WORDS = frozenset({"with", "from", "service", "services", "support", "centre",
                           "center", "contact", "information", "advice", "county",
                           "council", "child", "children", "family", "families"})


def initialise_service(
    store: Store, *, profile_key: str, username: str, display_name: str, password: str,
    demo: bool = False,
) -> Actor:
    """`calllog init`: choose the profile and create the first administrator."""
    name = check_username(username)
    display = check_display_name(display_name)
    password_hash = _new_password_hash(None, password, name, display,
                                       profile_key=profile_key, demo_account=demo)
    with store.write() as session:
        if session.exec(select(func.count()).select_from(Staff)).one():
            raise CalllogError("This database is already set up; use `calllog staff add`.")
        settings.put(session, settings.PROFILE, profile_key)
        settings.put(session, settings.DEMO, "yes" if demo else "no")
        staff = Staff(
            username=name, display_name=display, role=Role.ADMINISTRATOR.value,
            password_hash=password_hash,
        )
        session.add(staff)
        session.flush()
        audit.record(session, Action.SERVICE_INITIALISED, actor_id=staff.id,
                     entity=Entity.STAFF, entity_id=staff.id)
        audit.record(session, Action.STAFF_ADDED, actor_id=staff.id,
                     entity=Entity.STAFF, entity_id=staff.id)
        return actor_of(staff)


def add_staff(
    store: Store, actor: Actor, *, username: str, display_name: str, role: str,
    password: str, dbs_checked_on: date | None = None, dbs_reference: str | None = None,
    demo_account: bool = False,
) -> StaffView:
    """A new account. ``demo_account``: one of the demo's published accounts."""
    _check(store, actor, policy.may_manage_staff(actor), "add staff")
    name = check_username(username)
    display = check_display_name(display_name)
    the_role = check_role(role)
    checked_on, reference = check_dbs(dbs_checked_on, dbs_reference)
    password_hash = _new_password_hash(store, password, name, display,
                                       demo_account=demo_account)
    with store.write() as session:
        if session.exec(select(Staff).where(Staff.username == name)).first():
            raise InvalidInput(f"There is already an account called {name}.")
        staff = Staff(
            username=name, display_name=display, role=the_role.value,
            password_hash=password_hash, dbs_checked_on=checked_on, dbs_reference=reference,
        )
        session.add(staff)
        session.flush()
        audit.record(session, Action.STAFF_ADDED, actor_id=actor.id,
                     entity=Entity.STAFF, entity_id=staff.id)
        if checked_on:
            audit.record(session, Action.STAFF_DBS_RECORDED, actor_id=actor.id,
                         entity=Entity.STAFF, entity_id=staff.id)
        return _view(staff, show_dbs=True)


def _view(staff: Staff, *, show_dbs: bool) -> StaffView:
    assert staff.id is not None
    return StaffView(
        id=staff.id, username=clean_text(staff.username),
        display_name=clean_text(staff.display_name),
        role=Role(staff.role), active=staff.active, locked=staff.locked,
        dbs_recorded=staff.dbs_checked_on is not None,
        dbs_checked_on=staff.dbs_checked_on if show_dbs else None,
        dbs_reference=staff.dbs_reference if show_dbs else None,
    )


def list_staff(store: Store, actor: Actor, dbs_visible_to: Collection[str]) -> list[StaffView]:
    """Everyone's account; DBS details only for the roles the profile names (ACC4)."""
    _check(store, actor, policy.may_list_staff(actor), "list staff")
    show_dbs = policy.may_view_dbs(actor.role, dbs_visible_to).allowed
    with store.write() as session:
        rows = session.exec(select(Staff).order_by(col(Staff.username))).all()
        if show_dbs:
            audit.record(session, Action.STAFF_DBS_VIEWED, actor_id=actor.id, entity=Entity.STAFF)
        return [_view(s, show_dbs=show_dbs) for s in rows]


def _target(session: Session, username: str) -> Staff:
    staff = session.exec(
        select(Staff).where(Staff.username == normalise_username(username))
    ).first()
    if staff is None:
        raise NotFound(f"No account called {normalise_username(username)}.")
    return staff


def set_active(store: Store, actor: Actor, username: str, active: bool) -> None:
    _check(store, actor, policy.may_manage_staff(actor), "disable staff")
    with store.write() as session:
        staff = _target(session, username)
        assert staff.id is not None
        own = policy.may_set_account_active(actor, staff.id, active)
        if not own:  # one's own account: a mistake to put right, not audited as a refusal
            raise InvalidInput(own.reason)
        staff.active = active
        session.add(staff)
        audit.record(
            session, Action.STAFF_ENABLED if active else Action.STAFF_DISABLED,
            actor_id=actor.id, entity=Entity.STAFF, entity_id=staff.id,
        )


def unlock(store: Store, actor: Actor, username: str) -> None:
    _check(store, actor, policy.may_unlock_accounts(actor), "unlock account")
    with store.write() as session:
        staff = _target(session, username)
        staff.locked = False
        staff.failed_attempts = 0
        session.add(staff)
        audit.record(session, Action.STAFF_UNLOCKED, actor_id=actor.id,
                     entity=Entity.STAFF, entity_id=staff.id)


def reset_password(store: Store, actor: Actor, username: str, new_password: str) -> None:
    """An administrator sets a new password; it also unlocks the account."""
    _check(store, actor, policy.may_manage_staff(actor), "reset password")
    with store.read() as session:
        display_name = _target(session, username).display_name
    password_hash = _new_password_hash(store, new_password, normalise_username(username),
                                       display_name)
    with store.write() as session:
        staff = _target(session, username)
        staff.password_hash = password_hash
        staff.password_changed_at = utcnow()
        staff.locked = False
        staff.failed_attempts = 0
        session.add(staff)
        audit.record(session, Action.STAFF_PASSWORD_RESET, actor_id=actor.id,
                     entity=Entity.STAFF, entity_id=staff.id)


def record_dbs(
    store: Store, actor: Actor, username: str, checked_on: date, reference: str
) -> None:
    _check(store, actor, policy.may_manage_staff(actor), "record DBS")
    checked, ref = check_dbs(checked_on, reference)
    with store.write() as session:
        staff = _target(session, username)
        staff.dbs_checked_on = checked
        staff.dbs_reference = ref
        session.add(staff)
        audit.record(session, Action.STAFF_DBS_RECORDED, actor_id=actor.id,
                     entity=Entity.STAFF, entity_id=staff.id)
