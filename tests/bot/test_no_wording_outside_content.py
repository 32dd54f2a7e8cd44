"""No user-facing wording outside content/: the domain, data and code only name content ids."""

import ast
import re
from pathlib import Path

import yaml

from bot.paths import PROJECT_ROOT

CODE_FOLDERS = ("actions", "bot")
# Text a person in the chat could read is a string of several words. Developer-facing text
# (docstrings, CLI help, log lines, error messages) lives in bot/ modules that never reply.
REPLY_CODE = ("actions",)


def string_constants(path: Path):
    tree = ast.parse(path.read_text())
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    log_lines = {  # developer-facing: never sent to a person
        id(arg)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "logger"
        for arg in node.args
    }
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings | log_lines
        ):
            yield node


def test_domain_and_data_define_no_responses():
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    assert "responses" not in domain
    for path in (PROJECT_ROOT / "data").rglob("*.yml"):
        assert "responses" not in (yaml.safe_load(path.read_text()) or {}), path


def test_actions_send_only_content_by_id():
    for path in (PROJECT_ROOT / "actions").rglob("*.py"):
        source = path.read_text()
        for call in re.finditer(r"utter_message\(([^)]*)\)", source, re.S):
            assert call.group(1).lstrip().startswith("response="), (path, call.group(0))
        for node in string_constants(path):
            words = re.findall(r"[A-Za-z]+", node.value)
            assert len(words) < 3 or re.fullmatch(r"[a-z_{}]+", node.value), (path, node.value)


def test_no_code_builds_replies_from_literal_sentences():
    sentence = re.compile(r"^[A-Z][a-z]+( [a-z']+){3,}[.?!]$")
    for folder in CODE_FOLDERS:
        for path in (PROJECT_ROOT / folder).rglob("*.py"):
            text = path.read_text()
            if "utter_message" not in text and "dispatcher" not in text:
                continue
            for node in string_constants(path):
                assert not sentence.match(node.value), (path, node.value)
