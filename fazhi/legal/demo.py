"""The legal slice of the demo city: the enforcement-item catalogue (执法事项目录) from
the shipped data files (fazhi/legal/data/catalogue/), loaded by the same service as
`python manage.py load_catalogue`, so the demo shows the real catalogue and the
`legal.items` indicator has something to count. Idempotent: `catalogue_load` matches
rows on their natural keys and writes nothing (and no event) on a second run."""

from __future__ import annotations

from fazhi.core.demo import DemoContext
from fazhi.legal.services import catalogue_files, catalogue_load

ORDER = 30


def load(ctx: DemoContext) -> None:
    result = catalogue_load(actor=None, files=catalogue_files())
    ctx.count("法律法规", result.laws_created)
    ctx.count("条款", result.provisions_created)
    ctx.count("执法事项", result.items_created)
    ctx.count("分阶段法定处罚", result.stages_created)
    ctx.events += result.events  # written by catalogue_load itself, in bulk
    ctx.log(f"  执法事项目录：{result.items_in_files}项（新建{result.items_created}项）")
