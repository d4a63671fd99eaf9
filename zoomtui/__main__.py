"""Entry point for ``python -m zoomtui``."""

from zoomtui.cli import main

if __name__ == "__main__":
    main()
