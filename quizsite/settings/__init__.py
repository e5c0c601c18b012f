"""Settings split by environment: base (shared, read from the environment), local, test, production."""
