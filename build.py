"""Build the demo portal: ``python build.py`` (same as ``knutepunkt build``)."""

import sys

from hub.cli import main

if __name__ == "__main__":
    sys.exit(main(["build", *sys.argv[1:]]))
