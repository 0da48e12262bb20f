"""Sphinx configuration for the Compute API guide.

Every sample on these pages is executed against the fake cloud by ``tox`` (see
``contributor/executable-samples``); this file only decides how the site looks.
"""

project = "Compute API Guide"
author = "The fakenova contributors"
copyright = "2026, the fakenova contributors"

extensions = [
    "sphinx_tabs.tabs",
    "sphinx_copybutton",
    "myst_parser",
    # Highlights `...` elisions in JSON and HTTP samples instead of warning about them.
    "fakenova.sphinxext",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build"]
nitpicky = True

# Furo: a clean, accessible theme with a light and a dark mode, whose search is Sphinx's own
# (an index built with the site, so it works offline) and which loads nothing from the network.
html_theme = "furo"
html_title = "Compute API Guide"
html_theme_options = {
    "navigation_with_keys": True,
}
html_static_path = ["_static"]
html_css_files = ["guide.css"]

# Readers come here for the samples: keep them copyable and never wrap the CLI's tables
# (guide.css). Furo's own highlighting styles are kept: one for light, one for dark mode.
highlight_language = "none"

# sphinx-tabs closes an open tab when it is clicked again, leaving a tab set that shows
# nothing; a reader clicking the tab they are on expects it to stay.
sphinx_tabs_disable_tab_closing = True

# The copy button copies what a reader types: the commands after `$ `, never their output.
copybutton_prompt_text = "$ "
copybutton_only_copy_prompt_lines = True
copybutton_line_continuation_character = "\\"
# A block without prompts (an HTTP transcript, JSON) is copied whole.
