"""How each kind of step runs: commands in the shell, files, services on their own terminal."""
