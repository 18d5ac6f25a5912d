/**
 * The one confirmation of a bulk change (R19): it asks the server what the change would do
 * (`bulkChangePreview`) and shows it: how many people change, who is skipped and why, the
 * license count before and after, the licenses freed and the effect on the next invoice.
 * Removing access can also lower the count by the licenses it frees; terminating asks for the
 * last work day; giving access that needs more licenses says so on its button, and is not
 * offered when the license policy would need an administrator's approval for each. Every
 * choice is priced again by the server before it can be confirmed.
 *
 * `open({ action, resourceIds, timeZone })` saves the change and resolves to the
 * BulkChangeSuccess, or null when cancelled. One idempotency key covers the batch: sent again
 * after a lost answer, the same choice carries the same key.
 */

import { bulkSetAccess, bulkTerminate, previewBulkChange } from '../../lib/api.js';
import { formatDate, formatMoney, formatNumber, licenses, todayIn } from '../../lib/format.js';
import { html, render } from '../../lib/html.js';
import { Intent } from '../../lib/idempotency.js';
import { ModalDialog } from '../../lib/modal-dialog.js';

/** A changed last work day is priced again once typing pauses. */
const REPREVIEW_DELAY_MS = 300;

/** "1 person", "12 people". */
export function people(count) {
  return `${formatNumber(count)} ${count === 1 ? 'person' : 'people'}`;
}

const TITLES = {
  GIVE_ACCESS: (count) => `Give login access to ${people(count)}`,
  REMOVE_ACCESS: (count) => `Remove login access from ${people(count)}`,
  TERMINATE: (count) => `Terminate ${people(count)}`,
};

/** Why a person is left out, in a word; the server's message says the rest. */
const SKIPPED = {
  UNCHANGED: 'Already so',
  RESOURCE_INACTIVE: 'Inactive',
  LAST_ADMIN: 'Last administrator',
  BAD_USER_INPUT: 'Not possible',
};

/** A change of the next invoice: "+€12.00" (a charge), "−€4.26" (a credit). */
function invoiceChange(amount, currency) {
  if (amount > 0) return `+${formatMoney(amount, currency)}`;
  if (amount < 0) return `\u2212${formatMoney(-amount, currency)}`;
  return formatMoney(0, currency);
}

export class BulkDialog extends ModalDialog {
  #action = 'GIVE_ACCESS';
  #ids = [];
  #timeZone = 'UTC';
  #intent = new Intent();
  /** The answer of the last preview, and the choices it was asked for. */
  #preview = null;
  #previewed = null;
  #previewSeq = 0;
  #dayTimer = 0;

  constructor() {
    super({ name: 'bulk-dialog', labelledBy: 'bulk-title', describedBy: 'bulk-effect' });
  }

  open({ action, resourceIds, timeZone }) {
    this.#action = action;
    this.#ids = [...resourceIds];
    this.#timeZone = timeZone || 'UTC';
    this.#intent = new Intent();
    this.#preview = null;
    this.#previewed = null;
    const answer = this.presentForm(
      html`<form class="dialog-form bulk-form" novalidate>
        <h2 class="dialog-title" id="bulk-title">${TITLES[action](this.#ids.length)}</h2>
        <div class="dialog-body">
          ${this.#controls()}
          <div class="bulk-effect" id="bulk-effect" data-slot="effect" aria-live="polite"></div>
          <div data-slot="skipped"></div>
          <div data-slot="error"></div>
        </div>
        <div class="dialog-actions">
          <button type="button" class="button" data-action="cancel">Cancel</button>
          <button type="submit" class="button ${action === 'GIVE_ACCESS' ? 'primary' : 'danger'}"
            data-slot="submit" aria-disabled="true">${this.#submitLabel(null)}</button>
        </div>
      </form>`,
      { save: (form) => this.#submit(form), prepare: (dialog) => this.#wire(dialog) },
    );
    const first =
      this.dialog.querySelector('#bulk-last-day, #bulk-reduce') ??
      this.dialog.querySelector('[data-action="cancel"]');
    first.focus();
    this.#refresh();
    return answer;
  }

  #controls() {
    if (this.#action === 'TERMINATE') {
      return html`<div class="field">
        <label for="bulk-last-day">Last work day</label>
        <input class="input" id="bulk-last-day" name="lastWorkDay" type="date" required
          value="${todayIn(this.#timeZone)}" aria-describedby="bulk-last-day-hint">
        <p class="hint" id="bulk-last-day-hint">The same day for everyone. Today or an earlier
          day terminates them now; a later day schedules each termination for the end of that
          day (${this.#timeZone} time).</p>
      </div>`;
    }
    if (this.#action === 'REMOVE_ACCESS') {
      return html`<label class="option-card bulk-option">
        <input type="checkbox" id="bulk-reduce" name="reduceLicenseCount">
        <span>Also reduce the license count by the <span data-slot="freed">licenses</span>
          freed</span>
      </label>`;
    }
    return '';
  }

  #wire(dialog) {
    dialog.querySelector('#bulk-reduce')?.addEventListener('change', () => {
      this.clearError();
      this.#refresh();
    });
    const day = dialog.querySelector('#bulk-last-day');
    day?.addEventListener('input', () => {
      // What was priced is no longer what is chosen: not to be confirmed until priced again.
      this.#previewSeq += 1;
      this.#showWorking();
      clearTimeout(this.#dayTimer);
      this.#dayTimer = setTimeout(() => {
        day.removeAttribute('aria-invalid');
        this.clearError();
        this.#refresh();
      }, REPREVIEW_DELAY_MS);
    });
    dialog.addEventListener('close', () => clearTimeout(this.#dayTimer), { once: true });
  }

  /** The choices of the form as they are now. */
  #choices() {
    return {
      action: this.#action,
      resourceIds: this.#ids,
      lastWorkDay: this.querySelector('#bulk-last-day')?.value || null,
      reduceLicenseCount: Boolean(this.querySelector('#bulk-reduce')?.checked),
    };
  }

  #scheduled(lastWorkDay) {
    return Boolean(lastWorkDay) && lastWorkDay > todayIn(this.#timeZone);
  }

  /** The preview shown is no longer of the choices: it goes until the next one is there. */
  #showWorking() {
    this.#preview = null;
    this.#updateSubmit();
    const effect = this.querySelector('[data-slot="effect"]');
    effect.setAttribute('aria-busy', 'true');
    render(
      effect,
      html`<p class="bulk-loading"><span class="spinner small-spinner" aria-hidden="true"></span>
        Working out the effect…</p>`,
    );
    render(this.querySelector('[data-slot="skipped"]'), '');
  }

  /** Asks the server what the change would do with the choices as they are now. */
  async #refresh() {
    const seq = (this.#previewSeq += 1);
    const choices = this.#choices();
    this.#showWorking();
    const effect = this.querySelector('[data-slot="effect"]');
    if (this.#action === 'TERMINATE' && !choices.lastWorkDay) {
      effect.setAttribute('aria-busy', 'false');
      render(effect, html`<p class="muted">Enter the last work day to see the effect.</p>`);
      return;
    }
    try {
      const preview = await previewBulkChange(choices);
      if (seq !== this.#previewSeq || !this.dialog.open) return;
      this.#preview = preview;
      this.#previewed = choices;
      this.#showPreview(preview, choices);
    } catch (error) {
      if (seq !== this.#previewSeq || !this.dialog.open) return;
      render(effect, '');
      this.showError(error.message);
      const day = this.querySelector('#bulk-last-day');
      if (day && error.field === 'lastWorkDay') day.setAttribute('aria-invalid', 'true');
    } finally {
      if (seq === this.#previewSeq) effect.setAttribute('aria-busy', 'false');
    }
  }

  /** Whether the previewed change may be confirmed from here. */
  #canConfirm(preview) {
    return Boolean(preview) && preview.changedCount > 0 && !preview.needsApproval;
  }

  #showPreview(preview, choices) {
    const action = this.#action;
    const arrow = (from, to) => `${formatNumber(from)} \u2192 ${formatNumber(to)}`;
    const invoice = invoiceChange(preview.nextInvoiceChange, preview.currency);
    const invoiceKind =
      preview.nextInvoiceChange > 0 ? 'charge' : preview.nextInvoiceChange < 0 ? 'credit' : '';
    const added = preview.newCount - preview.currentCount;
    let note = '';
    if (preview.needsApproval) {
      note = html`<p class="message warning" data-testid="bulk-needs-approval">Giving these
        people access needs ${licenses(added)} more, and the license policy lets you only ask
        an administrator for them. Licenses are asked for one person at a time: give access
        from each person's row instead.</p>`;
    } else if (action === 'GIVE_ACCESS' && preview.needsIncrease) {
      note = html`<p class="bulk-increase" data-testid="bulk-increase">Not enough licenses are
        free: confirming adds ${licenses(added)}, so the license count rises from
        ${formatNumber(preview.currentCount)} to ${formatNumber(preview.newCount)}.</p>`;
    } else if (action === 'TERMINATE' && this.#scheduled(choices.lastWorkDay)) {
      note = html`<p class="bulk-scheduled"><span class="badge warning">Scheduled</span> They
        keep working and signing in until the end of ${formatDate(choices.lastWorkDay)}.</p>`;
    }
    const figures = [
      ['People changing', `${formatNumber(preview.changedCount)} of ${formatNumber(this.#ids.length)}`, 'bulk-changed'],
      ['License count', arrow(preview.currentCount, preview.newCount), 'bulk-count'],
      ['Licenses in use', arrow(preview.usedBefore, preview.usedAfter), 'bulk-used'],
      action !== 'GIVE_ACCESS' && ['Licenses freed', formatNumber(preview.licensesFreed), 'bulk-freed'],
      ['Next invoice', invoiceKind ? `${invoice} ${invoiceKind}` : 'No change', 'bulk-invoice'],
    ].filter(Boolean);
    render(
      this.querySelector('[data-slot="effect"]'),
      html`<p class="bulk-message" data-testid="bulk-message">${preview.message}</p>
        <dl class="bulk-figures">
          ${figures.map(
            ([term, value, testId]) =>
              html`<div><dt>${term}</dt><dd data-testid="${testId}">${value}</dd></div>`,
          )}
        </dl>
        ${note}`,
    );
    this.#showSkipped(preview.people.filter((person) => !person.changed));
    const freed = this.querySelector('[data-slot="freed"]');
    if (freed) {
      const box = this.querySelector('#bulk-reduce');
      freed.textContent = licenses(preview.licensesFreed);
      // Nothing freed, nothing to reduce by; a box ticked already can still be unticked.
      const disable = preview.licensesFreed === 0 && !box.checked;
      if (disable && document.activeElement === box) {
        this.querySelector('[data-action="cancel"]').focus();
      }
      box.disabled = disable;
    }
    this.#updateSubmit();
  }

  #showSkipped(skipped) {
    const slot = this.querySelector('[data-slot="skipped"]');
    if (skipped.length === 0) {
      render(slot, '');
      return;
    }
    render(
      slot,
      html`<section class="bulk-skipped" aria-labelledby="bulk-skipped-title">
        <h3 class="bulk-skipped-title" id="bulk-skipped-title">Skipped: ${people(skipped.length)}</h3>
        <ul class="bulk-skipped-list" role="list" tabindex="0" aria-labelledby="bulk-skipped-title"
          data-testid="bulk-skipped">
          ${skipped.map(
            (person) => html`<li data-code="${person.code ?? ''}">
              <span class="bulk-skipped-name">${person.resource.name}</span>
              <span class="badge">${SKIPPED[person.code] ?? person.code ?? 'Skipped'}</span>
              <span class="bulk-skipped-why">${person.message}</span>
            </li>`,
          )}
        </ul>
      </section>`,
    );
  }

  #submitLabel(preview) {
    const count = preview ? preview.changedCount : this.#ids.length;
    if (this.#action === 'TERMINATE') {
      const day = this.querySelector('#bulk-last-day')?.value;
      return this.#scheduled(day)
        ? `Schedule ${formatNumber(count)} ${count === 1 ? 'termination' : 'terminations'}`
        : `Terminate ${people(count)}`;
    }
    if (this.#action === 'REMOVE_ACCESS') return `Remove access from ${people(count)}`;
    if (preview?.needsIncrease) {
      return `Add ${licenses(preview.newCount - preview.currentCount)} and give access`;
    }
    return `Give access to ${people(count)}`;
  }

  /** The confirm button: offered only for a preview of the choices shown that may be confirmed. */
  #updateSubmit() {
    if (this.busy) return;
    const button = this.querySelector('[data-slot="submit"]');
    const preview = this.#preview;
    button.hidden = Boolean(preview) && !this.#canConfirm(preview);
    button.setAttribute('aria-disabled', String(!preview));
    button.textContent = this.#submitLabel(preview);
  }

  async #submit(form) {
    const preview = this.#preview;
    if (!this.#canConfirm(preview)) return;
    const choices = this.#previewed;
    if (JSON.stringify(choices) !== JSON.stringify(this.#choices())) {
      // Changed since it was priced (Enter right after typing a day): price it first.
      this.#refresh();
      return;
    }
    const label = this.#submitLabel(preview);
    const accept = this.#action === 'GIVE_ACCESS' && preview.needsIncrease;
    const expectedLicenseCount = preview.currentCount;
    // One key per batch as confirmed: the same choices sent again (after a lost answer) are a
    // retry; other choices, or another count they were confirmed against, are another change.
    const idempotencyKey = this.#intent.keyFor({ ...choices, accept, expectedLicenseCount });
    this.clearError();
    this.setBusy(form, true, 'Saving…');
    try {
      const result =
        this.#action === 'TERMINATE'
          ? await bulkTerminate(choices.resourceIds, choices.lastWorkDay, {
              idempotencyKey,
              expectedLicenseCount,
            })
          : await bulkSetAccess(choices.resourceIds, this.#action === 'GIVE_ACCESS', {
              accept,
              reduceLicenseCount: choices.reduceLicenseCount,
              idempotencyKey,
              expectedLicenseCount,
            });
      if (result.__typename === 'BulkChangeSuccess') {
        this.finish(result);
        return;
      }
      // LicenseIncreaseRequired: licenses were taken meanwhile; nothing changed. Priced again,
      // the button says what confirming now adds.
      this.setBusy(form, false, label);
      this.showError(result.message);
      this.#refresh();
    } catch (error) {
      if (error.code === 'IDEMPOTENCY_KEY_REUSED') this.#intent.reset();
      this.setBusy(form, false, label);
      this.showError(error.message);
      const day = this.querySelector('#bulk-last-day');
      if (day && error.field === 'lastWorkDay') {
        day.setAttribute('aria-invalid', 'true');
        day.focus();
      }
      // The count is another by now: show what the change does with it before asking again.
      if (error.code === 'LICENSE_COUNT_CHANGED') this.#refresh();
    }
  }
}

export function registerBulkDialog() {
  customElements.define('bulk-dialog', BulkDialog);
}
