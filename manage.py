#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_portal.settings")
    if "DEBUG" not in os.environ and "SECRET_KEY" not in os.environ:
        # A developer's shell: run commands in development mode. Production sets DEBUG=false
        # and SECRET_KEY (docker-compose.yml); the web and Celery processes never pass here.
        os.environ["DEBUG"] = "1"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
