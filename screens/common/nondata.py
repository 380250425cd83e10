"""F5–F8: one key for each of the service's contacts with no enquiry (silent call,
wrong number, …), in the order the profile lists them (``non_data_kinds``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

if TYPE_CHECKING:
    from calllog.profiles import Profile

NON_DATA_KEYS = ("f5", "f6", "f7", "f8")


def non_data_bindings(screen_id: str, *, priority: bool = False) -> list[Binding]:
    """The four keys; the action's argument is the kind's place in the profile's list."""
    return [Binding(key, f"non_data({n})", f"Non-data {n + 1}", id=f"{screen_id}.non_data.{n + 1}",
                    show=False, priority=priority,
                    tooltip="Log a contact with no enquiry (the kinds are the service's).")
            for n, key in enumerate(NON_DATA_KEYS)]


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
