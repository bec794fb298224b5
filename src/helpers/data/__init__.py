"""Data: reading the inputs – the catalogue of files, their schemas, the register, a year's
follow-up, the business-climate files and the Excel mall. Everything here validates; nothing
computes a result."""
