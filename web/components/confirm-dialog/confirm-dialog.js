/**
 * A yes/no question in a modal <dialog>. `ask({ title, body, confirmLabel, tone })` resolves
 * to true when confirmed, false when cancelled (button, Escape).
 */

import { html, render } from '../../lib/html.js';

let counter = 0;

export class ConfirmDialog extends HTMLElement {
  #resolve = null;
  #id = `confirm-dialog-${(counter += 1)}`;

  connectedCallback() {
    if (this.querySelector('dialog')) return;
    render(this, html`<dialog class="dialog confirm-dialog" aria-labelledby="${this.#id}-title"
      aria-describedby="${this.#id}-body"></dialog>`);
    const dialog = this.querySelector('dialog');
    dialog.addEventListener('close', () => this.#settle(dialog.returnValue === 'confirm'));
  }

  /** `body` is markup from `html`, so callers decide what is text and what is structure. */
  ask({ title, body, confirmLabel = 'Confirm', cancelLabel = 'Cancel', tone = 'primary' }) {
    const dialog = this.querySelector('dialog');
    this.#settle(false);
    render(
      dialog,
      html`<form method="dialog" class="dialog-form">
        <h2 class="dialog-title" id="${this.#id}-title">${title}</h2>
        <div class="dialog-body" id="${this.#id}-body">${body}</div>
        <div class="dialog-actions">
          <button type="submit" class="button" value="cancel" autofocus>${cancelLabel}</button>
          <button type="submit" class="button ${tone}" value="confirm">${confirmLabel}</button>
        </div>
      </form>`,
    );
    dialog.returnValue = '';
    dialog.showModal();
    return new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  #settle(answer) {
    const resolve = this.#resolve;
    this.#resolve = null;
    resolve?.(answer);
  }
}

export function registerConfirmDialog() {
  customElements.define('confirm-dialog', ConfirmDialog);
}
