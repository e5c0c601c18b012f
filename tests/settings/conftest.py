"""The tests that start Python processes (settings loaded afresh, `manage.py` commands, a server) run as one
xdist group. Needing no database, they would otherwise come last, after every database test, and the
collected static files and migrated database that the production-server tests share (a module fixture)
would be made once in each worker that took one of them. As a group, `--dist loadgroup` hands them out
whole to one worker at the start."""

import pytest

PROCESS_MODULES = {"test_production_server.py", "test_environment_settings.py", "test_deploy_settings.py"}


def pytest_itemcollected(item: pytest.Item) -> None:
    if item.path.name in PROCESS_MODULES:
        item.add_marker(pytest.mark.xdist_group("processes"))
