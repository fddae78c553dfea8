"""python manage.py load_tool PATH [--dry-run]: validate a tool definition and store it as a version."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments.definitions import DefinitionError, default_tool_path, definition_from_yaml
from assessments.services import tool_version_load


class Command(BaseCommand):
    help = "Validates a neglect tool definition (YAML or JSON) and loads it as a new version."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", help="The definition file (default: the Sightline Neglect Profile).")
        parser.add_argument("--dry-run", action="store_true", help="Validate only; store nothing.")

    def handle(self, *args, **options) -> None:
        path = Path(options["path"]) if options["path"] else default_tool_path()
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        try:
            definition = definition_from_yaml(text)  # YAML is a superset of JSON
            if options["dry_run"]:
                self.stdout.write(f"{definition.name} version {definition.version} is valid.")
                return
            stored, created = tool_version_load(definition=definition)
        except DefinitionError as error:
            listing = "\n".join(f"  - {problem}" for problem in error.errors)
            raise CommandError(f"{path} is not a valid tool definition:\n{listing}") from error
        verb = "Loaded" if created else "Already loaded:"
        items = sum(len(d.items) for d in definition.domains)
        self.stdout.write(f"{verb} {stored} ({len(definition.domains)} domains, {items} items).")
