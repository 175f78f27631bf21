"""Build the demo city (嘉兴市) from every app's `demo.py`.

    python manage.py load_demo                  # build, or complete, the demo city
    python manage.py load_demo --if-empty       # only on a database without jurisdictions
    python manage.py load_demo --seed 7 --enterprises 200

Deterministic for a given seed and idempotent: a second run creates nothing.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi.core.demo import DEFAULT_ENTERPRISES, DEFAULT_SEED, DemoContext, run_demo
from fazhi.core.models import Jurisdiction


class Command(BaseCommand):
    help = "Load the demo city of Jiaxing (演示数据): jurisdictions, agencies, users, subjects."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true",
                            help="仅当数据库中没有任何行政区划时载入")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                            help=f"随机种子（默认 {DEFAULT_SEED}）")
        parser.add_argument("--enterprises", type=int, default=DEFAULT_ENTERPRISES,
                            help=f"演示企业数量（默认 {DEFAULT_ENTERPRISES}）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enterprises"] < 1:
            raise CommandError("演示企业数量必须为正整数")
        if options["if_empty"] and Jurisdiction.objects.exists():
            self.stdout.write("数据库中已有行政区划，跳过演示数据载入。")
            return
        verbose = options["verbosity"] > 1
        ctx = DemoContext(
            seed=options["seed"], enterprises=options["enterprises"],
            log=self.stdout.write if verbose else (lambda message: None),
        )
        started = time.perf_counter()
        run_demo(ctx)
        elapsed = time.perf_counter() - started
        if not ctx.created:
            self.stdout.write(
                f"演示数据已齐全，未新增记录（种子 {ctx.seed}，用时 {elapsed:.1f} 秒）。")
            return
        self.stdout.write(self.style.SUCCESS(
            f"演示数据载入完成（种子 {ctx.seed}，用时 {elapsed:.1f} 秒）："))
        for label, n in ctx.created.items():
            self.stdout.write(f"  {label}：{n}")
        self.stdout.write(f"  执法全过程记录：{ctx.events} 条")
        self.stdout.write("运行 python manage.py demo_accounts 查看演示账号与密码。")
