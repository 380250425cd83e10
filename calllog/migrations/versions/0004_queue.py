"""Call queue: indexes for the supervisor's filters and sorts, supervision access
to notes (issue 5).

The queue (``calllog.services.queue``) reads a page of a few hundred rows at a
time with keyset pagination, so every filter-and-sort it offers must be an index
range read in order, never a scan and sort of the whole table. Each index leads
with ``status`` (the queue shows open work; closed and all are filters), then the
column the rows are narrowed or ordered by, then ``started_at`` and ``id`` so the
order inside a group is also read from the index:

* ``ix_enquiry_queue_due``: callbacks overdue and due today, sort by callback date;
* ``ix_enquiry_queue_started``: sort by start time, the date-range filter, the
  unassigned and "rest" groups of the priority order;
* ``ix_enquiry_queue_assigned``: filter by adviser, "my work", sort by adviser
  (one range per adviser, in name order);
* ``ix_enquiry_queue_channel``: filter and sort by channel;
* ``ix_enquiry_topic_topic_enquiry``: the topic filter reads the matching enquiry
  ids from the index alone.

Supervision access to notes needs no table: each access is an audit row (who,
when, which record, the reason).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

INDEXES: dict[str, tuple[str, list[str]]] = {
    "ix_enquiry_queue_due": ("enquiry", ["status", "follow_up_due", "started_at", "id"]),
    "ix_enquiry_queue_started": ("enquiry", ["status", "started_at", "id"]),
    "ix_enquiry_queue_assigned": ("enquiry", ["status", "assigned_to", "started_at", "id"]),
    "ix_enquiry_queue_channel": ("enquiry", ["status", "channel", "started_at", "id"]),
    "ix_enquiry_topic_topic_enquiry": ("enquiry_topic", ["topic", "enquiry_id"]),
}


def upgrade() -> None:
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, (table, _columns) in INDEXES.items():
        op.drop_index(name, table_name=table)
