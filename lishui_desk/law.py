"""Law citations (法律名称): each statute the engine cites, spelled one way.

``short`` is the form used in guard messages, deadlines and the GUI (《行政处罚法》第四十二条);
``full`` is the official title printed in documents. Article numbers are written by the caller
(``cite(APL, "第四十二条")``); no statute text is kept here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import MappingProxyType


@dataclass(frozen=True)
class Law:
    short: str
    full: str

    def __str__(self) -> str:
        return self.short

    def art(self, article: str) -> str:
        """The short name followed by ``article`` (e.g. "第六十一条第二款")."""
        return f"{self.short}{article}"


APL = Law("《行政处罚法》", "《中华人民共和国行政处罚法》")
ACL = Law("《行政强制法》", "《中华人民共和国行政强制法》")
CPL = Law("《民事诉讼法》", "《中华人民共和国民事诉讼法》")
ARL = Law("《行政复议法》", "《中华人民共和国行政复议法》")
ALL = Law("《行政诉讼法》", "《中华人民共和国行政诉讼法》")
ZJ = Law("《浙江省综合行政执法条例》", "《浙江省综合行政执法条例》")
SC118 = Law(
    "国办发〔2018〕118号",
    "《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见》（国办发〔2018〕118号）",
)
HOLIDAYS = Law("《全国年节及纪念日放假办法》", "《全国年节及纪念日放假办法》")

INPUT = "录入要求"  # not a statute: the app's own input checks (formats, required fields)

LAWS: tuple[Law, ...] = (APL, ACL, CPL, ARL, ALL, ZJ, SC118, HOLIDAYS)

# 《行政处罚法》(2021 revision) in force (Art. 86): a reviewer who first takes up 法制审核 from this day on
# must hold the 法律职业资格 (Art. 58 para 2)
APL_IN_FORCE = date(2021, 7, 15)

# 《行政处罚法》第五十一条: an on-the-spot decision may impose a warning or a fine up to these amounts
# (公民 / 法人或者其他组织); the one table of these limits
ART51_LIMITS: MappingProxyType[str, Decimal] = MappingProxyType(
    {"individual": Decimal(200), "organisation": Decimal(3000)}
)
# 《行政处罚法》第六十八条第一项: on-the-spot collection of a summary-procedure fine up to this amount
ART68_SPOT_COLLECTION = Decimal(100)
