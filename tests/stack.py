"""Run a command with the test stack wired in: PostgreSQL and Redis where they are reachable.

``python -m tests.stack pytest ...`` sets ``DATABASE_URL`` (PostgreSQL on 127.0.0.1:5432) and
``RENTALOPS_TEST_REDIS_URL`` (Redis on 127.0.0.1:6379, database 15) when those services answer and the
variables are not already set, says which stack it chose, then runs the command. With
``RENTALOPS_REQUIRE_SERVICES=1`` (CI) a missing service is an error rather than a reason to fall back.
"""

import os
import socket
import sys

POSTGRES = ("127.0.0.1", 5432)
REDIS = ("127.0.0.1", 6379)


def reachable(address: tuple[str, int]) -> bool:
    try:
        with socket.create_connection(address, timeout=1):
            return True
    except OSError:
        return False


def main(argv: list[str]) -> None:
    if not argv:
        sys.exit("usage: python -m tests.stack COMMAND [ARGS...]")
    required = os.environ.get("RENTALOPS_REQUIRE_SERVICES") == "1"
    missing = []
    if not os.environ.get("DATABASE_URL"):
        if reachable(POSTGRES):
            os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/rentalops"
        else:
            missing.append("PostgreSQL on 127.0.0.1:5432")
    if not os.environ.get("RENTALOPS_TEST_REDIS_URL"):
        if reachable(REDIS):
            os.environ["RENTALOPS_TEST_REDIS_URL"] = "redis://127.0.0.1:6379/15"
        else:
            missing.append("Redis on 127.0.0.1:6379")
    if missing and required:
        sys.exit(f"RENTALOPS_REQUIRE_SERVICES=1 but not reachable: {', '.join(missing)}")
    database = os.environ.get("DATABASE_URL", "sqlite (embedded default)").split("@")[-1]
    redis = os.environ.get("RENTALOPS_TEST_REDIS_URL", "none: service tests skipped")
    print(f"test stack: database {database}; redis {redis}", flush=True)
    os.execvp(argv[0], argv)


if __name__ == "__main__":
    main(sys.argv[1:])
