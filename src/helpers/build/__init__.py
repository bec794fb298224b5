"""Build: pages from the register, notebook execution, the Jupyter Book, publishing, the archive
and the benchmark. The only stage that writes the book."""
