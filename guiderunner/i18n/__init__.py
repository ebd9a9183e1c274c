"""Translations: pages -> Gettext catalogs (update), catalogs -> translated pages (build), checks.

Its command line is guiderunner.cli.i18n.
"""
