"""`python manage.py load_catalogue [--file PATH ...]`: load the enforcement-item
catalogue (执法事项目录) files into the legal tables, all shipped files by default
(fazhi/legal/data/catalogue/*.yaml): laws, provisions and their text, items, stage
penalties and discretion benchmarks. Idempotent: a second run changes nothing. The
jurisdictions the benchmarks name must exist. Run by whoever has shell access, so the
events are recorded with no actor (the system)."""

from __future__ import annotations

import time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi.legal.services import catalogue_files, catalogue_load


class Command(BaseCommand):
    help = "载入执法事项目录数据文件（默认载入 fazhi/legal/data/catalogue/ 下的全部文件）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", action="append", dest="files", metavar="PATH",
                            help="只载入该文件（可重复）")

    def handle(self, *args: Any, **options: Any) -> None:
        files = options["files"] or catalogue_files()
        started = time.perf_counter()
        try:
            result = catalogue_load(actor=None, files=files)
        except ValidationError as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError(
                f"执法事项目录未载入：发现{len(exc.messages)}处问题，未作任何修改") from None
        elapsed = time.perf_counter() - started
        for law, count in result.items_per_law.items():
            self.stdout.write(f"{law}：{count}项")
        self.stdout.write(
            f"共{result.items_in_files}项、裁量基准{result.benchmarks_in_files}个；新建法律"
            f"{result.laws_created}部、更新{result.laws_updated}部，新建条款"
            f"{result.provisions_created}条、更新条文{result.provisions_updated}条，新建事项"
            f"{result.items_created}项、更新{result.items_updated}项，新建阶段处罚"
            f"{result.stages_created}条、更新{result.stages_updated}条，新建裁量基准"
            f"{result.benchmarks_created}个、更新{result.benchmarks_updated}个，记录"
            f"{result.events}条；用时{elapsed:.2f}秒")
