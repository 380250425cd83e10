"""Families, parents and carers, children, enquiries, topics, diversity answers,
and the returning-caller search keys.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

UTC_TEXT = sa.String(32)
# Case-insensitive prefix search that uses the index: SQLite's LIKE 'abc%' is only
# index-assisted on a NOCASE column.
SEARCH_KEY = sa.String(64).with_variant(sa.String(64, collation="NOCASE"), "sqlite")


def upgrade() -> None:
    op.create_table(
        "family",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("coded_ref", sa.String(32), nullable=False, index=True),
        sa.Column("contact_consent", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("supporter_id", sa.Integer, sa.ForeignKey("staff.id"), index=True),
        sa.Column("created_by", sa.Integer, sa.ForeignKey("staff.id"), nullable=False),
        sa.Column("created_at", UTC_TEXT, nullable=False),
        sa.Column("last_contact_at", UTC_TEXT, nullable=False, index=True),
    )
    op.create_table(
        "person",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("family_id", sa.Integer, sa.ForeignKey("family.id"), nullable=False,
                  index=True),
        sa.Column("party", sa.String(16), nullable=False, server_default="parent"),
        sa.Column("name", sa.String(120)),
        sa.Column("relationship", sa.String(32)),
        sa.Column("address", sa.Text),
        sa.Column("postcode", sa.String(8)),
        sa.Column("phone", sa.String(20)),
        sa.Column("email", sa.String(254)),
        sa.Column("contact_method", sa.String(16)),
    )
    op.create_table(
        "child",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("family_id", sa.Integer, sa.ForeignKey("family.id"), nullable=False,
                  index=True),
        sa.Column("name", sa.String(120)),
        sa.Column("dob", sa.Date),
        sa.Column("gender", sa.String(16)),
        sa.Column("school_name", sa.String(160)),
        sa.Column("school_type", sa.String(32)),
        sa.Column("year_group", sa.String(8)),
        sa.Column("sen_needs", sa.String(120)),
        sa.Column("sen_provision", sa.String(16)),
        sa.Column("issues", sa.String(400)),
    )
    op.create_table(
        "enquiry",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("family_id", sa.Integer, sa.ForeignKey("family.id"), index=True),
        sa.Column("recorded_by", sa.Integer, sa.ForeignKey("staff.id"), nullable=False,
                  index=True),
        sa.Column("assigned_to", sa.Integer, sa.ForeignKey("staff.id"), index=True),
        sa.Column("started_at", UTC_TEXT, nullable=False, index=True),
        sa.Column("ended_at", UTC_TEXT, nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("anonymous", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("non_data_kind", sa.String(24)),
        sa.Column("notes", sa.Text),
        sa.Column("outcome", sa.String(24)),
        sa.Column("status", sa.String(12), nullable=False, server_default="closed",
                  index=True),
        sa.Column("follow_up_due", sa.Date, index=True),
        sa.Column("policy_explained", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("leaflet_sent", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "enquiry_topic",
        sa.Column("enquiry_id", sa.Integer, sa.ForeignKey("enquiry.id"), primary_key=True),
        sa.Column("topic", sa.String(24), primary_key=True, index=True),
    )
    op.create_table(
        "diversity_answer",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("family_id", sa.Integer, sa.ForeignKey("family.id"), index=True),
        sa.Column("enquiry_id", sa.Integer, sa.ForeignKey("enquiry.id"), index=True),
        sa.Column("question", sa.String(32), nullable=False),
        sa.Column("answer", sa.String(16), nullable=False),
        sa.Column("recorded_at", UTC_TEXT, nullable=False),
    )
    op.create_table(
        "search_key",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("family_id", sa.Integer, sa.ForeignKey("family.id"), nullable=False,
                  index=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("key", SEARCH_KEY, nullable=False),
    )
    op.create_index("ix_search_key_kind_key", "search_key", ["kind", "key", "family_id"])


def downgrade() -> None:
    for table in ("search_key", "diversity_answer", "enquiry_topic", "enquiry", "child",
                  "person", "family"):
        op.drop_table(table)
