"""Servers and their life: the records (cell and API database), states, the listing index
and filters, building and creating, changes to a built server, and deleting it."""
