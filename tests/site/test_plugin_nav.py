"""How the plugin fits its sections into a navigation written in mkdocs.yml."""

from __future__ import annotations

from plinkdocs.outputs.site import Generator, Options
from plinkdocs.outputs.site.nav import add_unlisted, generated_nav
from plinkdocs.pipeline.config import Config

SECTIONS = {"architectures/index.md": ["architectures/index.md", "architectures/a.md", "architectures/b.md"],
            "rules/index.md": ["rules/index.md", "rules/PL001.md"]}


def test_an_entry_naming_a_section_index_grows_into_the_section():
    nav = [{"Home": "index.md"}, {"Architectures": "architectures/index.md"},
           {"More": [{"Rules": "rules/index.md"}, "format.md"]}]
    assert generated_nav(nav, SECTIONS) == [
        {"Home": "index.md"},
        {"Architectures": ["architectures/index.md", "architectures/a.md", "architectures/b.md"]},
        {"More": [{"Rules": ["rules/index.md", "rules/PL001.md"]}, "format.md"]},
    ]
    assert nav[1] == {"Architectures": "architectures/index.md"}  # the configuration is not changed
    assert generated_nav(None, SECTIONS) is None


def test_unlisted_pages_join_their_section():
    nav = [{"Home": "index.md"}, {"Reference": ["format.md"]}]
    pages = ["index.md", "format.md", "cost.md", "a/b.md"]
    assert add_unlisted(nav, pages, "Reference") == [{"Home": "index.md"},
                                                     {"Reference": ["format.md", "a/b.md", "cost.md"]}]
    assert add_unlisted(nav, pages, None) == nav
    assert add_unlisted([{"Home": "index.md"}], ["index.md", "x.md"], "Reference") == \
        [{"Home": "index.md"}, {"Reference": ["x.md"]}]


def test_an_empty_portfolio_still_has_its_pages(tmp_path):
    (tmp_path / "designs").mkdir()
    tree = Generator(Config(), Options(cache_dir=None, root=str(tmp_path))).generate([tmp_path / "designs"])
    assert "No designs yet" in tree.files["architectures/index.md"].decode()
    assert tree.nav["architectures/index.md"] == ["architectures/index.md"]
