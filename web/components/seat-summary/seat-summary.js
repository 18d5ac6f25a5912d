/**
 * The "Licenses" panel: how many licences are paid for, used and available, with an Edit
 * link to change the count. Emits `seats-changed` with `{ seats, change }` after a save, and
 * `seats-stale` when the server says the count changed in the meantime.
 */

import { setLicenseCount } from '../../lib/api.js';
import { formatNumber, licenses } from '../../lib/format.js';
import { emit, html, render } from '../../lib/html.js';
import { Intent } from '../../lib/idempotency.js';

export class SeatSummary extends HTMLElement {
  #seats = null;
  #editing = false;
  #saving = false;
  #error = '';
  /** What is typed in the field, kept when fresh numbers come in while editing. */
  #draft = null;
  #intent = new Intent();

  set seats(seats) {
    this.#seats = seats;
    if (this.isConnected) this.#render();
  }

  get seats() {
    return this.#seats;
  }

  connectedCallback() {
    this.#render();
    this.addEventListener('click', (event) => {
      const action = event.target.closest('[data-action]')?.dataset.action;
      if (action === 'edit') this.#startEditing();
      if (action === 'cancel') this.#stopEditing();
    });
    this.addEventListener('submit', (event) => this.#save(event));
    this.addEventListener('input', (event) => {
      if (event.target.id === 'license-count-input') this.#draft = event.target.value;
    });
    this.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.#editing) this.#stopEditing();
    });
  }

  #startEditing() {
    if (!this.#seats) return;
    this.#editing = true;
    this.#error = '';
    this.#draft = null;
    this.#intent = new Intent();
    this.#render();
    const input = this.querySelector('#license-count-input');
    input.focus();
    input.select();
  }

  #stopEditing() {
    this.#editing = false;
    this.#error = '';
    this.#render();
    this.querySelector('[data-action="edit"]')?.focus();
  }

  async #save(event) {
    event.preventDefault();
    if (this.#saving) return;
    const input = this.querySelector('#license-count-input');
    const raw = input.value.trim();
    const count = Number(raw);
    if (raw === '' || !Number.isInteger(count) || count < 0) {
      this.#error = 'Enter a whole number of licenses, 0 or more.';
      this.#render();
      this.querySelector('#license-count-input').focus();
      return;
    }
    this.#saving = true;
    this.#error = '';
    this.#draft = raw;
    this.#render();
    try {
      // The count shown is the one the person decided against: if another change came first,
      // the server changes nothing (LICENSE_COUNT_CHANGED) and the panel shows the new count.
      const result = await setLicenseCount(count, {
        idempotencyKey: this.#intent.keyFor({ count }),
        expectedLicenseCount: this.#seats.licenseCount,
      });
      this.#saving = false;
      if (result.__typename === 'LicenseBelowUsage') {
        this.#error = result.message;
        this.#render();
        this.querySelector('#license-count-input').focus();
        return;
      }
      this.#seats = result.seats;
      this.#editing = false;
      this.#render();
      this.querySelector('[data-action="edit"]')?.focus();
      emit(this, 'seats-changed', { seats: result.seats, change: result.change });
    } catch (error) {
      this.#saving = false;
      this.#error = error.message;
      if (error.code === 'IDEMPOTENCY_KEY_REUSED') this.#intent.reset();
      this.#render();
      this.querySelector('#license-count-input')?.focus();
      if (error.code === 'LICENSE_COUNT_CHANGED') emit(this, 'seats-stale');
    }
  }

  #render() {
    const seats = this.#seats;
    const value = (n) => (seats ? formatNumber(n) : html`<span class="skeleton seat-skeleton"></span>`);
    const share = seats && seats.licenseCount > 0 ? Math.min(1, seats.used / seats.licenseCount) : 0;
    render(
      this,
      html`<section class="card seat-summary" aria-labelledby="seat-summary-title" aria-busy="${String(!seats)}">
        <div class="seat-head">
          <h2 id="seat-summary-title">Licenses</h2>
          ${
            !this.#editing &&
            html`<button type="button" class="link-button" data-action="edit"
              aria-label="Edit the number of licenses" ${seats ? '' : 'disabled'}>Edit</button>`
          }
        </div>
        ${this.#editing ? this.#editForm() : this.#figures(seats, value, share)}
      </section>`,
    );
  }

  #figures(seats, value, share) {
    const width = (share * 100).toFixed(2);
    return html`<div class="seat-total">
        <span class="seat-total-number" data-testid="license-count">${value(seats?.licenseCount)}</span>
        <span class="seat-total-label">paid for</span>
      </div>
      <svg class="seat-meter" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true"
        focusable="false">
        <rect class="seat-meter-track" x="0" y="0" width="100" height="8" rx="4"></rect>
        <rect class="seat-meter-used" x="0" y="0" width="${width}" height="8" rx="4"></rect>
      </svg>
      <dl class="seat-stats">
        <div class="seat-stat">
          <dt>Used</dt>
          <dd data-testid="licenses-used">${value(seats?.used)}</dd>
        </div>
        <div class="seat-stat">
          <dt>Available</dt>
          <dd data-testid="licenses-available">${value(seats?.available)}</dd>
        </div>
      </dl>
      <p class="seat-hint">${this.#hint(seats)}</p>`;
  }

  #hint(seats) {
    if (!seats) return html`<span class="skeleton seat-hint-skeleton"></span>`;
    if (seats.reducibleBy > 0) {
      return `${licenses(seats.reducibleBy)} not in use: you can reduce the count by ${formatNumber(seats.reducibleBy)}.`;
    }
    return 'Every license is in use. Giving someone login access adds one.';
  }

  #editForm() {
    const seats = this.#seats;
    const errorId = this.#error ? 'license-count-error' : '';
    return html`<form class="seat-edit" novalidate>
      <div class="field">
        <label for="license-count-input">Number of licenses</label>
        <input class="input" id="license-count-input" name="count" type="number" inputmode="numeric"
          min="0" step="1" value="${this.#draft ?? seats.licenseCount}" required
          aria-describedby="license-count-hint ${errorId}"
          aria-invalid="${String(Boolean(this.#error))}">
        <p class="hint" id="license-count-hint">
          ${licenses(seats.used)} in use. Terminating a leaver lowers the count by itself.
        </p>
      </div>
      ${this.#error && html`<p class="message error" id="license-count-error" role="alert">${this.#error}</p>`}
      <div class="seat-edit-actions">
        <button type="submit" class="button primary" aria-disabled="${String(this.#saving)}">
          ${this.#saving ? 'Saving…' : 'Save'}
        </button>
        <button type="button" class="button" data-action="cancel">Cancel</button>
      </div>
    </form>`;
  }
}

export function registerSeatSummary() {
  customElements.define('seat-summary', SeatSummary);
}
