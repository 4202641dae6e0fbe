import sys

from django.core.management.base import BaseCommand, CommandError

from practices.sampledata.synthetic import RealDataPresent, generate_practices


class Command(BaseCommand):
    help = (
        "Create synthetic, published practices for load tests and benchmarks, marked as "
        "synthetic. Deterministic for a seed. Refuses a database holding real practices."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="How many practices to create")
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same practices")
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument(
            "--allow-real-data",
            action="store_true",
            help="Add synthetic practices even though real ones exist (they stay marked).",
        )

    def handle(self, *args, count, seed, batch_size, allow_real_data, **options):
        if count < 1 or batch_size < 1:
            raise CommandError("--count and --batch-size must be at least 1.")
        on_terminal = sys.stderr.isatty()

        def progress(done, total, width=30):
            filled = width * done // total
            sys.stderr.write(f"\r[{'#' * filled}{'-' * (width - filled)}] {done}/{total} practices")
            sys.stderr.flush()

        try:
            created = generate_practices(
                count=count,
                seed=seed,
                batch_size=batch_size,
                allow_real_data=allow_real_data,
                progress=progress if on_terminal else None,
            )
        except RealDataPresent as error:
            raise CommandError(f"{error} Use --allow-real-data to add them anyway.") from None
        except ValueError as error:
            raise CommandError(str(error)) from None
        if on_terminal:
            sys.stderr.write("\n")
        self.stdout.write(
            self.style.SUCCESS(f"Created {created} synthetic practices (seed {seed}).")
        )
