"""The project's date formats (``FORMAT_MODULE_PATH``), over Django's for English."""
