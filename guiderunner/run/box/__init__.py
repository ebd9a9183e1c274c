"""The page's box: scratch workspace and home, its processes, leftovers for `runner reset`."""
