"""Sphinx configuration for the Compute API guide.

Every sample on these pages is executed against the fake cloud by ``tox`` (see
``contributor/executable-samples``); this file only decides how the site looks.
"""

project = "Compute API Guide"
author = "The fakenova contributors"
copyright = "2026, the fakenova contributors"

extensions = [
    "sphinx_tabs.tabs",
    "myst_parser",
    # Highlights `...` elisions in JSON and HTTP samples instead of warning about them.
    "fakenova.sphinxext",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build"]
nitpicky = True

html_theme = "alabaster"
html_title = "Compute API Guide"
html_theme_options = {
    "description": "Every sample executed against a fake Nova 34",
    "fixed_sidebar": True,
    "page_width": "1100px",
}
html_static_path = ["_static"]
html_css_files = ["guide.css"]

# Readers come here for the samples: keep them copyable and never wrap the CLI's tables.
pygments_style = "sphinx"
highlight_language = "none"
