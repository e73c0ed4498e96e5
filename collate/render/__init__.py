"""Renderers: each turns a result (lacunae, collation, restoration, edition) into one format."""
