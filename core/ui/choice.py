"""Select boxes over views that change between runs. Runs in the Streamlit script thread."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

import streamlit as st


class HasId(Protocol):
    @property
    def id(self) -> int: ...


Item = TypeVar("Item", bound=HasId)


def pick_by_id(title: str, items: Sequence[Item], describe: Callable[[Item], str]) -> Item | None:
    """A select box that keeps the chosen item by id and gives its current state (a select box
    of the views themselves would keep handing back the view of the run it was chosen in)."""
    by_id = {item.id: item for item in items}
    chosen = st.selectbox(title, list(by_id), format_func=lambda i: describe(by_id[i]))
    return None if chosen is None else by_id.get(chosen)
