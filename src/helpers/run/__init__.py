"""Run: a year's pages from the register, executed with papermill on warm kernels, cached by what
they read, and built into HTML by Jupyter Book. Writes only into staging and `_build/`."""
