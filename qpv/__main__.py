"""Entry point of python -m qpv."""

import sys

from qpv.cli import main

sys.exit(main())
