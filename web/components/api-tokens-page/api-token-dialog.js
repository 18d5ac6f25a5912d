/**
 * "Create API token": a name and the scopes, then the token itself, shown this once with a
 * button that copies it (or, where the browser does not let the page copy, selects it to be
 * copied by hand). `open()` resolves to the CreateApiTokenSuccess, or null when nothing was
 * created; closing the dialog after the token was shown, in any way, answers the success.
 */

import { createApiToken } from '../../lib/api.js';
import { html, render } from '../../lib/html.js';
import { ModalDialog } from '../../lib/modal-dialog.js';
import { SCOPES } from './scopes.js';

export class ApiTokenDialog extends ModalDialog {
  #created = null;

  constructor() {
    super({ name: 'api-token-dialog', labelledBy: 'api-token-title' });
  }

  closedAnswer() {
    return this.#created;
  }

  open() {
    this.#created = null;
    const answer = this.present(
      html`<form class="dialog-form" novalidate>
        <h2 class="dialog-title" id="api-token-title">Create API token</h2>
        <div class="dialog-fields">
          <div class="field">
            <label for="api-token-name">Name</label>
            <input class="input" id="api-token-name" name="name" autocomplete="off" required
              maxlength="100" aria-describedby="api-token-name-hint">
            <p class="hint" id="api-token-name-hint">What the token is for, e.g. "HR sync".</p>
          </div>
          <fieldset class="api-token-scopes" id="api-token-scopes">
            <legend>Scopes</legend>
            ${SCOPES.map(
              (scope) => html`<label class="api-token-scope">
                <input type="checkbox" name="scopes" value="${scope.value}"
                  ${scope.value === 'SEATS_READ' ? 'checked' : ''}>
                <span>
                  <code>${scope.label}</code>
                  <span class="hint">${scope.detail}</span>
                </span>
              </label>`,
            )}
          </fieldset>
          <div data-slot="error"></div>
        </div>
        <div class="dialog-actions">
          <button type="button" class="button" data-action="cancel">Cancel</button>
          <button type="submit" class="button primary">Create token</button>
        </div>
      </form>`,
      (dialog) => {
        dialog.querySelector('form').addEventListener('submit', (event) => this.#submit(event));
      },
    );
    this.dialog.querySelector('#api-token-name').focus();
    return answer;
  }

  async #submit(event) {
    event.preventDefault();
    if (this.busy) return;
    const form = event.currentTarget;
    const name = form.elements.name.value.trim();
    const scopes = [...form.querySelectorAll('input[name="scopes"]:checked')].map((i) => i.value);
    this.setBusy(form, true, 'Creating…');
    try {
      // The server judges the name and the scopes; its message says what to fix.
      const result = await createApiToken(name, scopes);
      this.busy = false;
      this.#created = result;
      this.#showSecret(result);
    } catch (error) {
      this.setBusy(form, false, 'Create token');
      this.showError(error.message, error.field);
    }
  }

  /** Also marks the part of the form the error is about, and moves focus there. */
  showError(message, field = null) {
    const form = this.querySelector('form');
    super.showError(message);
    const scopes = form.querySelector('#api-token-scopes');
    this.markInvalid({ name: form.elements.name, scopes }, field);
  }

  #showSecret({ token, apiToken }) {
    render(
      this.dialog,
      html`<form method="dialog" class="dialog-form">
        <h2 class="dialog-title" id="api-token-title">Copy the token “${apiToken.name}”</h2>
        <p class="message warning" id="api-token-once">
          This is the only time the token is shown. Store it where the integration keeps its
          secrets: Seats keeps only a hash of it.
        </p>
        <div class="field">
          <label for="api-token-secret">Token</label>
          <div class="api-token-secret-row">
            <input class="input api-token-secret" id="api-token-secret" readonly
              value="${token}" spellcheck="false" autocomplete="off"
              aria-describedby="api-token-once api-token-use">
            <button type="button" class="button" data-action="copy">Copy</button>
          </div>
          <p class="hint" id="api-token-use">Send it as <code>Authorization: Bearer …</code>.</p>
        </div>
        <p class="api-token-copied small-text" data-slot="copy-status" role="status"></p>
        <div class="dialog-actions">
          <button type="submit" class="button primary" data-action="done">Done</button>
        </div>
      </form>`,
    );
    this.dialog.querySelector('[data-action="copy"]').addEventListener('click', () => this.#copy());
    this.dialog.querySelector('[data-action="copy"]').focus();
  }

  async #copy() {
    const input = this.dialog.querySelector('#api-token-secret');
    const status = this.dialog.querySelector('[data-slot="copy-status"]');
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
      await navigator.clipboard.writeText(input.value);
      status.textContent = 'Copied to the clipboard.';
    } catch {
      // No clipboard for the page (an insecure origin, a refused permission): the token is
      // selected, for the keyboard's copy.
      input.focus();
      input.select();
      status.textContent = 'The token is selected: press Ctrl+C (⌘C on a Mac) to copy it.';
    }
  }
}

export function registerApiTokenDialog() {
  customElements.define('api-token-dialog', ApiTokenDialog);
}
