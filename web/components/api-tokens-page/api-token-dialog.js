/**
 * "Create API token": a name and the scopes, then the token itself, shown this once with a
 * button that copies it (or, where the browser does not let the page copy, selects it to be
 * copied by hand). `open()` resolves to the CreateApiTokenSuccess, or null when nothing was
 * created; closing the dialog after the token was shown, in any way, answers the success.
 */

import { createApiToken } from '../../lib/api.js';
import { html } from '../../lib/html.js';
import { ModalDialog } from '../../lib/modal-dialog.js';
import { showSecretOnce } from '../../lib/secret-field.js';
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
    return this.presentForm(
      html`<form class="dialog-form" novalidate>
        <h2 class="dialog-title" id="api-token-title">Create API token</h2>
        <div class="dialog-fields">
          <div class="field">
            <label for="api-token-name">Name</label>
            <input class="input" id="api-token-name" name="name" autocomplete="off" required
              maxlength="100" aria-describedby="api-token-name-hint">
            <p class="hint" id="api-token-name-hint">What the token is for, e.g. "HR sync".</p>
          </div>
          <fieldset class="choice-list" id="api-token-scopes">
            <legend>Scopes</legend>
            ${SCOPES.map(
              (scope) => html`<label class="choice">
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
      { save: (form) => this.#submit(form), focus: '#api-token-name' },
    );
  }

  async #submit(form) {
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
    showSecretOnce(this.dialog, {
      titleId: 'api-token-title',
      title: `Copy the token “${apiToken.name}”`,
      notice: html`This is the only time the token is shown. Store it where the integration
        keeps its secrets: Seats keeps only a hash of it.`,
      field: {
        id: 'api-token-secret',
        label: 'Token',
        value: token,
        hint: html`Send it as <code>Authorization: Bearer …</code>.`,
      },
      what: 'token',
    });
  }
}

export function registerApiTokenDialog() {
  customElements.define('api-token-dialog', ApiTokenDialog);
}
