"""The base of the screens a family record opens for one job (consents, disclosure,
agency information, attendance, the other party): which family, by its coded
reference, whether a save is under way, and escape back to the record."""

from __future__ import annotations

from typing import TypeVar

from screens.common.base import CalllogScreen

ResultT = TypeVar("ResultT")


class FamilyToolScreen(CalllogScreen[ResultT]):
    def __init__(self, family_id: int, coded_ref: str) -> None:
        super().__init__()
        self.family_id = family_id
        self.coded_ref = coded_ref
        self.saving = False  # a save under way ignores another ctrl+s

    def action_back(self) -> None:
        self.dismiss()
