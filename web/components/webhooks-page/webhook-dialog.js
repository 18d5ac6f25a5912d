/**
 * "Add endpoint": the URL, a description and the events; then the signing secret, shown this
 * once (as after a rotation: `reveal`). `open()` resolves to the CreateWebhookEndpointSuccess,
 * or null when nothing was created; closing the dialog after the secret was shown, in any
 * way, answers the success.
 */

import { createWebhookEndpoint } from '../../lib/api.js';
import { html } from '../../lib/html.js';
import { ModalDialog } from '../../lib/modal-dialog.js';
import { showSecretOnce } from '../../lib/secret-field.js';
import { EVENTS } from './events.js';

export class WebhookDialog extends ModalDialog {
  #created = null;

  constructor() {
    super({ name: 'webhook-dialog', labelledBy: 'webhook-title' });
  }

  closedAnswer() {
    return this.#created;
  }

  open() {
    this.#created = null;
    return this.presentForm(
      html`<form class="dialog-form" novalidate>
        <h2 class="dialog-title" id="webhook-title">Add webhook endpoint</h2>
        <div class="dialog-fields">
          <div class="field">
            <label for="webhook-url">URL</label>
            <input class="input" id="webhook-url" name="url" type="url" autocomplete="off"
              required maxlength="2000" aria-describedby="webhook-url-hint"
              placeholder="https://">
            <p class="hint" id="webhook-url-hint">An https address on the internet; events are
              posted to it as JSON.</p>
          </div>
          <div class="field">
            <label for="webhook-description">Description</label>
            <input class="input" id="webhook-description" name="description" autocomplete="off"
              maxlength="200">
          </div>
          <fieldset class="choice-list" id="webhook-events">
            <legend>Events</legend>
            ${EVENTS.map(
              (event) => html`<label class="choice">
                <input type="checkbox" name="events" value="${event.value}" checked>
                <span><code>${event.label}</code><span class="hint">${event.detail}</span></span>
              </label>`,
            )}
          </fieldset>
          <div data-slot="error"></div>
        </div>
        <div class="dialog-actions">
          <button type="button" class="button" data-action="cancel">Cancel</button>
          <button type="submit" class="button primary">Add endpoint</button>
        </div>
      </form>`,
      { save: (form) => this.#submit(form), focus: '#webhook-url' },
    );
  }

  async #submit(form) {
    const input = {
      url: form.elements.url.value.trim(),
      description: form.elements.description.value,
      events: [...form.querySelectorAll('input[name="events"]:checked')].map((i) => i.value),
    };
    this.setBusy(form, true, 'Adding…');
    try {
      // The server judges the URL (https, a public address) and the events.
      const result = await createWebhookEndpoint(input);
      this.busy = false;
      this.#created = result;
      this.#showSecret(result.secret, 'Copy the signing secret');
    } catch (error) {
      this.setBusy(form, false, 'Add endpoint');
      this.showError(error.message, error.field);
    }
  }

  showError(message, field = null) {
    const form = this.querySelector('form');
    const url = form.elements.url;
    super.showError(message);
    this.markInvalid({ url, events: form.querySelector('#webhook-events') }, field, url);
  }


  /** Shows a secret made by a rotation; resolves once the dialog is closed. */
  reveal(secret, title) {
    this.#created = { secret };
    const answer = this.present(html`<form method="dialog"></form>`);
    this.#showSecret(secret, title);
    return answer;
  }

  #showSecret(secret, title) {
    showSecretOnce(this.dialog, {
      titleId: 'webhook-title',
      title,
      notice: html`This is the only time the secret is shown. The receiver verifies each
        payload's <code>webhook-signature</code> with it.`,
      field: { id: 'webhook-secret', label: 'Signing secret', value: secret },
      what: 'secret',
    });
  }
}

export function registerWebhookDialog() {
  customElements.define('webhook-dialog', WebhookDialog);
}
