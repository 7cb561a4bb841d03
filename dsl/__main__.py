"""``python -m dsl``: see :mod:`dsl.cli`."""

import sys

from dsl.cli import main

sys.exit(main(sys.argv[1:]))
