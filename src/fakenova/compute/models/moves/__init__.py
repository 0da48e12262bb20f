"""Moves of a server between hosts: what every move shares (``common``), resizes and cold
migrations, live migrations, evacuations, and the migration records they leave."""
