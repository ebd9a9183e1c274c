"""Translations: pages -> Gettext catalogs (update), catalogs -> translated pages (build), checks.

Its command line is runner.cli.i18n.
"""
