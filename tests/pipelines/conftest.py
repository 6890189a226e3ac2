import warnings

import pytest
from pipeline_helpers import mention, uscc, write_landing

warnings.filterwarnings("ignore", category=DeprecationWarning)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """tmp project root with data/ holding one landing run of 4 mentions (3 companies)."""
    data = tmp_path / "data"
    monkeypatch.setenv("TUOKE_DATA_DIR", str(data))
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    rows = [
        mention(1, "杭州甲科技有限公司", 500000.0, uscc("A1")),
        mention(2, "杭州乙贸易有限公司", 120000.0, uscc("B2")),
        mention(3, "杭州甲科技有限公司", 80000.0, uscc("A1")),
        mention(4, "宁波丙制造有限公司", 30000.0, None),
    ]
    write_landing(data, "20260101T000000Z-aaaaaa", rows)
    return tmp_path
