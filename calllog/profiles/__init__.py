"""Service profiles (``data/profiles/*.toml``) and the code lists they use
(``data/lists/*.toml``).

A profile is the data that makes one service's rules: its name and kind, how soon
the screen locks, who may see DBS details, the age range of the children it
supports, which lists supply each picklist, its diversity monitoring questions, its
role names, and its consent, disclosure, referral, safeguarding and retention rules.

Its layout is declared once, on the fields of :class:`Profile`
(:mod:`calllog.profiles.profile`): each names its key, what the key may hold, its
default and what it is for. Loading a profile and ``calllog profile check`` read
those declarations (:mod:`calllog.profiles.loader`), and
``reference(Profile)`` (:mod:`calllog.profiles.schema`) writes the layout out. Files
are checked strictly: every problem is one line, ``<file>: <key>: <problem>``.

Importing this package imports no database code (the start-up path reads a
profile's name before the ORM is loaded).
"""

from __future__ import annotations

from calllog.profiles.lists import CodeList, ListItem, available_lists, load_list
from calllog.profiles.loader import (
    available_profiles,
    check_profile,
    load_profile,
    service_name,
)
from calllog.profiles.profile import (
    DEFAULT_ROLE_NAMES,
    KINDS,
    LIST_DEFAULTS,
    PREFER_NOT_TO_SAY,
    RECIPIENT_KINDS_LIST,
    REFERRER_KINDS_LIST,
    REQUIRABLE_FIELDS,
    ROLES,
    DiversityQuestion,
    Profile,
    Retention,
)
from calllog.profiles.tomlfile import ProfileError

__all__ = [
    "DEFAULT_ROLE_NAMES",
    "KINDS",
    "LIST_DEFAULTS",
    "PREFER_NOT_TO_SAY",
    "RECIPIENT_KINDS_LIST",
    "REFERRER_KINDS_LIST",
    "REQUIRABLE_FIELDS",
    "ROLES",
    "CodeList",
    "DiversityQuestion",
    "ListItem",
    "Profile",
    "ProfileError",
    "Retention",
    "available_lists",
    "available_profiles",
    "check_profile",
    "load_list",
    "load_profile",
    "service_name",
]
