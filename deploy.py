"""Deploy, update, test and destroy the semaphore system: ``python deploy.py --help``."""

import sys

from deployer.cli import main

if __name__ == "__main__":
    sys.exit(main())
