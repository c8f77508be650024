"""Dialogs: the generated step forms, first-run setup, print preview."""
