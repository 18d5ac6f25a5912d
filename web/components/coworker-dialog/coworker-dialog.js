/**
 * "Add co-worker": registers a person. When giving an employee login access needs one more
 * license, `confirmIncrease(outcome, name)` is asked first (the same question as ticking a
 * box). `open({ timeZone, confirmIncrease })` resolves to the AddResourceSuccess, or null.
 */

import { addResource } from '../../lib/api.js';
import { todayIn } from '../../lib/format.js';
import { html } from '../../lib/html.js';
import { Intent } from '../../lib/idempotency.js';
import { ModalDialog } from '../../lib/modal-dialog.js';

const FIELDS = ['name', 'email', 'startDate', 'password'];

/** Characters the server refuses in a name (server/accounts/rules.py, `hidden_character`). */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Cs}]/u;

/** Whether a field's value may be sent as it is, as far as the page can tell. */
function looksValid(input) {
  const value = input.value.trim();
  if (input.name === 'password') return !input.value || input.value.length >= input.minLength;
  if (input.name === 'name' && HIDDEN.test(value)) return false;
  return value !== '' && input.validity.valid;
}

export class CoworkerDialog extends ModalDialog {
  #confirmIncrease = null;
  #intent = new Intent();
  /** The licence count an accepted increase was about, for the key of that input. */
  #accepted = null;

  constructor() {
    super({ name: 'coworker-dialog', labelledBy: 'coworker-title' });
  }

  open({ timeZone, confirmIncrease }) {
    this.#confirmIncrease = confirmIncrease;
    this.#intent = new Intent();
    this.#accepted = null;
    return this.presentForm(
      html`<form class="dialog-form" novalidate>
        <h2 class="dialog-title" id="coworker-title">Add co-worker</h2>
        <div class="dialog-fields">
          <div class="field">
            <label for="coworker-name">Full name</label>
            <input class="input" id="coworker-name" name="name" autocomplete="off" required>
          </div>
          <div class="field">
            <label for="coworker-email">E-mail address</label>
            <input class="input" id="coworker-email" name="email" type="email" autocomplete="off"
              required>
          </div>
          <div class="dialog-row">
            <div class="field">
              <label for="coworker-kind">Type</label>
              <select class="input" id="coworker-kind" name="kind">
                <option value="EMPLOYEE" selected>Employee</option>
                <option value="EXTERNAL_CONSULTANT">External consultant</option>
              </select>
            </div>
            <div class="field">
              <label for="coworker-role">Role</label>
              <select class="input" id="coworker-role" name="role">
                <option value="MEMBER" selected>Member</option>
                <option value="RESOURCE_MANAGER">Resource manager</option>
                <option value="ADMIN">Administrator</option>
              </select>
            </div>
          </div>
          <div class="field">
            <label for="coworker-start">First work day</label>
            <input class="input" id="coworker-start" name="startDate" type="date"
              value="${todayIn(timeZone)}">
          </div>
          <label class="option-card coworker-access">
            <input type="checkbox" id="coworker-login" name="loginAccess">
            <span>
              <span class="coworker-access-title">Login access</span>
              <span class="hint">An employee who can sign in uses one license.</span>
            </span>
          </label>
          <div class="field">
            <label for="coworker-password">Password <span class="muted">(optional)</span></label>
            <input class="input" id="coworker-password" name="password" type="password"
              autocomplete="new-password" minlength="10"
              aria-describedby="coworker-password-hint">
            <p class="hint" id="coworker-password-hint">
              At least 10 characters, to sign in with e-mail and password.
            </p>
          </div>
          <div data-slot="error"></div>
        </div>
        <div class="dialog-actions">
          <button type="button" class="button" data-action="cancel">Cancel</button>
          <button type="submit" class="button primary">Add co-worker</button>
        </div>
      </form>`,
      {
        save: (form) => this.#submit(form),
        prepare: (dialog) => {
          dialog
            .querySelector('form')
            .addEventListener('input', (event) => this.#clearErrorOnceValid(event.target));
        },
        focus: '#coworker-name',
      },
    );
  }

  /** The error about a field goes as soon as that field's value is one that may be sent. */
  #clearErrorOnceValid(input) {
    if (input.getAttribute?.('aria-invalid') !== 'true' || !looksValid(input)) return;
    input.removeAttribute('aria-invalid');
    this.clearError();
  }

  #input(form) {
    const values = form.elements;
    return {
      name: values.name.value.trim(),
      email: values.email.value.trim(),
      kind: values.kind.value,
      role: values.role.value,
      loginAccess: values.loginAccess.checked,
      startDate: values.startDate.value || null,
      password: values.password.value || null,
    };
  }

  async #submit(form) {
    const input = this.#input(form);
    if (!input.name || !input.email) {
      this.showError('Enter a name and an e-mail address.', input.name ? 'email' : 'name');
      return;
    }
    this.setBusy(form, true, 'Adding…');
    // The same co-worker sent again (after an error) is a retry with the same key; the password
    // stays out of what tells one intention from another, as it does on the server.
    const idempotencyKey = this.#intent.keyFor({ ...input, password: null });
    if (this.#accepted?.key !== idempotencyKey) this.#accepted = null;
    try {
      let result = await addResource(input, {
        // Once the increase is accepted for this co-worker, a retry asks the same as before.
        accept: this.#accepted !== null,
        idempotencyKey,
        expectedLicenseCount: this.#accepted?.count ?? null,
      });
      if (result.__typename === 'LicenseIncreaseRequired') {
        const accepted = await this.#confirmIncrease(result, input.name);
        if (!accepted) {
          this.setBusy(form, false, 'Add co-worker');
          form.querySelector('#coworker-login').focus();
          return;
        }
        this.#accepted = { key: idempotencyKey, count: result.currentCount };
        result = await addResource(input, {
          accept: true,
          idempotencyKey,
          expectedLicenseCount: result.currentCount,
        });
      }
      if (result.__typename !== 'AddResourceSuccess') {
        this.setBusy(form, false, 'Add co-worker');
        this.showError(result.message);
        return;
      }
      this.finish(result);
    } catch (error) {
      if (error.code === 'IDEMPOTENCY_KEY_REUSED') this.#intent.reset();
      if (error.code === 'LICENSE_COUNT_CHANGED' || error.code === 'IDEMPOTENCY_KEY_REUSED') {
        this.#accepted = null;
      }
      this.setBusy(form, false, 'Add co-worker');
      this.showError(error.message, error.field);
    }
  }

  /** Also marks the field the error is about (`field`), and moves focus there. */
  showError(message, field = null) {
    const form = this.querySelector('form');
    super.showError(message);
    this.markInvalid(Object.fromEntries(FIELDS.map((name) => [name, form.elements[name]])), field);
  }

}

export function registerCoworkerDialog() {
  customElements.define('coworker-dialog', CoworkerDialog);
}
