"""Uppföljningsboken: the yearly follow-up report of a kommun's handlingsplan (the plan: block of _config.yml).

Data flow: data/ -> validate -> compute -> papermill notebooks -> Jupyter Book -> book/<år>.
"""

__version__ = "0.1.0"
