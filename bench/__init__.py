"""`make bench`: a measurement tool beside the product, never part of it (`python -m bench`)."""
