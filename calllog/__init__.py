"""calllog: the core of a confidential call logger for parent-support helplines.

Nothing in this package imports Textual; the terminal app lives in ``screens``.
"""

__version__ = "0.1.0"
