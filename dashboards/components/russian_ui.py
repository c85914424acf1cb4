"""Streamlit's own words in Russian: the status widget, dialogs (page not found, connection lost),
and the typing hints under inputs, which Streamlit has only in English.

One small script in the page (``st.html`` with JavaScript, run once per browser tab) rewrites those
texts wherever they appear, now or later; the typing hints are hidden.  The words it knows are
``TRANSLATIONS``; a text it does not know is left as it is.
"""
from __future__ import annotations

import json

import streamlit as st

# Streamlit's English text -> what the user reads; keys are whole texts of one element, or their start
TRANSLATIONS: dict[str, str] = {
    "Page not found": "Страница не найдена",
    "The page that you have requested does not seem to exist. Running the app's main page.":
        "Такой страницы нет. Открыта главная страница.",
    "Running...": "Выполняется…",
    "Stop": "Остановить",
    "Stopping...": "Останавливается…",
    "Connection error": "Нет связи с сервером",
    "Connecting": "Подключение",
    "Connecting to Streamlit server": "Подключение к серверу",
    "Unable to connect to Streamlit server": "Нет связи с сервером панели",
    "Is Streamlit still running? If you accidentally stopped Streamlit, just restart it in your terminal:":
        "Сервер панели не отвечает. Обратитесь к администратору.",
    "Connection lost. Please wait for the app to reconnect, then try again.":
        "Связь потеряна. Дождитесь восстановления и повторите.",
    "Please wait...": "Подождите…",
    "Error": "Ошибка",
    "Close": "Закрыть",
}
# the hints «Press Enter to apply» and the like under text inputs: hidden rather than translated
STYLE = '[data-testid="InputInstructions"]{display:none !important}'

_SCRIPT = """
(() => {
  if (window.__okaRussian) return;
  window.__okaRussian = true;
  const words = %s;
  const fix = (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const t = n.nodeValue.trim();
      if (t && Object.prototype.hasOwnProperty.call(words, t)) n.nodeValue = n.nodeValue.replace(t, words[t]);
    }
    root.querySelectorAll && root.querySelectorAll('[title],[aria-label]').forEach((e) => {
      for (const a of ['title', 'aria-label']) {
        const v = e.getAttribute(a);
        if (v && Object.prototype.hasOwnProperty.call(words, v)) e.setAttribute(a, words[v]);
      }
    });
  };
  const style = document.createElement('style');
  style.textContent = %s;
  document.head.appendChild(style);
  fix(document.body);
  new MutationObserver((changes) => {
    for (const c of changes) {
      if (c.type === 'characterData') fix(c.target.parentNode || document.body);
      c.addedNodes && c.addedNodes.forEach((node) => fix(node.nodeType === 3 ? node.parentNode : node));
    }
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
})();
"""


def russian_ui() -> None:
    """Put the translating script in the page (once per tab; further calls are no-ops in the browser)."""
    st.html(f"<script>{_SCRIPT % (json.dumps(TRANSLATIONS, ensure_ascii=False), json.dumps(STYLE))}</script>",
            unsafe_allow_javascript=True)
