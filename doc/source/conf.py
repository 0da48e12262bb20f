"""Sphinx configuration for the Compute API guide.

Every sample on these pages is executed against the fake cloud by ``tox`` (see
``contributor/executable-samples``); this file only decides how the site looks.
"""

import logging
from pathlib import Path

import sphinx_copybutton
import sphinx_tabs

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
# sphinx-tabs and sphinx-copybutton add their own static directories to this list when the
# builder starts, after Sphinx compared the configuration with the last build's. Listing them
# here, and dropping their second copies (setup() below), keeps the list the same from one
# build to the next: otherwise every build reports a changed configuration and rereads all.
html_static_path = [
    (Path(sphinx_tabs.__file__).parent / "static").as_posix(),
    "_static",
    str((Path(sphinx_copybutton.__file__).parent / "_static").absolute()),
]
# In the form Sphinx turns it into (with the priority it gives conf.py's files), so that the
# next build does not see a changed configuration.
html_css_files = [("guide.css", {"priority": 800})]
epub_css_files: list[str] = []  # (it would copy the list above, and differ the same way)

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


def setup(app):  # type: ignore[no-untyped-def]
    # The theme, set up now rather than when the builder loads it, so that its option
    # (pygments_dark_style) exists when Sphinx compares this build's configuration with the
    # last one's. (Furo refuses to be listed in ``extensions``; this is not that.)
    app.setup_extension("furo")
    # MyST prints its whole configuration on every build; its warnings and errors still show.
    logging.getLogger("sphinx.myst_parser.sphinx_ext.main").setLevel(logging.WARNING)

    def listed_once(app):  # type: ignore[no-untyped-def]
        app.config.html_static_path = list(dict.fromkeys(app.config.html_static_path))

    app.connect("builder-inited", listed_once, priority=900)  # after the extensions' own
