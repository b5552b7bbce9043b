"""People and places: staff accounts and sessions, teams, municipalities."""
