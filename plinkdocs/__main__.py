import sys

from plinkdocs.cli import main

sys.exit(main())
