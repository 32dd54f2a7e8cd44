"""When the model must be trained again: a missing model, or an input newer than it."""

import os
import shutil
import time

from bot import training
from bot.paths import PROJECT_ROOT, content_dir
from bot.training import needs_training


def test_removing_a_content_file_makes_the_model_out_of_date(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(content_dir(), content)
    monkeypatch.setenv("BOT_CONTENT_DIR", str(content))
    model = tmp_path / "model.tar.gz"
    assert needs_training(model)  # no model yet
    model.write_bytes(b"model")
    built = time.time() + 60  # newer than every input
    os.utime(model, (built, built))
    assert not needs_training(model)
    removed = next((content / "responses").glob("*.yml"))
    removed.unlink()
    # the removal happened after the model was built: only the folder records it
    os.utime(removed.parent, (built + 1, built + 1))
    assert needs_training(model)


def test_running_the_bot_beside_the_model_does_not_make_it_out_of_date(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(content_dir(), content)
    monkeypatch.setenv("BOT_CONTENT_DIR", str(content))
    model = tmp_path / "model.tar.gz"
    model.write_bytes(b"model")
    built = time.time() + 60
    os.utime(model, (built, built))
    # the project's root gains var/ and the code's folders __pycache__ when the bot runs
    folders = {folder: folder.stat() for folder in (PROJECT_ROOT, PROJECT_ROOT / "bot" / "safety")}
    for folder in folders:
        os.utime(folder, (built + 1, built + 1))
    try:
        assert not needs_training(model)
    finally:
        for folder, was in folders.items():
            os.utime(folder, ns=(was.st_atime_ns, was.st_mtime_ns))


def test_an_input_changed_while_the_model_trains_leaves_it_out_of_date(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(content_dir(), content)
    monkeypatch.setenv("BOT_CONTENT_DIR", str(content))
    model = tmp_path / "model.tar.gz"
    edited = content / "safety" / "patterns.yml"

    def rasa_train(*args, **kwargs):
        # a pattern is edited while Rasa trains (it has read the inputs already)
        time.sleep(0.05)
        edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        model.write_bytes(b"model")

    monkeypatch.setattr(training.subprocess, "run", rasa_train)
    training.train(force=True, out=model)
    assert needs_training(model)
