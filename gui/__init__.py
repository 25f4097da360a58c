"""Minutes Reader's desktop application (PySide6). The core it shows lives in `minutes`."""
