"""Exports: graph and table files now; the PDF dossier later."""
