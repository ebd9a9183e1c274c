"""Translations: pages -> Gettext catalogs (update), catalogs -> translated pages (build), checks.

Entry points are in `runner.i18n.cli`: `add_commands` for runner's parser, `main(argv)`.
"""
