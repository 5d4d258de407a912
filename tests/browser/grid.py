"""Reading and sorting a Streamlit data grid (glide-data-grid) in a real browser.

The grid draws on a canvas; beside it the browser holds an accessible copy of the table (raw
cell values, no layout), which is what these helpers read. A header is clicked at its drawn
position: the grid's left edge plus the widths of the columns before it, which the page fixes
(``st.column_config`` ``width`` in pixels); on a screen narrower than the columns the grid does
not stretch them, so the sums are exact.
"""

from __future__ import annotations

HEADER_HEIGHT = 35
"""Pixels of the grid's header row."""


def rows(grid) -> list[str]:
    """The body rows, each as the text of its cells run together (raw values: ``37.5``)."""
    return grid.locator('[role="row"]').all_inner_texts()[1:]


def click_header(page, grid, widths: list[int], column: int, times: int = 1) -> None:
    """Click the header of ``column`` (0-based) ``times`` times; ``widths`` are the pixel widths of
    the visible columns from the left. Once sorts ascending, twice descending."""
    # The grid's top well below the app's header bar (which would take the click).
    grid.evaluate(
        """e => { e.scrollIntoView({block: 'start'});
                  const main = document.querySelector('[data-testid="stMain"]');
                  (main || window).scrollBy(0, -150); }"""
    )
    page.wait_for_timeout(800)  # the grid takes clicks once it has painted
    box = grid.bounding_box()
    assert box is not None, "the grid is not on screen"
    x = box["x"] + 1 + sum(widths[:column]) + widths[column] / 2
    for _ in range(times):
        before = rows(grid)
        page.mouse.click(x, box["y"] + HEADER_HEIGHT / 2)
        for _ in range(15):  # the grid re-sorts its accessible copy a moment later
            page.wait_for_timeout(100)
            if rows(grid) != before:
                break
        page.wait_for_timeout(300)  # apart enough not to read as a double click


def column(grid, index: int) -> list[str]:
    """The cells of one column (0-based, in the order shown), top to bottom, as raw values."""
    return grid.evaluate(
        """(e, i) => [...e.querySelectorAll('tr[role="row"]')].slice(1).map(
            r => (r.querySelectorAll('td[role="gridcell"]')[i] || {}).textContent ?? '')""",
        index,
    )
