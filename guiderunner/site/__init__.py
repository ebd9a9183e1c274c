"""The site: the `runner` mkdocs plugin and the bilingual build (needs the `site` extra)."""
