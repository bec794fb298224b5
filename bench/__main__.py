"""`python -m bench [--ar ÅR] [--upprepa N]`, run from the project folder (`make bench`)."""

import argparse
import sys
from pathlib import Path

from bench.matning import main

parser = argparse.ArgumentParser(prog="python -m bench", description="Mät körtider och skriv docs/prestanda.md.")
parser.add_argument("--ar", type=int, default=None, help="utgåvan som mäts (standard: planens näst första år)")
parser.add_argument("--upprepa", type=int, default=3, help="antal mätningar per fall (standard 3)")
args = parser.parse_args()
sys.exit(main(Path.cwd(), year=args.ar, repeat=max(1, args.upprepa)))
