"""The blueprints: one module per group of routes."""
