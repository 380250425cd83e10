"""The words calllog stores and compares, named once as types.

Each is a :class:`~enum.StrEnum`: a member *is* the string that is stored
(``Party.PARENT == "parent"``), so rows written before these types existed read the
same, and nothing in the database changes. Audit actions and entities are named in
:mod:`calllog.audit`, roles in :mod:`calllog.roles`, consent and disclosure kinds in
:mod:`calllog.policy`.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["OPEN_OUTCOMES", "EnquiryStatus", "Party", "ReferralStatus", "ServiceKind"]


class ServiceKind(StrEnum):
    """What kind of service a profile is for (``[service] kind``)."""

    SEND = "send"  # a SEND parent-support helpline (Cornwall, Surrey, Northamptonshire)
    CONTACT_CENTRE = "contact_centre"  # a child contact centre (St Mary's, Cordomus)


class Party(StrEnum):
    """Whose a person's details, a consent or a disclosure are (CON6). A contact
    centre's families have two parties, often former partners; every other service
    records the parent or carer alone."""

    PARENT = "parent"
    OTHER = "other_party"


class EnquiryStatus(StrEnum):
    """Whether an enquiry is still someone's work (OPS2)."""

    OPEN = "open"
    CLOSED = "closed"


class ReferralStatus(StrEnum):
    """REC8: an incoming referral waits for the parent's permission (held), then is
    accepted or, if the parent refuses, refused."""

    HELD = "held"
    ACCEPTED = "accepted"
    REFUSED = "refused"


#: The outcome codes (``outcomes`` list) that leave an enquiry open: someone still has
#: work to do on it. Any other outcome closes it.
OPEN_OUTCOMES: frozenset[str] = frozenset({"CALLBACK", "CASEWORK"})
