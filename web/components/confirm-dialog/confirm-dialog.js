/**
 * A yes/no question in a modal <dialog>. `ask({ title, body, confirmLabel, tone })` resolves
 * to true when confirmed, false when cancelled (button, Escape).
 */

import { html } from '../../lib/html.js';
import { ModalDialog } from '../../lib/modal-dialog.js';

let counter = 0;

export class ConfirmDialog extends ModalDialog {
  #id;

  constructor() {
    const id = `confirm-dialog-${(counter += 1)}`;
    super({ name: 'confirm-dialog', labelledBy: `${id}-title`, describedBy: `${id}-body` });
    this.#id = id;
  }

  /** The form's buttons close the dialog, the one pressed naming the answer. */
  closedAnswer() {
    return this.dialog.returnValue === 'confirm';
  }

  /** `body` is markup from `html`, so callers decide what is text and what is structure. */
  ask({ title, body, confirmLabel = 'Confirm', cancelLabel = 'Cancel', tone = 'primary' }) {
    return this.present(
      html`<form method="dialog" class="dialog-form">
        <h2 class="dialog-title" id="${this.#id}-title">${title}</h2>
        <div class="dialog-body" id="${this.#id}-body">${body}</div>
        <div class="dialog-actions">
          <button type="submit" class="button" value="cancel" autofocus>${cancelLabel}</button>
          <button type="submit" class="button ${tone}" value="confirm">${confirmLabel}</button>
        </div>
      </form>`,
    );
  }
}

export function registerConfirmDialog() {
  customElements.define('confirm-dialog', ConfirmDialog);
}
