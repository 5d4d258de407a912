"""README.md's reference tables are written from the code (``cli.readme``), so they cannot
drift: each block the README holds is what its writer writes today."""

from __future__ import annotations

import pytest

from cli import readme


@pytest.mark.parametrize("name", list(readme.BLOCKS))
def test_each_readme_block_is_what_the_code_writes(name):
    text = readme.README.read_text(encoding="utf-8")
    assert readme.block(text, name) == readme.BLOCKS[name](), (
        "run `python -m cli.readme` to write README.md's tables anew"
    )


def test_a_missing_block_is_named():
    with pytest.raises(ValueError, match="no block 'link-parameters'"):
        readme.block("# a README without markers\n", "link-parameters")


def test_rewriting_changes_only_the_blocks():
    text = readme.README.read_text(encoding="utf-8")
    stale = text.replace("| `cached` |", "| `cached-old` |")
    assert stale != text
    assert readme.rewrite(stale) == text
