"""Offset pagination of list endpoints (the shared one, kinerja_shared.pagination)."""

from __future__ import annotations

from kinerja_shared.pagination import Page, PageParams, Paging, page_params, paginate

__all__ = ["Page", "PageParams", "Paging", "page_params", "paginate"]
