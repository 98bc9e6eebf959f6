"""The ccus CLI: run/show, and one-line errors with exit code 2."""

import subprocess
import sys

from ccus.cli.main import main


def test_run_and_show(tmp_path, small_config, capsys):
    out = tmp_path / "o.h5"
    assert main(["run", str(small_config), "-o", str(out), "-q"]) == 0
    text = capsys.readouterr().out
    assert "fraction mineralised (end)" in text and "final pH" in text and "t50" in text
    assert out.exists()
    assert main(["show", str(out)]) == 0
    text = capsys.readouterr().out
    assert "database_sha256" in text and "summary" in text


def test_bad_config_one_line_exit_2(write_config, small_config, capsys):
    bad = write_config(small_config.read_text().replace('duration = "30 d"', 'duration = "30 m"'), "bad.toml")
    assert main(["run", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "bad.toml: experiment.duration: expected a time" in err
    assert "\n" not in err and "Traceback" not in err


def test_missing_store_exit_2(tmp_path, capsys):
    assert main(["show", str(tmp_path / "none.h5")]) == 2
    assert "file not found" in capsys.readouterr().err


def test_console_script_no_traceback(tmp_path):
    bad = tmp_path / "x.toml"
    bad.write_text("[experiment\n")
    proc = subprocess.run([sys.executable, "-m", "ccus.cli.main", "run", str(bad)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "TOML syntax error" in proc.stderr


def test_nothing_stored_is_lost_on_error(tmp_path, write_config, small_config):
    out = tmp_path / "keep.h5"
    assert main(["run", str(small_config), "-o", str(out), "-q"]) == 0
    before = out.read_bytes()
    bad = write_config(small_config.read_text().replace('rock_mass = "31 kg"', 'rock_mass = "-1 kg"'), "bad2.toml")
    assert main(["run", str(bad), "-o", str(out)]) == 2
    assert out.read_bytes() == before


def test_import_is_fast():
    code = "import time; t=time.perf_counter(); import ccus; print(time.perf_counter()-t)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert float(proc.stdout) < 1.0  # issue target: `import ccus` under 1 s
