"""Build the demo portal: ``python build.py`` (same as ``knutepunkt build``)."""

import sys

from hub.cli import run

if __name__ == "__main__":
    run(["build", *sys.argv[1:]])
