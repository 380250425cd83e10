"""The tables the queue reads and the SQL pieces its statements are made of: SQLite's
``+column`` (no index for this term) and ``CROSS JOIN`` (this table drives), typed
bind parameters, local dates as UTC bounds, capped counts."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.selectable import Join
from sqlmodel import Session, SQLModel

from calllog import models
from calllog.errors import NotFound
from calllog.services.queue.query import ALL_STATUSES, QueueFilter

ENQUIRY: sa.Table = SQLModel.metadata.tables[models.Enquiry.__tablename__]
FAMILY: sa.Table = SQLModel.metadata.tables[models.Family.__tablename__]
TOPIC: sa.Table = SQLModel.metadata.tables[models.EnquiryTopic.__tablename__]
OVERRIDE: sa.Table = SQLModel.metadata.tables[models.SafeguardingOverride.__tablename__]
STAFF: sa.Table = SQLModel.metadata.tables[models.Staff.__tablename__]
PERSON: sa.Table = SQLModel.metadata.tables[models.Person.__tablename__]
CHILD: sa.Table = SQLModel.metadata.tables[models.Child.__tablename__]
_E = ENQUIRY


class unindexed(FunctionElement[Any]):
    """``+column`` on SQLite: the same value, but the planner may not use an index for
    it (https://sqlite.org/optoverview.html#disqualifying_where_clause_terms_using_unary_);
    the bare column elsewhere."""

    name = "unindexed"
    inherit_cache = True

    def __init__(self, column: ColumnElement[Any]) -> None:
        super().__init__(column)
        self.type = column.type


@compiles(unindexed)
def _unindexed_default(element: unindexed, compiler: SQLCompiler, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(unindexed, "sqlite")
def _unindexed_sqlite(element: unindexed, compiler: SQLCompiler, **kw: Any) -> str:
    return "+" + str(compiler.process(element.clauses, **kw))


class CrossJoin(Join):
    """An inner join whose left table is the outer loop: SQLite's ``CROSS JOIN``
    (https://sqlite.org/optoverview.html#manual_control_of_query_plans_using_cross_join),
    a plain ``JOIN`` elsewhere. Sorting by coded reference walks the family index."""

    inherit_cache = True


@compiles(CrossJoin, "sqlite")
def _cross_join_sqlite(element: CrossJoin, compiler: SQLCompiler, **kw: Any) -> str:
    joined = compiler.visit_join(element, **kw)  # type: ignore[no-untyped-call]
    return str(joined).replace(" JOIN ", " CROSS JOIN ", 1)


def local_midnight_utc(day: date) -> datetime:
    return datetime.combine(day, time.min).astimezone()


def bind(value: Any, column: ColumnElement[Any]) -> ColumnElement[Any]:
    return sa.bindparam(None, value, type_=column.type)


def capped_count(conn: Connection, select: sa.Select[Any], cap: int) -> int:
    return int(conn.execute(
        sa.select(sa.func.count()).select_from(select.limit(cap + 1).subquery())
    ).scalar_one())


def statuses_clause(flt: QueueFilter) -> list[ColumnElement[bool]]:
    return [] if flt.status == ALL_STATUSES else [_E.c.status == flt.status]


def enquiry_row(session: Session, enquiry_id: int) -> models.Enquiry:
    enquiry = session.get(models.Enquiry, enquiry_id)
    if enquiry is None:
        raise NotFound("That enquiry no longer exists.")
    return enquiry
