"""Evidence: what makes an edition trustworthy years later – the input snapshot, the manifest of
every file with the code and environment that made it, the archive package for the diarium and
e-arkiv, verification and reproduction."""
