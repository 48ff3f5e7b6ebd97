"""The four kx services; each owns its database and talks to the others only through events."""
