/**
 * "Terminate user account": asks for the last work day and terminates. Today or an earlier day
 * terminates now; a later day schedules the termination for the end of that day (organisation
 * time). `open({ resource, seats, timeZone })` resolves to the TerminateSuccess or
 * TerminationScheduled, or null when cancelled.
 */

import { terminate } from '../../lib/api.js';
import { calendarDay, formatDate, formatNumber, todayIn } from '../../lib/format.js';
import { html, render } from '../../lib/html.js';
import { Intent } from '../../lib/idempotency.js';
import { ModalDialog } from '../../lib/modal-dialog.js';

function dayAfter(isoDate) {
  const day = calendarDay(isoDate);
  day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}

export class TerminateDialog extends ModalDialog {
  #resource = null;
  #seats = null;
  #timeZone = 'UTC';
  #intent = new Intent();

  constructor() {
    super({
      name: 'terminate-dialog',
      labelledBy: 'terminate-title',
      describedBy: 'terminate-effect',
    });
  }

  open({ resource, seats, timeZone }) {
    this.#resource = resource;
    this.#seats = seats;
    this.#timeZone = timeZone || 'UTC';
    this.#intent = new Intent();
    const today = todayIn(this.#timeZone);
    const initial = resource.scheduledTermination ?? today;
    return this.presentForm(
      html`<form class="dialog-form" novalidate>
        <h2 class="dialog-title" id="terminate-title">Terminate user account</h2>
        <div class="dialog-body">
          <div class="field">
            <label for="terminate-last-day">Last work day</label>
            <input class="input" id="terminate-last-day" name="lastWorkDay" type="date" required
              value="${initial}" min="${resource.startDate}"
              aria-describedby="terminate-last-day-hint">
            <p class="hint" id="terminate-last-day-hint">
              Started ${formatDate(resource.startDate)}. Today or an earlier day terminates the
              account now. A later day schedules the termination: they keep working and signing
              in until the end of that day (${this.#timeZone} time), and you can cancel it until
              then.
            </p>
          </div>
          <div class="terminate-effect" id="terminate-effect" data-slot="effect"
            aria-live="polite"></div>
          <div data-slot="error"></div>
        </div>
        <div class="dialog-actions">
          <button type="button" class="button" data-action="cancel">Cancel</button>
          <button type="submit" class="button danger" data-slot="submit">Terminate</button>
        </div>
      </form>`,
      {
        save: () => this.#submit(),
        prepare: (dialog) => {
          const input = dialog.querySelector('#terminate-last-day');
          this.#showEffect(input.value);
          input.addEventListener('input', () => {
            this.#showEffect(input.value);
            this.#clearErrorOnceValid(input);
          });
        },
        focus: '#terminate-last-day',
      },
    );
  }

  /** An error about the day goes as soon as the day is one that may be sent (not before the
   * start date: the input's `min`). */
  #clearErrorOnceValid(input) {
    if (input.getAttribute('aria-invalid') !== 'true') return;
    if (!input.value || input.validity.rangeUnderflow) return;
    input.removeAttribute('aria-invalid');
    this.clearError();
  }

  #scheduled(lastWorkDay) {
    return Boolean(lastWorkDay) && lastWorkDay > todayIn(this.#timeZone);
  }

  /** What happens with the chosen day: now, or at the end of a later day. */
  #showEffect(lastWorkDay) {
    const resource = this.#resource;
    const seats = this.#seats;
    const scheduled = this.#scheduled(lastWorkDay);
    const fromTo = seats
      ? html`from <strong>${formatNumber(seats.licenseCount)}</strong>
          to <strong>${formatNumber(seats.licenseCount - 1)}</strong>`
      : 'by one';
    let license;
    if (!resource.usesLicense) {
      license =
        resource.kind === 'EXTERNAL_CONSULTANT'
          ? 'External consultants use no license, so the license count stays the same.'
          : 'They use no license now, so the license count stays the same.';
    } else if (scheduled) {
      license = html`Then the license count goes down ${fromTo}; the license is credited on
        the invoice from ${formatDate(dayAfter(lastWorkDay))}.`;
    } else {
      license = html`The license count goes down ${fromTo}.`;
    }
    const effect = scheduled
      ? html`<p class="terminate-mode"><span class="badge warning">Scheduled</span>
            Until the end of ${formatDate(lastWorkDay)}</p>
          <p><strong>${resource.name}</strong> keeps working and signing in until the end of
            ${formatDate(lastWorkDay)}, then becomes inactive and can no longer sign in.
            ${license}</p>`
      : html`<p class="terminate-mode"><span class="badge danger">Now</span>
            Takes effect when you confirm</p>
          <p><strong>${resource.name}</strong> becomes inactive and can no longer sign in.
            ${license}</p>`;
    render(this.querySelector('[data-slot="effect"]'), effect);
    const button = this.querySelector('[data-slot="submit"]');
    if (!this.busy) button.textContent = scheduled ? 'Schedule termination' : 'Terminate';
  }

  async #submit() {
    const dialog = this.dialog;
    const input = dialog.querySelector('#terminate-last-day');
    if (!input.value) {
      this.showError('Enter the last work day.');
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    const lastWorkDay = input.value;
    const label = this.#scheduled(lastWorkDay) ? 'Schedule termination' : 'Terminate';
    const button = dialog.querySelector('[data-slot="submit"]');
    this.busy = true;
    button.setAttribute('aria-disabled', 'true');
    button.textContent = this.#scheduled(lastWorkDay) ? 'Scheduling…' : 'Terminating…';
    try {
      const idempotencyKey = this.#intent.keyFor({ id: this.#resource.id, lastWorkDay });
      const result = await terminate(this.#resource.id, lastWorkDay, { idempotencyKey });
      this.finish(result);
    } catch (error) {
      if (error.code === 'IDEMPOTENCY_KEY_REUSED') this.#intent.reset();
      this.busy = false;
      button.removeAttribute('aria-disabled');
      button.textContent = label;
      this.showError(error.message);
      input.setAttribute('aria-invalid', String(error.field === 'lastWorkDay'));
      input.focus();
    }
  }
}

export function registerTerminateDialog() {
  customElements.define('terminate-dialog', TerminateDialog);
}
