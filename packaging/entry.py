"""Entry point of the frozen application (PyInstaller runs this file as __main__)."""

import multiprocessing
import sys

if __name__ == "__main__":
    # An import parses in worker processes (minutes.parallel): in a frozen build each worker
    # starts this executable again, and this call runs the worker instead of the window.
    multiprocessing.freeze_support()
    from gui.app import main

    sys.exit(main())
