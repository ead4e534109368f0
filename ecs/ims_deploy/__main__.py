"""`python -m ims_deploy` runs the command line."""

import sys

from ims_deploy.cli import main

sys.exit(main())
