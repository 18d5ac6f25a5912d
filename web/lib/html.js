/**
 * Markup from tagged templates. Every interpolated value is escaped unless it is itself the
 * result of `html`, so data from the server can never become markup.
 */

const ESCAPES = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

export function escapeHtml(value) {
  return String(value).replace(/[&<>"'`]/g, (c) => ESCAPES[c]);
}

class SafeHtml {
  constructor(text) {
    this.text = text;
  }

  toString() {
    return this.text;
  }
}

function toMarkup(value) {
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(toMarkup).join('');
  // `cond && html`...`` leaves false behind when the condition fails: render nothing.
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(value);
}

/** The tagged template: html`<p>${name}</p>`. */
export function html(strings, ...values) {
  let out = strings[0];
  for (let i = 0; i < values.length; i += 1) {
    out += toMarkup(values[i]) + strings[i + 1];
  }
  return new SafeHtml(out);
}

/**
 * Replaces the content of `target`. The element that had focus inside it (found again by its
 * id) gets focus back, so keyboard users keep their place when a list re-renders.
 */
export function render(target, template) {
  const active = document.activeElement;
  const focusId = active && active.id && target.contains(active) ? active.id : '';
  const caret = focusId && typeof active.selectionStart === 'number' ? active.selectionStart : null;
  target.innerHTML = toMarkup(template);
  if (!focusId) return;
  const again = target.querySelector(`#${CSS.escape(focusId)}`);
  if (!again) return;
  again.focus({ preventScroll: true });
  if (caret !== null && typeof again.setSelectionRange === 'function') {
    try {
      again.setSelectionRange(caret, caret);
    } catch {
      // Inputs such as type=number have no caret.
    }
  }
}

/** Fires a bubbling, composed CustomEvent from `element`. */
export function emit(element, name, detail = {}) {
  return element.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true, detail }));
}
