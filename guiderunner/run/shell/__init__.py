"""The page's shell: bash on a pseudo-terminal, typed into as a reader types."""
