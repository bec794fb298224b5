"""Uppföljningsboken: the yearly follow-up report of Norrtälje kommun's näringslivsstrategi.

Data flow: data/ -> validate -> compute -> papermill notebooks -> Jupyter Book -> book/<år>.
"""

__version__ = "0.1.0"
