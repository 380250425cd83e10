"""Consent ledger, disclosures, safeguarding overrides, incoming referrals,
contact-centre parties (issue 4).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

UTC_TEXT = sa.String(32)

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "safeguarding_override",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("family_id", sa.Integer, sa.ForeignKey("family.id"), nullable=False,
                  index=True),
        sa.Column("enquiry_id", sa.Integer, sa.ForeignKey("enquiry.id")),
        sa.Column("category", sa.String(24), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("made_by", sa.Integer, sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("made_at", UTC_TEXT, nullable=False),
        sa.Column("reviewed_by", sa.Integer, sa.ForeignKey("staff.id")),
        sa.Column("reviewed_at", UTC_TEXT),
    )
    # The supervisors' queue asks "which families have an unreviewed override?"
    op.create_index("ix_safeguarding_override_unreviewed", "safeguarding_override",
                    ["reviewed_at", "family_id"])
    op.create_table(
        "consent",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("family_id", sa.Integer, sa.ForeignKey("family.id"), nullable=False,
                  index=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("party", sa.String(16), nullable=False, server_default="parent"),
        sa.Column("recipient", sa.String(160)),
        sa.Column("recipient_key", sa.String(160)),
        sa.Column("written", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("given_on", sa.Date, nullable=False),
        sa.Column("recorded_by", sa.Integer, sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("recorded_at", UTC_TEXT, nullable=False),
        sa.Column("withdrawn_on", sa.Date),
        sa.Column("withdrawn_by", sa.Integer, sa.ForeignKey("staff.id")),
        sa.Column("withdrawn_at", UTC_TEXT),
    )
    op.create_table(
        "disclosure",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("family_id", sa.Integer, sa.ForeignKey("family.id"), nullable=False,
                  index=True),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("recipient", sa.String(160), nullable=False),
        sa.Column("recipient_key", sa.String(160), nullable=False),
        sa.Column("recipient_kind", sa.String(24), nullable=False),
        sa.Column("purpose", sa.String(24), nullable=False),
        sa.Column("about_party", sa.String(16), nullable=False, server_default="parent"),
        sa.Column("channel", sa.String(16)),
        sa.Column("note", sa.Text),
        sa.Column("consent_id", sa.Integer, sa.ForeignKey("consent.id")),
        sa.Column("override_id", sa.Integer, sa.ForeignKey("safeguarding_override.id")),
        sa.Column("made_by", sa.Integer, sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("made_at", UTC_TEXT, nullable=False),
        # CON2: a disclosure rests on a consent or on an override, never on nothing
        # (attendance released to the referring agency rests on CC1 and names neither).
        sa.CheckConstraint("kind = 'attendance' OR consent_id IS NOT NULL "
                           "OR override_id IS NOT NULL", name="ck_disclosure_basis"),
    )
    op.create_table(
        "referral",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("family_id", sa.Integer, sa.ForeignKey("family.id")),
        sa.Column("referrer_kind", sa.String(24), nullable=False),
        sa.Column("referrer_name", sa.String(160)),
        sa.Column("referrer_contact", sa.String(254)),
        sa.Column("reason", sa.Text),
        sa.Column("status", sa.String(12), nullable=False, server_default="held"),
        sa.Column("permission", sa.String(12)),
        sa.Column("received_by", sa.Integer, sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("received_at", UTC_TEXT, nullable=False),
        sa.Column("decided_by", sa.Integer, sa.ForeignKey("staff.id")),
        sa.Column("decided_at", UTC_TEXT),
    )
    # Search and the family screen ask "is this family held?" (REC8): an index search.
    op.create_index("ix_referral_family_status", "referral", ["family_id", "status"])
    op.create_index("ix_referral_status", "referral", ["status", "received_at"])
    op.create_table(
        "agency_information",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("family_id", sa.Integer, sa.ForeignKey("family.id"), nullable=False,
                  index=True),
        sa.Column("agency", sa.String(160), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("parent_asked", sa.Boolean, nullable=False),
        sa.Column("obtained_on", sa.Date, nullable=False),
        sa.Column("recorded_by", sa.Integer, sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("recorded_at", UTC_TEXT, nullable=False),
    )
    op.create_table(
        "attendance",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("family_id", sa.Integer, sa.ForeignKey("family.id"), nullable=False,
                  index=True),
        sa.Column("attended_on", sa.Date, nullable=False, index=True),
        sa.Column("arrived", sa.String(5), nullable=False),
        sa.Column("left", sa.String(5), nullable=False),
        sa.Column("recorded_by", sa.Integer, sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("recorded_at", UTC_TEXT, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("attendance")
    op.drop_table("agency_information")
    op.drop_index("ix_referral_status", "referral")
    op.drop_index("ix_referral_family_status", "referral")
    op.drop_table("referral")
    op.drop_table("disclosure")
    op.drop_table("consent")
    op.drop_table("safeguarding_override")
