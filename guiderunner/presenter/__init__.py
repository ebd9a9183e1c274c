"""`runner step`: a page presented one step at a time (session.py), on a projector (screen.py)."""
