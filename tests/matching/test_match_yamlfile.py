"""The matcher's YAML files read by the C loader give what yaml.safe_load gives."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from nyengget.matching import yamlfile

FILES = sorted(Path(yamlfile.__file__).parent.glob("*.yaml"))


def test_the_four_files_are_there():
    assert {f.name for f in FILES} >= {"codes.yaml", "dictionary.yaml", "proposers.yaml", "rules.yaml"}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_same_data_as_safe_load(path):
    assert yamlfile.read_yaml(path) == yaml.safe_load(path.read_text(encoding="utf-8"))


def test_the_loader_is_safe(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("!!python/object/apply:os.system ['true']\n", encoding="utf-8")
    with pytest.raises(yaml.YAMLError):
        yamlfile.read_yaml(bad)
