"""The presentation page's own style and remote-control keys: what the browser needs to show slides."""

SLIDE_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] {display: none !important;}
[data-testid="stMainBlockContainer"], .block-container {padding: .5rem 2.5rem 1rem !important;
  max-width: 100% !important;}
.deck {font-family: 'Source Sans Pro', Arial, sans-serif; color: #1a202c; font-size: clamp(1rem, 2.2vh, 1.5rem);}
.deck h1 {font-size: clamp(1.6rem, 5.2vh, 3.2rem); font-weight: 700; line-height: 1.15; margin: 0 0 .2rem 0;
  padding: 0; color: #1a202c;}
.deck-sub {font-size: clamp(.85rem, 1.9vh, 1.3rem); color: #3d4550; margin-bottom: .5rem;}
.deck-cards {display: grid; grid-template-columns: repeat(3, 1fr); gap: 1.2vh .8rem;}
.deck-card {border: 2px solid #e2e8f0; border-top: 8px solid; border-radius: .6rem; padding: .6vh .9rem 1vh;}
.deck-card-label {font-size: clamp(.95rem, 2.3vh, 1.6rem); font-weight: 700; line-height: 1.2;}
.deck-card-value {font-size: clamp(1.8rem, 6vh, 4.4rem); font-weight: 800; line-height: 1.05;}
.deck-card-sign {font-size: clamp(.85rem, 2vh, 1.4rem); font-weight: 700;}
.deck-card-text {font-size: clamp(.85rem, 2vh, 1.4rem); line-height: 1.2; margin-top: .1rem;}
.deck-card-ref, .deck-card-source, .deck-card-note {font-size: clamp(.7rem, 1.5vh, 1.05rem); color: #3d4550;
  margin-top: .15rem; line-height: 1.2;}
.deck-card-note {font-style: italic;}
.deck-cover {text-align: center; padding-top: 8vh;}
.deck-cover h1 {font-size: clamp(2rem, 8vh, 5rem);}
.deck-cover p {font-size: clamp(1rem, 3vh, 2rem); color: #3d4550; margin: .4rem 0;}
.deck-table {border-collapse: collapse; width: 100%; font-size: clamp(.85rem, 2vh, 1.3rem);}
.deck-table th, .deck-table td {text-align: left; vertical-align: top; padding: .4rem .6rem;
  border-bottom: 1px solid #e2e8f0;}
.deck-table td[data-label="Ligne"] {white-space: nowrap;}
.deck-inset {margin: 0;}
.deck-inset img {display: block; width: 100%; height: auto;}
.deck-inset figcaption {font-size: .875rem; color: #3d4550; margin-top: .3rem; line-height: 1.4;}
.deck-counter {font-size: 1rem; color: #3d4550; text-align: center; padding-top: .4rem;}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {color: #3d4550 !important;
  opacity: 1 !important;}
@media (max-width: 700px) {
  [data-testid="stMainBlockContainer"], .block-container {padding: .5rem .8rem 1rem !important;}
  .deck-cards {grid-template-columns: 1fr;}
  .deck-table thead, .deck-table tr:first-child {display: none;}
  .deck-table, .deck-table tbody, .deck-table tr, .deck-table td {display: block; width: 100%;}
  .deck-table tr {border-bottom: 2px solid #e2e8f0; padding: .3rem 0;}
  .deck-table td {border: none; padding: .1rem 0;}
  .deck-table td::before {content: attr(data-label) " : "; font-weight: 700;}
}
</style>
"""

REMOTE_KEYS = """
<script>
(() => {
  // What presentation remotes send: forward on PageDown, Space and →, back on PageUp and ←. Caught before
  // anything else, so that Space never also presses a focused button, and only while the deck is shown.
  if (window.__qpvDeckKeys) { return; }
  window.__qpvDeckKeys = true;
  const forward = new Set(["PageDown", " ", "Spacebar", "ArrowRight"]);
  const back = new Set(["PageUp", "ArrowLeft"]);
  window.addEventListener("keydown", (event) => {
    if (!forward.has(event.key) && !back.has(event.key)) { return; }
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    const target = event.target;
    if (target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))) { return; }
    const button = document.querySelector(forward.has(event.key) ? ".st-key-deck_next button"
                                                                  : ".st-key-deck_previous button");
    if (!button) { return; }
    event.preventDefault();
    event.stopImmediatePropagation();
    if (!button.disabled) { button.click(); }
  }, true);
  window.addEventListener("keyup", (event) => {  // a focused button would also take Space on its way up
    const target = event.target;
    if (event.key !== " " || !document.querySelector(".st-key-deck_next button")) { return; }
    if (target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))) { return; }
    event.preventDefault();
    event.stopImmediatePropagation();
  }, true);
})();
</script>
"""
