/**
 * "Terminate user account": asks for the last work day and terminates. `open({ resource,
 * seats, timeZone })` resolves to the TerminateSuccess, or null when cancelled.
 */

import { terminate } from '../../lib/api.js';
import { formatDate, formatNumber, todayIn } from '../../lib/format.js';
import { html, render } from '../../lib/html.js';

export class TerminateDialog extends HTMLElement {
  #resolve = null;
  #busy = false;
  #resource = null;

  connectedCallback() {
    if (this.querySelector('dialog')) return;
    render(this, html`<dialog class="dialog terminate-dialog" aria-labelledby="terminate-title"></dialog>`);
    const dialog = this.querySelector('dialog');
    dialog.addEventListener('close', () => this.#settle(null));
    dialog.addEventListener('cancel', (event) => {
      if (this.#busy) event.preventDefault();
    });
  }

  open({ resource, seats, timeZone }) {
    this.#settle(null);
    this.#resource = resource;
    const dialog = this.querySelector('dialog');
    const today = todayIn(timeZone);
    const effect = resource.usesLicense
      ? html`The license count goes down from <strong>${formatNumber(seats.licenseCount)}</strong>
          to <strong>${formatNumber(seats.licenseCount - 1)}</strong>.`
      : resource.kind === 'EXTERNAL_CONSULTANT'
        ? 'External consultants use no license, so the license count stays the same.'
        : 'They use no license now, so the license count stays the same.';
    render(
      dialog,
      html`<form class="dialog-form" novalidate>
        <h2 class="dialog-title" id="terminate-title">Terminate user account</h2>
        <div class="dialog-body">
          <p><strong>${resource.name}</strong> becomes inactive and can no longer sign in.
            ${effect}</p>
          <div class="field">
            <label for="terminate-last-day">Last work day</label>
            <input class="input" id="terminate-last-day" name="lastWorkDay" type="date" required
              value="${today}" max="${today}" min="${resource.startDate}"
              aria-describedby="terminate-last-day-hint">
            <p class="hint" id="terminate-last-day-hint">
              Started ${formatDate(resource.startDate)}. Today or an earlier day; a future last
              day cannot be scheduled yet.
            </p>
          </div>
          <div data-slot="error"></div>
        </div>
        <div class="dialog-actions">
          <button type="button" class="button" data-action="cancel">Cancel</button>
          <button type="submit" class="button danger">Terminate</button>
        </div>
      </form>`,
    );
    dialog.querySelector('form').addEventListener('submit', (event) => this.#submit(event));
    dialog.querySelector('[data-action="cancel"]').addEventListener('click', () => dialog.close());
    dialog.showModal();
    dialog.querySelector('#terminate-last-day').focus();
    return new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  async #submit(event) {
    event.preventDefault();
    if (this.#busy) return;
    const dialog = this.querySelector('dialog');
    const input = dialog.querySelector('#terminate-last-day');
    if (!input.value) {
      this.#showError('Enter the last work day.');
      input.focus();
      return;
    }
    const button = dialog.querySelector('button[type="submit"]');
    this.#busy = true;
    button.setAttribute('aria-disabled', 'true');
    button.textContent = 'Terminating…';
    try {
      const result = await terminate(this.#resource.id, input.value);
      this.#busy = false;
      this.#settle(result);
      dialog.close();
    } catch (error) {
      this.#busy = false;
      button.removeAttribute('aria-disabled');
      button.textContent = 'Terminate';
      this.#showError(error.message);
      input.setAttribute('aria-invalid', String(error.field === 'lastWorkDay'));
      input.focus();
    }
  }

  #showError(message) {
    render(
      this.querySelector('[data-slot="error"]'),
      html`<p class="message error" role="alert">${message}</p>`,
    );
  }

  #settle(result) {
    const resolve = this.#resolve;
    this.#resolve = null;
    resolve?.(result);
  }
}

export function registerTerminateDialog() {
  customElements.define('terminate-dialog', TerminateDialog);
}
