"""The `nyengget` command imports only the module of the command it runs."""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys

from nyengget import cli


def test_each_module_registers_the_commands_listed_for_it():
    for name, commands in cli.COMMAND_MODULES.items():
        sub = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(name).add_commands(sub)
        assert tuple(sub.choices) == commands, name


def test_a_command_names_its_module_and_anything_else_gets_all():
    assert cli.modules_for(["-v", "match", "--top", "3"]) == ["nyengget.matching.cli"]
    assert cli.modules_for(["review", "set"]) == ["nyengget.weekly.cli"]
    assert cli.modules_for(["--help"]) == list(cli.COMMAND_MODULES)
    assert cli.modules_for(["no-such-command"]) == list(cli.COMMAND_MODULES)


def test_full_help_lists_every_command():
    choices = next(a for a in cli.build_parser()._actions if isinstance(a, argparse._SubParsersAction)).choices
    assert set(choices) == {c for commands in cli.COMMAND_MODULES.values() for c in commands}


def test_match_loads_neither_the_warehouse_nor_alembic():
    code = ("import sys; from nyengget import cli; cli.build_parser(['match']);"
            "import nyengget.matching.ranking, nyengget.matching.output;"
            "print(sorted(m for m in ('sqlalchemy', 'alembic', 'nyengget.decisions', 'nyengget.warehouse.db')"
            " if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
