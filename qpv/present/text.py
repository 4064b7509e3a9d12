"""Show user-supplied strings as text, never as markup or formulas.

Anything that comes from a file, a link or a form (a territory name, a source title, an import's author,
a query parameter, a statement) may hold markdown (``[lien](…)``, ``![image](…)``), HTML (``<img …>``) or
a spreadsheet formula (``=HYPERLINK(…)``). These helpers make it inert for each place it is shown:

- ``markdown_text``: for st.markdown, st.caption, st.warning, st.info… (every markdown character escaped);
- ``html_text``: for HTML written by the app (st.html, unsafe_allow_html) and plotly titles and hovers;
- ``neutralise_formula`` / ``restore_formula``: for CSV cells opened in a spreadsheet, undone on import so
  that an export re-imports unchanged.
"""

import html
import re

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:=&^@\"'])")
# Bare addresses become links in Streamlit's markdown whatever the escapes (GFM autolinks): an invisible
# word joiner (U+2060) after the scheme, « www » or « @ » keeps them plain text.
AUTOLINK = re.compile(r"(?i)(https?|ftp|mailto|www|@)")
WORD_JOINER = "\u2060"
FORMULA_START = re.compile(r"'*[=+\-@\t\r]")
NEUTRAL_PREFIX = "'"


def markdown_text(text) -> str:
    """Escape every character markdown or Streamlit's directives could read (links, images, HTML, colours, maths)."""
    if text is None:
        return ""
    escaped = MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
    escaped = AUTOLINK.sub(lambda match: match.group(0) + WORD_JOINER, escaped)
    return escaped.replace("\n", " ").replace("\r", " ")


def html_text(text) -> str:
    """Escape a string for HTML and for plotly's text markup (<a>, <b>, <br>…): shown as typed."""
    return "" if text is None else html.escape(str(text), quote=True)


def caption_line(text: str) -> str:
    """Wrap an escaped text (markdown_text) to read as a caption inside a markdown block: one element, not two.

    Streamlit's own directives (small grey text), not HTML: markdown with HTML makes the browser fetch three
    more modules (rehype-raw and its helpers) before it can show the block.
    """
    return f":small[:gray[{text}]]"


def neutralise_formula(text: str) -> str:
    """Prefix with an apostrophe a text cell a spreadsheet would run as a formula (=, +, -, @, tab, CR)."""
    return NEUTRAL_PREFIX + text if isinstance(text, str) and FORMULA_START.match(text) else text


def restore_formula(text: str) -> str:
    """Undo neutralise_formula (an export re-imported gives back exactly the exported text)."""
    if isinstance(text, str) and text.startswith(NEUTRAL_PREFIX) and FORMULA_START.match(text[1:]):
        return text[1:]
    return text
