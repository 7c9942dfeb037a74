"""Running statistics over numeric sequences, with a C core."""

from faststats._core import summarize

__all__ = ["summarize"]
__version__ = "0.2.0"
