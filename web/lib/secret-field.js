/**
 * A secret shown this once (an API token, a webhook endpoint's signing secret): a read-only
 * field with a button that copies it to the clipboard or, where the browser does not let the
 * page write there (an insecure origin, a refused permission), selects it to be copied by hand.
 * The status line under it says which happened.
 */

import { html, render } from './html.js';

/**
 * The field's markup: `id` is its input's, `label` its label, `describedBy` the id of what
 * says the secret is shown once; `hint` (markup) says how it is used, when given.
 */
export function secretField({ id, label, value, describedBy, hint = null }) {
  const hintId = `${id}-hint`;
  return html`<div class="field">
      <label for="${id}">${label}</label>
      <div class="secret-row">
        <input class="input secret-value" id="${id}" readonly value="${value}"
          spellcheck="false" autocomplete="off"
          aria-describedby="${hint ? `${describedBy} ${hintId}` : describedBy}">
        <button type="button" class="button" data-action="copy">Copy</button>
      </div>
      ${hint && html`<p class="hint" id="${hintId}">${hint}</p>`}
    </div>
    <p class="secret-copied small-text" data-slot="copy-status" role="status"></p>`;
}

/**
 * Wires the Copy button of the field `secretField` made inside `root`, and gives it the focus;
 * `what` names the secret in the status line ("The token is selected: …").
 */
export function wireSecretField(root, what) {
  const button = root.querySelector('[data-action="copy"]');
  button.addEventListener('click', () => copy(root, what));
  button.focus();
}

async function copy(root, what) {
  const input = root.querySelector('.secret-value');
  const status = root.querySelector('[data-slot="copy-status"]');
  try {
    if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
    await navigator.clipboard.writeText(input.value);
    status.textContent = 'Copied to the clipboard.';
  } catch {
    input.focus();
    input.select();
    status.textContent = `The ${what} is selected: press Ctrl+C (⌘C on a Mac) to copy it.`;
  }
}

/**
 * Fills `dialog` with the secret, shown this once: the title (`titleId` is the dialog's
 * label), the `notice` that says so (markup), the field (`field`: `secretField`'s options but
 * `describedBy`) and a Done button that closes the dialog; the Copy button has the focus.
 */
export function showSecretOnce(dialog, { titleId, title, notice, field, what }) {
  const noticeId = `${field.id}-once`;
  render(
    dialog,
    html`<form method="dialog" class="dialog-form">
      <h2 class="dialog-title" id="${titleId}">${title}</h2>
      <p class="message warning" id="${noticeId}">${notice}</p>
      ${secretField({ ...field, describedBy: noticeId })}
      <div class="dialog-actions">
        <button type="submit" class="button primary" data-action="done">Done</button>
      </div>
    </form>`,
  );
  wireSecretField(dialog, what);
}
