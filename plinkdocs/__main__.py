import sys

from plinkdocs.cli.main import main

sys.exit(main())
