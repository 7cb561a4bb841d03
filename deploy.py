"""Deploy, update, test and destroy every workflow of generated/: ``python deploy.py --help``."""

import sys

from deployer.cli import main

if __name__ == "__main__":
    sys.exit(main())
