"""The entry point papermill loads for the warm-kernel engine, without importing papermill.

papermill loads every `papermill.engine` entry point while `papermill.engines` itself is being
imported. Pointing the entry point at :mod:`helpers.run.engine` (which imports papermill.engines)
would load a half-initialised module whenever that module is imported first; this stand-in
delegates papermill's calls to the real engine on first use instead.
"""

from __future__ import annotations


def _engine():
    from helpers.run.engine import WarmEngine

    return WarmEngine


class WarmEngine:
    """papermill's engine interface, delegated to :class:`helpers.run.engine.WarmEngine`."""

    @classmethod
    def execute_notebook(cls, *args, **kwargs):
        return _engine().execute_notebook(*args, **kwargs)

    @classmethod
    def nb_kernel_name(cls, *args, **kwargs):
        return _engine().nb_kernel_name(*args, **kwargs)

    @classmethod
    def nb_language(cls, *args, **kwargs):
        return _engine().nb_language(*args, **kwargs)
