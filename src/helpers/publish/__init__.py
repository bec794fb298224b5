"""Publish: a year's run from validated data to the readers – the pipeline that runs, records and
swaps an edition into place, the landing page and list of editions, and the PDF."""
