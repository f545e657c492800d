from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core import engine


class Command(BaseCommand):
    help = "Run the deadline engine once (the same code the beat task runs) and print a summary line."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="ISO 8601 time to judge deadlines against (default: now)")

    def handle(self, *args, now=None, **options):
        when = None
        if now:
            when = parse_datetime(now)
            if when is None:
                raise CommandError(f"--now: not an ISO 8601 time: {now}")
            if timezone.is_naive(when):
                when = timezone.make_aware(when)
        run = engine.run(when)
        self.stdout.write(engine.describe(run))
