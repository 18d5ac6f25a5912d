/**
 * Settings > Licenses: people and their login access on the left, the "Licenses" panel and
 * the latest changes on the right; for administrators, above the people, the pending licence
 * requests (R16) with what approving each costs, approved or declined from there; people are
 * selected with a box each for a bulk change (R19), made from the bar shown while some are.
 * The page is the layout and the wiring: its data and how it
 * stays current (live) are the store's (store.js), the changes made from it are the actions'
 * (actions.js); the page hands the data down to its components, turns their requests into
 * actions, owns the dialogs the actions ask through, and moves focus and says what happened.
 *
 * After a live change the lists are read again quietly: no skeletons, and focus and scroll
 * position kept; not while a dialog is open or a change of this page is being saved.
 */

import { AppPage, pageHead } from '../../lib/app-page.js';
import { approveLicenseRequest, declineLicenseRequest } from '../../lib/api.js';
import { formatDateTime, formatMoney } from '../../lib/format.js';
import { emit, html, render } from '../../lib/html.js';
import { newIdempotencyKey } from '../../lib/idempotency.js';
import { showLoadError } from '../../lib/load-error.js';
import { hrefFor } from '../../lib/router.js';
import {
  addCoworkerFlow,
  bulkChangeFlow,
  cancelTerminationFlow,
  licenseCountChanged,
  reactivateFlow,
  terminateFlow,
  toggleAccessFlow,
} from './actions.js';
import { KINDS, LicensesStore } from './store.js';

const SEARCH_DELAY_MS = 250;

export class LicensesPage extends AppPage {
  /** Its live updates' connection also ends the page when the session ends (app-shell.js). */
  static followsLive = true;

  #searchTimer = 0;
  #store = new LicensesStore({ isBusy: () => this.querySelector('dialog[open]') !== null });

  constructor() {
    super();
    this.#store.addEventListener('change', (event) => {
      if (event.detail.quiet) this.#keepInView(() => this.#push());
      else this.#push();
    });
    this.#store.addEventListener('loading', () => {
      this.#showLoadError(null);
      for (const kind of Object.keys(KINDS)) this.#list(kind).search = this.#store.filters.search;
    });
    this.#store.addEventListener('load-error', (event) => this.#showLoadError(event.detail.error));
    this.#store.addEventListener('live-state', (event) => {
      const summary = this.querySelector('seat-summary');
      if (summary) summary.live = event.detail.state;
    });
  }

  /** The store is told too: a live end under someone else's session ends this one. */
  set me(me) {
    super.me = me;
    this.#store.me = me;
  }

  // Overriding the setter alone would leave `me` without a getter.
  get me() {
    return super.me;
  }

  connectedCallback() {
    this.#renderFrame();
    this.#store.open();
  }

  disconnectedCallback() {
    clearTimeout(this.#searchTimer);
    this.#store.close();
  }

  #renderFrame() {
    render(
      this,
      html`${pageHead({
        title: 'Licenses',
        lede: 'Who can sign in, and how many licenses you pay for.',
        actions: html`<div class="page-actions">
          <a class="button" href="${hrefFor('unused')}" id="unused-link">Unused licenses</a>
          <button type="button" class="button primary" data-action="add-coworker">Add co-worker</button>
        </div>`,
      })}
      <div class="two-columns">
        <aside class="side-column licenses-side" aria-label="License summary">
          <seat-summary></seat-summary>
          <section class="card recent-changes" aria-labelledby="recent-changes-title">
            <div class="card-head">
              <h2 id="recent-changes-title">Recent changes</h2>
              <a href="${hrefFor('history')}" class="small-text">Full history</a>
            </div>
            <div class="card-body"><history-table compact></history-table></div>
          </section>
        </aside>
        <div class="main-column">
          <section class="card license-requests" data-slot="license-requests"
            aria-labelledby="license-requests-title" hidden></section>
          <div class="licenses-toolbar" role="search">
            <div class="search-field">
              <label for="resource-search" class="visually-hidden">Search people</label>
              <input class="input" id="resource-search" type="search"
                placeholder="Search by name or e-mail" autocomplete="off">
            </div>
            <label class="switch">
              <input type="checkbox" role="switch" id="show-inactive">
              <span>Show inactive</span>
            </label>
          </div>
          <div data-slot="load-error"></div>
          <bulk-bar hidden></bulk-bar>
          <resource-list kind="EMPLOYEE"></resource-list>
          <resource-list kind="EXTERNAL_CONSULTANT"></resource-list>
        </div>
      </div>
      <confirm-dialog></confirm-dialog>
      <terminate-dialog></terminate-dialog>
      <coworker-dialog></coworker-dialog>
      <bulk-dialog></bulk-dialog>`,
    );
    const store = this.#store;
    this.querySelector('history-table').timeZone = this.timeZone;
    for (const kind of Object.keys(KINDS)) this.#list(kind).timeZone = this.timeZone;
    this.querySelector('#resource-search').addEventListener('input', (event) => {
      clearTimeout(this.#searchTimer);
      const search = event.target.value.trim();
      this.#searchTimer = setTimeout(() => store.setFilters({ search }), SEARCH_DELAY_MS);
    });
    this.querySelector('#show-inactive').addEventListener('change', (event) =>
      store.setFilters({ showInactive: event.target.checked }),
    );
    this.querySelector('[data-action="add-coworker"]').addEventListener('click', () =>
      this.#addCoworker(),
    );
    this.addEventListener('access-toggle', (event) => this.#toggle(event.detail));
    this.addEventListener('terminate-request', (event) => this.#terminate(event.detail.resource));
    this.addEventListener('reactivate-request', (event) => this.#reactivate(event.detail.resource));
    this.addEventListener('cancel-termination-request', (event) =>
      this.#cancelTermination(event.detail.resource),
    );
    this.addEventListener('seats-stale', () => store.refreshSummary());
    this.addEventListener('people-select', (event) =>
      store.select(event.detail.people, event.detail.selected),
    );
    this.addEventListener('select-matching', (event) => this.#selectMatching(event.detail.kind));
    this.addEventListener('selection-clear', () => {
      store.clearSelection();
      this.#focus('#resource-search');
    });
    this.addEventListener('bulk-request', (event) => this.#bulk(event.detail.action));
    this.querySelector('[data-slot="license-requests"]').addEventListener('click', (event) => {
      const button = event.target.closest('button[data-action]');
      if (button) this.#decide(button.dataset.action, button.dataset.id, button.dataset.name);
    });
    this.addEventListener('load-more', async (event) => {
      const error = await store.loadMore(event.detail.kind);
      if (error) this.#notify(error.message, 'error');
    });
    // A dialog closed ('close' does not bubble, hence the capture): a refresh may be waiting.
    this.addEventListener('close', () => store.scheduleRefresh(), true);
    if (store.liveState) this.querySelector('seat-summary').live = store.liveState;
    this.addEventListener('seats-changed', (event) => {
      // The panel shows the numbers it saved already; they are handed down with the next read.
      const outcome = licenseCountChanged(event.detail);
      store.noteSeats(outcome.seats);
      if (outcome.stale) store.refreshSummary();
      this.#notify(outcome.message, outcome.tone);
    });
  }

  #list(kind) {
    return this.querySelector(`resource-list[kind="${kind}"]`);
  }

  /** Hands the store's data down to the components. */
  #push() {
    // Only what changed is handed down (and so re-rendered): a live update of the numbers
    // leaves the lists alone.
    const { data, filters, pending } = this.#store;
    const summary = this.querySelector('seat-summary');
    if (summary.seats !== data.seats) summary.seats = data.seats;
    const recent = this.querySelector('history-table');
    if (recent.changes !== data.recent) recent.changes = data.recent;
    if (this.#shownRequests !== data.requests) this.#renderRequests(data.requests);
    const { selection } = this.#store;
    for (const [kind, key] of Object.entries(KINDS)) {
      const list = this.#list(kind);
      list.search = filters.search;
      if (list.page !== data[key]) list.page = data[key];
      if (list.pending !== pending) list.pending = pending;
      if (list.selection !== selection) list.selection = selection;
    }
    const bar = this.querySelector('bulk-bar');
    if (bar.selection !== selection) bar.selection = selection;
  }

  #shownRequests = null;

  /** What approving one request adds now, in words (R16, R9). */
  #approvalCost(cost) {
    if (!cost.addsLicenses) return 'A license is free: approving adds nothing to the invoice.';
    const money = (amount) => formatMoney(amount, cost.currency);
    const prorated = cost.proratedCost
      ? ` (${money(cost.proratedCost)} of it for the rest of this month)`
      : '';
    return `Approving adds one license: ${money(cost.monthlyAmount)} a month more, and ${money(cost.addsToNextInvoice)} on the next invoice${prorated}.`;
  }

  /** The pending licence requests, for administrators; hidden when there are none. */
  #renderRequests(data) {
    this.#shownRequests = data;
    const slot = this.querySelector('[data-slot="license-requests"]');
    const requests = data?.requests ?? [];
    slot.hidden = requests.length === 0;
    if (!requests.length) {
      render(slot, html``);
      return;
    }
    const items = requests.map(
      (request) => html`<li class="license-request" data-testid="license-request"
        data-id="${request.id}">
        <div class="license-request-who">
          <strong>${request.name}</strong>
          <span class="muted small-text">${request.email}</span>
          <span class="muted small-text">Asked by ${request.requestedBy},
            ${formatDateTime(request.createdAt, this.timeZone)}</span>
        </div>
        <div class="license-request-actions">
          <button type="button" class="button primary" data-action="approve"
            data-id="${request.id}" data-name="${request.name}"
            id="approve-${request.id}"
            aria-label="Approve a license for ${request.name}">Approve</button>
          <button type="button" class="button" data-action="decline"
            data-id="${request.id}" data-name="${request.name}"
            aria-label="Decline the license request for ${request.name}">Decline</button>
        </div>
      </li>`,
    );
    render(
      slot,
      html`<div class="card-head">
          <h2 id="license-requests-title" tabindex="-1">Pending license requests</h2>
        </div>
        <div class="card-body">
          <p class="muted small-text" data-testid="license-request-cost">
            The license policy stopped these increases. ${this.#approvalCost(data.cost)}</p>
          <ul class="license-request-list" role="list">${items}</ul>
        </div>`,
    );
  }

  /** Approves or declines one request; focus goes to the next request, or the heading. */
  async #decide(action, id, name) {
    const store = this.#store;
    const slot = this.querySelector('[data-slot="license-requests"]');
    for (const button of slot.querySelectorAll('button')) button.disabled = true;
    const idempotencyKey = newIdempotencyKey();
    try {
      const outcome =
        action === 'approve'
          ? await approveLicenseRequest(id, { idempotencyKey })
          : await declineLicenseRequest(id, { idempotencyKey });
      if (outcome.seats) store.noteSeats(outcome.seats);
      this.#notify(outcome.message, action === 'approve' ? 'success' : 'info');
    } catch (error) {
      this.#notify(`${name}: ${error.message}`, 'error');
    }
    await store.refreshRequests();
    store.refreshSummary();
    store.load({ listsOnly: true, quiet: true });
    const next = slot.hidden ? null : slot.querySelector('button[data-action="approve"]');
    if (next) next.focus();
    else this.#focus(slot.hidden ? '#resource-search' : '#license-requests-title');
  }

  #showLoadError(error) {
    showLoadError(this.querySelector('[data-slot="load-error"]'), error, {
      failed: 'The licenses could not be loaded. ',
      retry: () => this.#store.load(),
    });
  }

  /**
   * Re-renders without moving what the person is looking at: the row with focus, or else the
   * first row in view, stays where it was on the screen (rows added or removed above it
   * would otherwise push it).
   */
  #keepInView(update) {
    const rows = [...this.querySelectorAll('li.resource-row[data-id]')];
    const focused = document.activeElement?.closest?.('li.resource-row[data-id]');
    const anchor =
      (focused && this.contains(focused) ? focused : null) ??
      rows.find((row) => row.getBoundingClientRect().bottom > 0);
    if (!anchor || window.scrollY === 0) {
      update();
      return;
    }
    const list = anchor.closest('resource-list').getAttribute('kind');
    const selector = `resource-list[kind="${list}"] li.resource-row[data-id="${CSS.escape(anchor.dataset.id)}"]`;
    const top = anchor.getBoundingClientRect().top;
    update();
    const again = this.querySelector(selector);
    if (!again) return;
    const shift = again.getBoundingClientRect().top - top;
    if (shift !== 0) window.scrollBy({ top: shift, behavior: 'instant' });
  }

  #notify(message, tone = 'success') {
    emit(this, 'notify', { message, tone });
  }

  #focus(selector) {
    this.querySelector(selector)?.focus();
  }

  #focusAccess(id) {
    this.#focus(`#access-${CSS.escape(id)}`);
  }

  /**
   * One change of one row: the row shows `shown` and waits while `action` runs, then shows
   * the person the action answers with, or the row as it was (declined, refused or failed).
   */
  async #changeRow(resource, action, { shown = resource, focus }) {
    const store = this.#store;
    store.beginChange(resource.id, shown);
    let finalResource = resource;
    try {
      const outcome = await action();
      if (outcome.seats) store.noteSeats(outcome.seats);
      this.#notify(outcome.message, outcome.tone);
      if (outcome.stale) store.refreshSummary();
      finalResource = outcome.resource ?? resource;
    } catch (error) {
      // R16: the license policy asked an administrator instead; nothing changed.
      const asked = ['LICENSE_REQUEST_PENDING', 'LICENSE_REQUEST_DECLINED'].includes(error.code);
      this.#notify(error.message, asked ? 'info' : 'error');
      if (error.code === 'LICENSE_COUNT_CHANGED') store.refreshSummary();
    } finally {
      store.endChange(resource.id, finalResource);
      focus();
    }
  }

  async #toggle({ resource, enabled }) {
    const dialog = this.querySelector('confirm-dialog');
    const store = this.#store;
    // Show the box as asked while the server decides; while the question of one more license
    // is open, the box shows what holds until it is answered, and as asked once it is yes.
    const confirm = {
      ask: async (question) => {
        store.beginChange(resource.id, resource);
        const accepted = await dialog.ask(question);
        if (accepted) store.beginChange(resource.id, { ...resource, loginAccess: enabled });
        return accepted;
      },
    };
    await this.#changeRow(resource, () => toggleAccessFlow({ resource, enabled, confirm }), {
      shown: { ...resource, loginAccess: enabled },
      focus: () => this.#focusAccess(resource.id),
    });
  }

  async #reactivate(resource) {
    await this.#changeRow(resource, () => reactivateFlow({ resource }), {
      focus: () => this.#focusAccess(resource.id),
    });
  }

  async #cancelTermination(resource) {
    // Focus stays on the row: its Terminate button now, or Cancel termination if that failed.
    const id = CSS.escape(resource.id);
    await this.#changeRow(resource, () => cancelTerminationFlow({ resource }), {
      focus: () => this.#focus(`#terminate-${id}, #cancel-termination-${id}`),
    });
  }

  async #terminate(resource) {
    const store = this.#store;
    const id = CSS.escape(resource.id);
    const outcome = await terminateFlow({
      resource,
      seats: store.data.seats,
      timeZone: this.timeZone,
      dialog: this.querySelector('terminate-dialog'),
    });
    if (!outcome) {
      this.#focus(`#terminate-${id}`);
      return;
    }
    store.applyChange(outcome);
    if (outcome.stale) store.refreshSummary();
    this.#notify(outcome.message, outcome.tone);
    this.#focus(outcome.scheduled ? `#cancel-termination-${id}` : '#resource-search');
  }

  /** "Select all N matching" of one list: everyone its filters match, up to the limit. */
  async #selectMatching(kind) {
    const error = await this.#store.selectAllMatching(kind);
    this.#list(kind).selectingDone();
    if (error) this.#notify(error.message, 'error');
  }

  /**
   * A bulk change of the people selected, confirmed in the bulk dialog: then the selection is
   * cleared, the lists and numbers read again, and focus goes to the search (the bar is gone);
   * cancelled, focus goes back to the button of the bar that asked.
   */
  async #bulk(action) {
    const store = this.#store;
    const outcome = await bulkChangeFlow({
      action,
      selection: store.selection,
      timeZone: this.timeZone,
      dialog: this.querySelector('bulk-dialog'),
    });
    if (!outcome) {
      this.#focus(`#bulk-${action.toLowerCase()}`);
      return;
    }
    store.noteSeats(outcome.seats);
    store.clearSelection();
    this.#notify(outcome.message, outcome.tone);
    this.#focus('#resource-search');
    await store.load({ listsOnly: true });
    if (outcome.stale) store.refreshSummary();
  }

  async #addCoworker() {
    const outcome = await addCoworkerFlow({
      timeZone: this.timeZone,
      dialog: this.querySelector('coworker-dialog'),
      confirm: this.querySelector('confirm-dialog'),
    });
    if (!outcome) {
      this.#focus('[data-action="add-coworker"]');
      return;
    }
    this.#notify(outcome.message, outcome.tone);
    await this.#store.load({ listsOnly: true });
    if (outcome.stale) this.#store.refreshSummary();
    this.#focusAccess(outcome.resource.id);
  }
}

export function registerLicensesPage() {
  customElements.define('licenses-page', LicensesPage);
}
