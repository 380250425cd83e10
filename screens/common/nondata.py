"""F5–F8: one key for each of the service's contacts with no enquiry (silent call,
wrong number, …), in the order the profile lists them (``non_data_kinds``). The keys
are in data/keys.toml; their action's argument is the kind's place in that list."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from calllog.profiles import Profile


def non_data_kind(profile: Profile, place: object) -> str | None:
    """The profile's non-data kind at ``place`` (0 for F5), or None if it has fewer."""
    items = profile.non_data_kinds.items
    return items[place].code if isinstance(place, int) and 0 <= place < len(items) else None


def non_data_label(profile: Profile, place: object) -> str | None:
    """What the key at ``place`` does, in the service's words."""
    kind = non_data_kind(profile, place)
    if kind is None:
        return None
    return f"Log a contact with no enquiry: {profile.non_data_kinds.label(kind).lower()}."
