"""Country outlines for the project map (outlines.json) and the one-off script that builds them."""
