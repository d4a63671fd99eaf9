"""zoomtui: audit a Zoom account's licenses and login activity from the terminal."""

__version__ = "0.1.0"

import logging as _logging

# Library modules log; only an application (the CLI with --verbose, or a test) decides where to.
_logging.getLogger("zoomtui").addHandler(_logging.NullHandler())
