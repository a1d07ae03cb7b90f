"""Paged list responses shared by every list endpoint."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")


class PageParams(BaseModel):
    """Which page of a list, and how long a page is."""

    page: int = 1
    per_page: int = 50


def page_params(
    page: int = Query(1, ge=1, description="Page number, from 1"),
    per_page: int = Query(50, ge=1, le=500, description="Items per page"),
) -> PageParams:
    """FastAPI dependency reading `page` and `per_page`."""
    return PageParams(page=page, per_page=per_page)


class Page(BaseModel, Generic[T]):
    """One page of a list, with the total count for the whole list."""

    items: list[T]
    page: int
    per_page: int
    total: int


def paginate(session: Session, statement: Select[Any], params: PageParams) -> tuple[list[Any], int]:
    """The rows of one page of `statement` and the total row count."""
    total = session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    rows = session.scalars(
        statement.limit(params.per_page).offset((params.page - 1) * params.per_page)
    ).all()
    return list(rows), int(total or 0)


def page_of(items: Sequence[T], *, params: PageParams, total: int) -> Page[T]:
    """A page holding `items`, already cut to the page that `params` asks for."""
    return Page(items=list(items), page=params.page, per_page=params.per_page, total=total)


def paginate_list(items: Sequence[T], params: PageParams) -> tuple[list[T], int]:
    """One page of a short list already in memory, and the length of the whole list."""
    start = (params.page - 1) * params.per_page
    return list(items[start : start + params.per_page]), len(items)
