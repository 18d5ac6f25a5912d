/**
 * What every dialog of the page does the same way (confirm, add co-worker, terminate): the
 * element owns one modal <dialog>, `present(content)` shows a form in it and resolves to the
 * dialog's answer (`presentForm` for a form that saves a change), and closing it without one
 * (Escape, a button marked data-action="cancel") answers `closedAnswer()`. A question still
 * open when the next one is presented is answered so too, so no caller waits for ever. While
 * `busy` (its change is being saved) Escape leaves the dialog open: the answer of the request
 * is still to come.
 *
 *   class TerminateDialog extends ModalDialog {
 *     constructor() {
 *       super({ name: 'terminate-dialog', labelledBy: 'terminate-title' });
 *     }
 *   }
 */

import { html, render } from './html.js';

export class ModalDialog extends HTMLElement {
  #name;
  #labelledBy;
  #describedBy;
  #resolve = null;
  /** A change of the dialog is being saved: Escape does not close it meanwhile. */
  busy = false;

  /** `name` is the <dialog>'s class; `labelledBy` and `describedBy` the ids of its labels. */
  constructor({ name, labelledBy, describedBy = '' }) {
    super();
    this.#name = name;
    this.#labelledBy = labelledBy;
    this.#describedBy = describedBy;
  }

  connectedCallback() {
    if (this.dialog) return;
    render(
      this,
      html`<dialog class="dialog ${this.#name}" aria-labelledby="${this.#labelledBy}"
        ${this.#describedBy && html`aria-describedby="${this.#describedBy}"`}></dialog>`,
    );
    const dialog = this.dialog;
    dialog.addEventListener('close', () => this.settle(this.closedAnswer()));
    dialog.addEventListener('cancel', (event) => {
      if (this.busy) event.preventDefault();
    });
  }

  get dialog() {
    return this.querySelector('dialog');
  }

  /** The answer of a dialog closed without one: null, "cancelled", unless a dialog says else. */
  closedAnswer() {
    return null;
  }

  /**
   * Shows `content` (markup from `html`) in the dialog, modally; `prepare(dialog)` wires it
   * up before it is shown. Resolves to the answer given with `settle` or `finish`, or to
   * `closedAnswer()` when it is closed without one.
   */
  present(content, prepare = () => {}) {
    const dialog = this.dialog;
    dialog.returnValue = '';
    this.settle(this.closedAnswer());
    render(dialog, content);
    prepare(dialog);
    dialog.querySelector('[data-action="cancel"]')?.addEventListener('click', () => dialog.close());
    dialog.showModal();
    return new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  /**
   * `present` for a dialog whose form saves a change: `save(form)` runs when the form is
   * submitted, except while the last save is still being made (`busy`), so that a second press
   * of Enter sends nothing twice; `prepare(dialog)` wires up the rest, and the control `focus`
   * (a selector) has the focus once the dialog is shown.
   */
  presentForm(content, { save, prepare = () => {}, focus = null }) {
    const answer = this.present(content, (dialog) => {
      dialog.querySelector('form').addEventListener('submit', (event) => {
        event.preventDefault();
        if (!this.busy) save(event.currentTarget);
      });
      prepare(dialog);
    });
    if (focus) this.dialog.querySelector(focus).focus();
    return answer;
  }

  /** Answers the open question with `answer` (once: later answers are ignored). */
  settle(answer) {
    const resolve = this.#resolve;
    this.#resolve = null;
    resolve?.(answer);
  }

  /**
   * Marks the change of `form` as being saved (or no longer): Escape leaves the dialog open
   * meanwhile, and its submit button, still focusable, says `label` and refuses a second press.
   */
  setBusy(form, busy, label) {
    this.busy = busy;
    const button = form.querySelector('button[type="submit"]');
    button.setAttribute('aria-disabled', String(busy));
    button.textContent = label;
  }

  /** The dialog's change is saved: it answers `result` and closes. */
  finish(result) {
    this.busy = false;
    this.settle(result);
    this.dialog.close();
  }

  /** Empties the error slot: what it said no longer holds. */
  clearError() {
    render(this.querySelector('[data-slot="error"]'), '');
  }

  /**
   * Marks the control an error is about, and moves focus there: `controls` maps the server's
   * field names to the form's controls (a fieldset gets the mark, its first input the focus);
   * a field not among them marks `fallback`, or nothing. Every other mark is taken off.
   */
  markInvalid(controls, field, fallback = null) {
    for (const control of Object.values(controls)) control.removeAttribute('aria-invalid');
    const control = controls[field] ?? fallback;
    if (!control) return;
    control.setAttribute('aria-invalid', 'true');
    (control.localName === 'fieldset' ? control.querySelector('input') : control).focus();
  }

  /** Says in the dialog's error slot (data-slot="error") why its change was not saved. */
  showError(message) {
    render(
      this.querySelector('[data-slot="error"]'),
      html`<p class="message error" role="alert">${message}</p>`,
    );
  }
}
