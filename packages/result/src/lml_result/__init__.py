"""Expected outcomes as values (``Ok``/``Err``), and the one fault every layer may raise."""

from lml_result.faults import DependencyUnavailable
from lml_result.result import Err, Ok, Result

__all__ = ["DependencyUnavailable", "Err", "Ok", "Result"]
