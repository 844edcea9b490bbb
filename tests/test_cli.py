"""CLI surface: every command has help and takes --config; bad config exits 2 naming key and line."""

import json

import pytest
from click.testing import CliRunner

from monitor.cli import cli

COMMANDS = sorted(cli.commands)


def test_contract_commands_exist():
    for name in ("demo", "run", "serve", "digest", "classify", "sources", "check-config", "record", "search",
                 "export"):
        assert name in cli.commands


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_and_config_option(name):
    res = CliRunner().invoke(cli, [name, "--help"])
    assert res.exit_code == 0, res.output
    assert cli.commands[name].help
    if name != "demo":
        assert "--config" in res.output


def test_bad_config_exits_2_with_key_and_line(tmp_path):
    cfg = tmp_path / "config.yaml"
    cfg.write_text("database: x.db\nsources:\n  amac:\n    schedule: 'every day'\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["check-config", "--config", str(cfg)])
    assert res.exit_code == 2
    assert "sources.amac.schedule" in res.output and ":4" in res.output


def test_repo_config_is_valid():
    res = CliRunner().invoke(cli, ["check-config", "--config", "config.yaml"])
    assert res.exit_code == 0, res.output


def test_classify_cli_roundtrip(tmp_path):
    lines = [json.dumps({"id": "a", "title": "关于对某公司采取出具警示函措施的决定", "text": "决定对你公司采取出具警示函的监管措施。"},
                        ensure_ascii=False),
             json.dumps({"id": "b", "title": "x", "text": "nothing here"})]
    res = CliRunner().invoke(cli, ["classify", "--config", str(tmp_path / "none.yaml")], input="\n".join(lines) + "\n")
    assert res.exit_code == 0, res.output
    out = [json.loads(l) for l in res.output.splitlines() if l.strip()]
    assert [o["id"] for o in out] == ["a", "b"]
    assert "warning_letter" in out[0]["sanctions"]
    assert out[1]["violations"] == ["other"]


def test_unknown_source_is_usage_error(tmp_path):
    cfg = tmp_path / "config.yaml"
    cfg.write_text(f"database: {tmp_path / 'x.db'}\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["run", "--config", str(cfg), "--source", "nope"])
    assert res.exit_code == 2
    assert "nope" in res.output
