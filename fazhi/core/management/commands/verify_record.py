from django.core.management.base import BaseCommand, CommandError

from fazhi.core.models import Event
from fazhi.core.services.events import verify_record


class Command(BaseCommand):
    help = "Verify the hash-chained event record (执法全过程记录); name every tampered event."

    def handle(self, *args, **options) -> None:
        problems = verify_record()
        for problem in problems:
            self.stderr.write(str(problem))
        if problems:
            raise CommandError(f"执法全过程记录校验失败：发现 {len(problems)} 处问题")
        count = Event.objects.count()
        self.stdout.write(f"执法全过程记录完整：共 {count} 条，哈希链与序号均无异常")
