/**
 * The "Licenses" panel: how many licences are paid for, used and available, with an Edit
 * link to change the count. Emits `seats-changed` with `{ seats, change }` after a save, and
 * `seats-stale` when the server says the count changed in the meantime.
 *
 * While editing, what the typed count would charge or credit (and change on the next invoice)
 * is shown before saving, as the server prices it (licenseCountPreview); where licences are
 * unused, one button removes them all, with its credit shown beside it.
 *
 * New numbers (`seats`) are written into the figures in place, so a change made by someone
 * else shows without the panel moving or losing focus. `live` shows whether it follows the
 * changes as they happen: 'connecting', 'live', 'reconnecting', 'ended', or '' (not shown).
 */

import { previewLicenseCount, setLicenseCount } from '../../lib/api.js';
import { formatMoney, formatNumber, licenses } from '../../lib/format.js';
import { emit, html, render } from '../../lib/html.js';
import { Intent } from '../../lib/idempotency.js';

/** What the live indicator says, visibly and (`detail`) to screen readers only. */
/** How long typing pauses before the typed count is priced. */
const PREVIEW_DELAY_MS = 250;

const LIVE_LABELS = {
  connecting: { text: '', detail: 'Connecting to live updates' },
  live: { text: 'Live', detail: ': changes by others show here as they happen' },
  reconnecting: { text: 'Reconnecting…', detail: ' live updates' },
  ended: { text: 'Not live', detail: ': reload the page for the latest numbers' },
};

export class SeatSummary extends HTMLElement {
  #seats = null;
  #live = '';
  #editing = false;
  /** The count the person started editing from: the one a save is decided against. */
  #editBase = null;
  #saving = false;
  #error = '';
  /** What is typed in the field, kept when fresh numbers come in while editing. */
  #draft = null;
  #intent = new Intent();
  /** The price of the typed count ({ count, result } or { count, error }), and of removing the
   * unused licences; each answer is kept only if it is still the latest asked. */
  #preview = null;
  #reducePreview = null;
  #previewSeq = 0;
  #previewTimer = 0;

  set seats(seats) {
    const before = this.#seats;
    this.#seats = seats;
    if (!this.isConnected) return;
    if (before && seats && this.#update(before, seats)) return;
    this.#render();
  }

  set live(state) {
    this.#live = LIVE_LABELS[state] ? state : '';
    // Changed in place: a live region announces changes of its text, not a new region.
    const indicator = this.querySelector('[data-testid="live-indicator"]');
    if (!indicator) return;
    const label = LIVE_LABELS[this.#live];
    indicator.hidden = !label;
    indicator.dataset.state = this.#live;
    indicator.querySelector('[data-slot="live-text"]').textContent = label?.text ?? '';
    indicator.querySelector('[data-slot="live-detail"]').textContent = label?.detail ?? '';
  }

  get live() {
    return this.#live;
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
      if (action === 'reduce') this.#removeUnused();
    });
    this.addEventListener('submit', (event) => this.#save(event));
    this.addEventListener('input', (event) => {
      if (event.target.id !== 'license-count-input') return;
      this.#draft = event.target.value;
      clearTimeout(this.#previewTimer);
      this.#previewTimer = setTimeout(() => this.#loadPreview(), PREVIEW_DELAY_MS);
    });
    this.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.#editing) this.#stopEditing();
    });
  }

  #startEditing() {
    if (!this.#seats) return;
    this.#editing = true;
    this.#editBase = this.#seats.licenseCount;
    this.#error = '';
    this.#draft = null;
    this.#intent = new Intent();
    this.#preview = null;
    this.#reducePreview = null;
    this.#render();
    const input = this.querySelector('#license-count-input');
    input.focus();
    input.select();
    this.#loadReducePreview();
  }

  #stopEditing() {
    clearTimeout(this.#previewTimer);
    this.#previewSeq += 1;
    this.#editing = false;
    this.#editBase = null;
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
    this.#draft = raw;
    await this.#saveCount(count);
  }

  /** One click: the count goes down to the licences in use, at the credit shown beside it. */
  async #removeUnused() {
    if (this.#saving || !this.#seats || this.#seats.reducibleBy <= 0) return;
    this.#draft = String(this.#seats.used);
    await this.#saveCount(this.#seats.used);
  }

  async #saveCount(count) {
    if (this.#saving) return;
    clearTimeout(this.#previewTimer);
    this.#saving = true;
    this.#error = '';
    this.#render();
    try {
      // The count shown is the one the person decided against: if another change came first,
      // the server changes nothing (LICENSE_COUNT_CHANGED) and the panel shows the new count.
      const result = await setLicenseCount(count, {
        idempotencyKey: this.#intent.keyFor({ count }),
        expectedLicenseCount: this.#editBase ?? this.#seats.licenseCount,
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
      this.#editBase = null;
      this.#render();
      this.querySelector('[data-action="edit"]')?.focus();
      emit(this, 'seats-changed', { seats: result.seats, change: result.change });
    } catch (error) {
      this.#saving = false;
      this.#error = error.message;
      if (error.code === 'IDEMPOTENCY_KEY_REUSED') this.#intent.reset();
      if (error.code === 'LICENSE_COUNT_CHANGED') {
        // The message names the new count: saving again is deciding against that one.
        const current = error.extensions?.currentCount;
        this.#editBase = Number.isInteger(current) ? current : null;
      }
      this.#render();
      this.querySelector('#license-count-input')?.focus();
      if (error.code === 'LICENSE_COUNT_CHANGED') emit(this, 'seats-stale');
    }
  }

  #render() {
    const seats = this.#seats;
    const value = (n) => (seats ? formatNumber(n) : html`<span class="skeleton seat-skeleton"></span>`);
    const share = this.#share(seats);
    render(
      this,
      html`<section class="card seat-summary" aria-labelledby="seat-summary-title" aria-busy="${String(!seats)}">
        <div class="seat-head">
          <div class="seat-title">
            <h2 id="seat-summary-title">Licenses</h2>
            ${this.#liveIndicator()}
          </div>
          ${
            !this.#editing &&
            html`<button type="button" class="link-button" data-action="edit" id="seat-summary-edit"
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
        <rect class="seat-meter-used" x="0" y="0" width="${width}" height="8" rx="4"
          data-slot="meter"></rect>
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
      <p class="seat-hint" data-slot="hint">${this.#hint(seats)}</p>`;
  }

  #liveIndicator() {
    const label = LIVE_LABELS[this.#live];
    return html`<span class="live-indicator" data-state="${this.#live}" data-testid="live-indicator"
      ${label ? '' : 'hidden'}><span class="live-dot" aria-hidden="true"></span
      ><span class="live-label" aria-live="polite"><span data-slot="live-text">${label?.text ?? ''}</span
      ><span class="visually-hidden" data-slot="live-detail">${label?.detail ?? ''}</span></span
      ></span>`;
  }

  /**
   * Writes new numbers into what is shown, without rebuilding it: the panel keeps its size,
   * and whatever has focus keeps it. False when there is nothing to update in place.
   */
  #update(before, seats) {
    if (this.#editing) {
      const hint = this.querySelector('#license-count-hint');
      const note = this.querySelector('[data-slot="edit-note"]');
      if (!hint || !note) return false;
      hint.textContent = this.#usageHint(seats);
      note.textContent = this.#editNote(seats);
      // The prices were asked against the numbers before: ask again.
      if (before.licenseCount !== seats.licenseCount || before.used !== seats.used) {
        this.#reducePreview = null;
        this.#renderPreview();
        this.#loadPreview();
        this.#loadReducePreview();
      }
      return true;
    }
    const figures = {
      'license-count': 'licenseCount',
      'licenses-used': 'used',
      'licenses-available': 'available',
    };
    const hint = this.querySelector('[data-slot="hint"]');
    const meter = this.querySelector('[data-slot="meter"]');
    if (!hint || !meter) return false;
    for (const [testId, key] of Object.entries(figures)) {
      const element = this.querySelector(`[data-testid="${testId}"]`);
      if (!element) return false;
      if (before[key] === seats[key]) continue;
      element.textContent = formatNumber(seats[key]);
      this.#flash(element);
    }
    meter.setAttribute('width', (this.#share(seats) * 100).toFixed(2));
    render(hint, this.#hint(seats));
    return true;
  }

  /** A short highlight of a figure that changed (none when motion is reduced, see the CSS). */
  #flash(element) {
    element.classList.remove('seat-flash');
    // Reading the layout restarts the animation when the figure changes again at once.
    void element.offsetWidth;
    element.classList.add('seat-flash');
    element.addEventListener('animationend', () => element.classList.remove('seat-flash'), {
      once: true,
    });
  }

  #share(seats) {
    return seats && seats.licenseCount > 0 ? Math.min(1, seats.used / seats.licenseCount) : 0;
  }

  #usageHint(seats) {
    return `${licenses(seats.used)} in use. Terminating a leaver lowers the count by itself.`;
  }

  /** While editing: the count changed meanwhile (someone else, or an automatic increase). */
  #editNote(seats) {
    if (this.#editBase === null || seats.licenseCount === this.#editBase) return '';
    return `The count changed meanwhile and is now ${formatNumber(seats.licenseCount)}.`;
  }

  #hint(seats) {
    if (!seats) return html`<span class="skeleton seat-hint-skeleton"></span>`;
    if (seats.reducibleBy > 0) {
      return `${licenses(seats.reducibleBy)} not in use: you can reduce the count by ${formatNumber(seats.reducibleBy)}.`;
    }
    return 'Every license is in use. Giving someone login access adds one.';
  }

  /** The count typed, when it is one the server can price; else null. */
  #typedCount() {
    const raw = (this.#draft ?? '').trim();
    const count = Number(raw);
    return raw !== '' && Number.isInteger(count) && count >= 0 ? count : null;
  }

  async #loadPreview() {
    const seq = (this.#previewSeq += 1);
    const count = this.#typedCount();
    if (!this.#editing || count === null || count === this.#seats?.licenseCount) {
      this.#preview = null;
      this.#renderPreview();
      return;
    }
    try {
      const result = await previewLicenseCount(count);
      if (seq !== this.#previewSeq || !this.#editing) return;
      this.#preview = { count, result };
    } catch (error) {
      if (seq !== this.#previewSeq || !this.#editing) return;
      this.#preview = { count, error: error.message };
    }
    this.#renderPreview();
  }

  async #loadReducePreview() {
    const seats = this.#seats;
    if (!seats || seats.reducibleBy <= 0) return;
    const used = seats.used;
    try {
      const result = await previewLicenseCount(used);
      const now = this.#seats;
      if (!this.#editing || now.used !== used || now.licenseCount !== seats.licenseCount) return;
      this.#reducePreview = result.__typename === 'LicenseCountPreview' ? result : null;
    } catch {
      this.#reducePreview = null;
    }
    this.#renderPreview();
  }

  #renderPreview() {
    const slot = this.querySelector('[data-slot="preview"]');
    if (slot) render(slot, this.#previewText());
    const reduce = this.querySelector('[data-slot="reduce"]');
    if (reduce) render(reduce, this.#reduceOffer());
  }

  /** "From 8 to 10 licenses: …" with the charge or the credit, as the server priced it. */
  #previewText() {
    const preview = this.#preview;
    if (!preview || preview.count !== this.#typedCount()) return '';
    if (preview.error) return preview.error;
    const result = preview.result;
    if (result.__typename !== 'LicenseCountPreview') return result.message;
    return costText(result);
  }

  #reduceOffer() {
    const seats = this.#seats;
    if (!seats || seats.reducibleBy <= 0) return '';
    const unused = seats.reducibleBy;
    const label = `Remove the ${formatNumber(unused)} unused ${unused === 1 ? 'license' : 'licenses'}`;
    const preview = this.#reducePreview;
    return html`<button type="button" class="button small" data-action="reduce"
        aria-describedby="license-reduce-cost" aria-disabled="${String(this.#saving)}">${label}</button>
      <p class="hint" id="license-reduce-cost" data-testid="license-reduce-cost">${
        preview ? costText(preview) : ''
      }</p>`;
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
        <p class="hint" id="license-count-hint">${this.#usageHint(seats)}</p>
        <p class="hint seat-edit-note" data-slot="edit-note" aria-live="polite">${this.#editNote(seats)}</p>
        <p class="seat-edit-preview" data-slot="preview" data-testid="license-count-preview"
          aria-live="polite">${this.#previewText()}</p>
      </div>
      ${this.#error && html`<p class="message error" id="license-count-error" role="alert">${this.#error}</p>`}
      <div class="seat-edit-actions">
        <button type="submit" class="button primary" aria-disabled="${String(this.#saving)}">
          ${this.#saving ? 'Saving…' : 'Save'}
        </button>
        <button type="button" class="button" data-action="cancel">Cancel</button>
      </div>
      <div class="seat-edit-reduce" data-slot="reduce">${this.#reduceOffer()}</div>
    </form>`;
  }
}

/** What a priced change does to the bill: the prorated charge or credit, and the next invoice. */
function costText(preview) {
  const money = (amount) => formatMoney(Math.abs(amount), preview.currency);
  const counts = `From ${formatNumber(preview.currentCount)} to ${licenses(preview.newCount)}`;
  const prorated = preview.proratedAmount;
  const now =
    prorated > 0
      ? `${money(prorated)} charged for the rest of this month`
      : prorated < 0
        ? `${money(prorated)} credited for the rest of this month`
        : 'nothing charged or credited this month';
  const change = preview.nextInvoiceChange;
  const next =
    change > 0
      ? `the next invoice grows by ${money(change)}`
      : change < 0
        ? `the next invoice goes down by ${money(change)}`
        : 'the next invoice does not change';
  return `${counts}: ${now}, and ${next}.`;
}

export function registerSeatSummary() {
  customElements.define('seat-summary', SeatSummary);
}
