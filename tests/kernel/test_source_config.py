"""Source YAML: pydantic models that name the file and key path of a mistake, and `tuoke` exits 2 on it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kernel.errors import UserError
from kernel.sources import load_source, load_sources, parse_source

GOOD = {"id": "a_src", "kind": "tender_notice", "start_urls": "{demo_base}/x.htm"}


def _error(data, path=None) -> str:
    with pytest.raises(UserError) as caught:
        parse_source(data, path)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_a_good_source_reads_like_the_yaml():
    source = parse_source({**GOOD, "list": {"item_links": "a::attr(href)", "max_pages": 3},
                           "politeness": {"concurrency": 2}, "assertions": {"min": 1, "max": 9}})
    assert source.start_urls == ("http://127.0.0.1:8765/x.htm",)  # one URL becomes a tuple, placeholder filled
    assert source.title == "a_src" and source.min_items == 1 and source.max_items == 9
    assert source.list.get("max_pages") == 3 and source.list.get("next_page", "none") == "none"
    assert dict(source.politeness) == {"concurrency": 2}  # only the keys the YAML set
    assert "concurrency" in source.politeness and "download_delay" not in source.politeness


@pytest.mark.parametrize(("data", "expected"), [
    ({**GOOD, "list": {"item_link": "a"}}, "list.item_link: unknown key"),
    ({**GOOD, "list": {"api": {"url": "u", "itemspath": "a"}}}, "list.api.itemspath: unknown key"),
    ({**GOOD, "list": {"tiers": [{"url": "u"}, {"tier": "理事单位"}]}}, "list.tiers[1].url: required key is missing"),
    ({**GOOD, "kind": "award"}, "kind: Input should be"),
    ({**GOOD, "id": "A-src"}, "id: 'A-src' must be lower_snake_case"),
    ({k: v for k, v in GOOD.items() if k != "start_urls"}, "start_urls: required key is missing"),
    ({**GOOD, "politeness": {"concurrency": 0}}, "politeness.concurrency: Input should be greater than or equal to 1"),
    ({**GOOD, "assertions": {"min": 5, "max": 2}}, "assertions: min 5 is above max 2"),
    ({**GOOD, "attachments": {"pattern": "(x"}}, "attachments.pattern: not a valid regular expression"),
    ({**GOOD, "schedul": "0 6 * * *"}, "schedul: unknown key"),
])
def test_each_mistake_names_its_key_path(data, expected):
    assert expected in _error(data)


def test_the_id_must_equal_the_file_name(tmp_path):
    path = tmp_path / "other.yaml"
    path.write_text("id: a_src\nkind: tender_notice\nstart_urls: [http://h/x]\n", encoding="utf-8")
    assert _error_from_file(path) == f"{path}: id: 'a_src' must equal the file name 'other'"


def _error_from_file(path: Path) -> str:
    with pytest.raises(UserError) as caught:
        load_source(path)
    return str(caught.value)


def test_bad_yaml_names_the_line(tmp_path):
    path = tmp_path / "a_src.yaml"
    path.write_text("id: a_src\nkind: [tender_notice\n", encoding="utf-8")
    assert "not valid YAML at line" in _error_from_file(path)


def test_the_demo_sources_all_load():
    sources = load_sources(Path(__file__).parents[2] / "configs" / "demo" / "sources")
    assert len(sources) >= 8 and all(s.path is not None and s.path.stem == s.id for s in sources)


def test_tuoke_sources_prints_one_line_and_exits_2_on_a_typo(tmp_path):
    (tmp_path / "a_src.yaml").write_text("id: a_src\nkind: tender_notice\nstart_urls: [http://h/x]\n"
                                         "politeness: {concurency: 2}\n", encoding="utf-8")
    env = {**os.environ, "TUOKE_SOURCES_DIR": str(tmp_path)}
    proc = subprocess.run([str(Path(sys.executable).parent / "tuoke"), "sources"], capture_output=True, text=True,
                          env=env, timeout=120)
    assert proc.returncode == 2, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "politeness.concurency: unknown key" in lines[0], proc.stderr
