"""Builders of test data, made through the services the site itself uses."""
