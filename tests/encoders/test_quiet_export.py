"""The exporters' chatter is silenced while a graph is built (``bot.encoders.graph.quiet``), nothing else."""

from __future__ import annotations

import logging
import warnings

import pytest

from bot.encoders.graph import quiet


def test_warnings_log_lines_and_prints_are_silenced_inside_only(capsys: pytest.CaptureFixture[str],
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    with quiet():
        warnings.warn("TracerWarning: torch.tensor results are registered as constants", stacklevel=1)
        logging.getLogger("fusion_skiplayernorm").warning("symbolic shape inference disabled or failed.")
        logging.warning("Please consider to run pre-processing before quantization.")
        print("failed in shape inference <class 'AssertionError'>")
    assert capsys.readouterr().out == "" and caplog.records == []
    logging.getLogger("bot").warning("after the export")
    print("after")
    assert [r.getMessage() for r in caplog.records] == ["after the export"]
    assert capsys.readouterr().out == "after\n"


def test_an_exporters_error_still_raises_and_logging_comes_back() -> None:
    with pytest.raises(RuntimeError, match="export failed"), quiet():
        raise RuntimeError("export failed")
    assert logging.root.manager.disable == logging.NOTSET
