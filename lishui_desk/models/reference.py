"""Reference data: townships, officers, the delegated item catalog (赋权事项目录)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lishui_desk.models.base import Base


class Township(Base):
    """乡镇/街道 — the enforcing agency (e.g. 龙泉市八都镇人民政府)."""

    __tablename__ = "townships"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)  # 统计用区划代码, 9 digits
    name: Mapped[str] = mapped_column(String(64))
    county_code: Mapped[str] = mapped_column(String(6))
    county_name: Mapped[str] = mapped_column(String(64))
    agency_name: Mapped[str] = mapped_column(String(128))
    agency_code: Mapped[str] = mapped_column(String(32))  # 机关代字 for 文号
    review_government: Mapped[str] = mapped_column(String(128))  # 行政复议机关 (行政复议法 Art. 24)
    court: Mapped[str] = mapped_column(String(128))


class Officer(Base):
    """执法人员 with 执法证号; role: officer / leader (负责人) / reviewer (法制审核) / auxiliary (辅助人员)."""

    __tablename__ = "officers"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    township_code: Mapped[str] = mapped_column(ForeignKey("townships.code"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    cert_no: Mapped[str | None] = mapped_column(String(32), unique=True)
    cert_valid_until: Mapped[date | None] = mapped_column(Date)
    role: Mapped[str] = mapped_column(String(16), default="officer")
    legal_qualification: Mapped[bool] = mapped_column(Boolean, default=False)
    # the day a legal reviewer first took up 法制审核 (《行政处罚法》第五十八条第二款: 初次从事 from 2021-07-15)
    reviewer_since: Mapped[date | None] = mapped_column(Date, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class CatalogVersion(Base):
    """One published version of a township's 赋权事项目录 (浙江省综合行政执法条例 Art. 9–10)."""

    __tablename__ = "catalog_versions"
    __table_args__ = (UniqueConstraint("township_code", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    township_code: Mapped[str] = mapped_column(ForeignKey("townships.code"), index=True)
    version: Mapped[str] = mapped_column(String(32))
    effective_from: Mapped[date] = mapped_column(Date)
    publisher: Mapped[str] = mapped_column(String(128))
    signature: Mapped[str | None] = mapped_column(Text)  # hub signature (sync); None for seed data
    source: Mapped[str] = mapped_column(String(16), default="seed")
    imported_at: Mapped[str] = mapped_column(String(40))

    items: Mapped[list[EnforcementItem]] = relationship(back_populates="catalog_version")


class EnforcementItem(Base):
    """赋权事项: opaque code, 违法依据/处罚依据 citations, penalty kinds, fine range, 裁量 tiers."""

    __tablename__ = "enforcement_items"
    __table_args__ = (UniqueConstraint("catalog_version_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    catalog_version_id: Mapped[int] = mapped_column(ForeignKey("catalog_versions.id"), index=True)
    code: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(256))
    domain: Mapped[str] = mapped_column(String(32), index=True)
    original_department: Mapped[str | None] = mapped_column(String(64))
    violation_basis: Mapped[list[Any]] = mapped_column(JSON)
    penalty_basis: Mapped[list[Any]] = mapped_column(JSON)
    penalty_kinds: Mapped[list[Any]] = mapped_column(JSON)
    measures: Mapped[list[Any]] = mapped_column(JSON)
    fine: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    tiers: Mapped[list[Any]] = mapped_column(JSON)
    first_offence_waivable: Mapped[bool] = mapped_column(Boolean, default=False)
    life_health_safety: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default="active")
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    raw: Mapped[dict[str, Any]] = mapped_column(JSON)  # the item as published, for exact reloads

    catalog_version: Mapped[CatalogVersion] = relationship(back_populates="items")
