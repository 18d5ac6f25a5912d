/**
 * Settings > Licenses: people and their login access on the left, the "Licenses" panel and
 * the latest changes on the right. Owns the data of the page and every change made from it.
 *
 * It follows the licences live (`followSeats`): a change by anyone (another administrator, an
 * integration, a scheduled termination) shows in the panel at once, and the lists and recent
 * changes are then read again quietly: no skeletons, focus and scroll position kept, and not
 * while a dialog is open or a change of this page is being saved (but right after).
 */

import {
  cancelTermination,
  fetchLicensesPage,
  fetchMe,
  fetchResources,
  fetchSeatsAndRecentChanges,
  followSeats,
  reactivate,
  toggleAccess,
} from '../../lib/api.js';
import { formatDate, formatMoney, formatNumber } from '../../lib/format.js';
import { SESSION_ENDED } from '../../lib/graphql.js';
import { emit, html, render } from '../../lib/html.js';
import { newIdempotencyKey } from '../../lib/idempotency.js';
import { hrefFor } from '../../lib/router.js';

const SEARCH_DELAY_MS = 250;
/** Changes in quick succession are read again once. */
const REFRESH_DELAY_MS = 150;
/** After the server ended the live updates while the session is still valid: start again. */
const LIVE_RESTART_MS = 30000;
const KINDS = { EMPLOYEE: 'employees', EXTERNAL_CONSULTANT: 'consultants' };

function sameData(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

function sameSeats(a, b) {
  return (
    a.licenseCount === b.licenseCount &&
    a.used === b.used &&
    a.available === b.available &&
    a.reducibleBy === b.reducibleBy
  );
}

function pageOf(connection) {
  return {
    resources: connection.edges.map((edge) => edge.node),
    totalCount: connection.totalCount,
    hasNextPage: connection.pageInfo.hasNextPage,
    endCursor: connection.pageInfo.endCursor,
  };
}

/**
 * The question asked before a license is added; also used by the add co-worker dialog. The
 * amounts come from the server's LicenseIncreaseRequired, in minor units of its currency.
 */
export function licenseIncreaseQuestion(outcome, name) {
  const money = (amount) => formatMoney(amount, outcome.currency);
  const from = formatNumber(outcome.currentCount);
  const to = formatNumber(outcome.newCount);
  const cost =
    outcome.proratedCost !== 0
      ? html`This adds <strong class="invoice-impact-total">${money(outcome.addsToNextInvoice)}</strong>
          to the next invoice (${money(outcome.proratedCost)} for the rest of this month, plus one
          more license in the next month's base).`
      : html`This adds <strong class="invoice-impact-total">${money(outcome.addsToNextInvoice)}</strong>
          to the next invoice: one more license in the next month's base.`;
  return {
    title: 'Add a license?',
    confirmLabel: 'Add license and give access',
    body: html`<p>All ${from} licenses are in use, so giving <strong>${name}</strong> login access
        needs one more.</p>
      <div class="count-change" aria-hidden="true">
        <div class="count-change-figure"><strong>${from}</strong><span>now</span></div>
        <span class="count-change-arrow">→</span>
        <div class="count-change-figure"><strong>${to}</strong><span>after</span></div>
      </div>
      <p class="invoice-impact" data-slot="invoice-impact">The license count rises from ${from}
        to ${to}. ${cost}</p>`,
  };
}

export class LicensesPage extends HTMLElement {
  #me = null;
  #data = { seats: null, employees: null, consultants: null, recent: null };
  #filters = { search: '', showInactive: false };
  #pending = new Set();
  #loadSeq = 0;
  #loading = false;
  #loadingMore = 0;
  #searchTimer = 0;
  /** The live subscription, its state, and what its next message means. */
  #live = null;
  #liveState = '';
  #liveSeq = 0;
  #liveFirst = null;
  #liveFresh = true;
  #liveRestartTimer = 0;
  /** A quiet refresh is wanted (after a live change) but waits for a calm moment. */
  #refreshWanted = false;
  #refreshTimer = 0;

  set me(me) {
    this.#me = me;
  }

  get #timeZone() {
    return this.#me?.organization.timeZone ?? 'UTC';
  }

  connectedCallback() {
    this.#renderFrame();
    this.#load();
  }

  disconnectedCallback() {
    clearTimeout(this.#searchTimer);
    this.#stopLive();
  }

  #renderFrame() {
    render(
      this,
      html`<div class="page-head">
        <div>
          <h1 tabindex="-1">Licenses</h1>
          <p class="lede">Who can sign in, and how many licenses you pay for.</p>
        </div>
        <button type="button" class="button primary" data-action="add-coworker">Add co-worker</button>
      </div>
      <div class="licenses-layout">
        <aside class="licenses-side" aria-label="License summary">
          <seat-summary></seat-summary>
          <section class="card recent-changes" aria-labelledby="recent-changes-title">
            <div class="card-head">
              <h2 id="recent-changes-title">Recent changes</h2>
              <a href="${hrefFor('history')}" class="small-text">Full history</a>
            </div>
            <div class="card-body"><history-table compact></history-table></div>
          </section>
        </aside>
        <div class="licenses-main">
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
          <resource-list kind="EMPLOYEE"></resource-list>
          <resource-list kind="EXTERNAL_CONSULTANT"></resource-list>
        </div>
      </div>
      <confirm-dialog></confirm-dialog>
      <terminate-dialog></terminate-dialog>
      <coworker-dialog></coworker-dialog>`,
    );
    this.querySelector('history-table').timeZone = this.#timeZone;
    this.querySelector('#resource-search').addEventListener('input', (event) => {
      clearTimeout(this.#searchTimer);
      const search = event.target.value.trim();
      this.#searchTimer = setTimeout(() => this.#applyFilters({ search }), SEARCH_DELAY_MS);
    });
    this.querySelector('#show-inactive').addEventListener('change', (event) =>
      this.#applyFilters({ showInactive: event.target.checked }),
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
    this.addEventListener('seats-stale', () => this.#refreshSummary());
    this.addEventListener('load-more', (event) => this.#loadMore(event.detail.kind));
    // A dialog closed ('close' does not bubble, hence the capture): a refresh may be waiting.
    this.addEventListener('close', () => this.#scheduleRefresh(), true);
    if (this.#liveState) this.querySelector('seat-summary').live = this.#liveState;
    this.addEventListener('seats-changed', (event) => {
      this.#data.seats = event.detail.seats;
      if (event.detail.change) this.#refreshSummary();
      this.#notify(
        event.detail.change
          ? `The license count is now ${formatNumber(event.detail.seats.licenseCount)}.`
          : 'The license count is unchanged.',
      );
    });
  }

  #list(kind) {
    return this.querySelector(`resource-list[kind="${kind}"]`);
  }

  #applyFilters(change) {
    const next = { ...this.#filters, ...change };
    if (next.search === this.#filters.search && next.showInactive === this.#filters.showInactive) {
      return;
    }
    this.#filters = next;
    this.#load({ listsOnly: true });
  }

  /**
   * Reads the page's data. `listsOnly` keeps the panel's numbers on screen meanwhile; `quiet`
   * (a refresh after a live change) shows no loading state and no error, and asks for as many
   * people as are shown, so that nothing shrinks.
   */
  async #load({ listsOnly = false, quiet = false } = {}) {
    const seq = (this.#loadSeq += 1);
    const liveSeq = this.#liveSeq;
    this.#loading = true;
    if (!quiet) {
      this.#showLoadError(null);
      for (const kind of Object.keys(KINDS)) this.#list(kind).search = this.#filters.search;
    }
    if (!listsOnly && !quiet) {
      this.#data = { seats: null, employees: null, consultants: null, recent: null };
      this.#push();
    }
    try {
      const result = await fetchLicensesPage({
        status: this.#filters.showInactive ? 'ALL' : 'ACTIVE',
        search: this.#filters.search,
        first: quiet
          ? {
              employees: this.#data.employees?.resources.length,
              consultants: this.#data.consultants?.resources.length,
            }
          : {},
      });
      if (seq !== this.#loadSeq) return;
      const keep = (key, fresh) =>
        quiet && this.#data[key] && sameData(this.#data[key], fresh) ? this.#data[key] : fresh;
      this.#data = {
        // Numbers that came live while this was under way are newer than its answer.
        seats: liveSeq !== this.#liveSeq && this.#data.seats ? this.#data.seats : result.seats,
        employees: keep('employees', pageOf(result.employees)),
        consultants: keep('consultants', pageOf(result.consultants)),
        recent: keep('recent', result.recent),
      };
      if (quiet) this.#keepInView(() => this.#push());
      else this.#push();
      if (!this.#liveState) this.#startLive({ fresh: true });
    } catch (error) {
      if (seq !== this.#loadSeq) return;
      // A quiet refresh that fails leaves the last answer on screen: the next change, or the
      // next connection of the live updates, reads again.
      if (!quiet) this.#showLoadError(error);
    } finally {
      if (seq === this.#loadSeq) {
        this.#loading = false;
        this.#scheduleRefresh();
      }
    }
  }

  /** Hands the current data down to the components. */
  #push() {
    // Only what changed is handed down (and so re-rendered): a live update of the numbers
    // leaves the lists alone.
    const summary = this.querySelector('seat-summary');
    if (summary.seats !== this.#data.seats) summary.seats = this.#data.seats;
    const recent = this.querySelector('history-table');
    if (recent.changes !== this.#data.recent) recent.changes = this.#data.recent;
    for (const [kind, key] of Object.entries(KINDS)) {
      const list = this.#list(kind);
      list.search = this.#filters.search;
      if (list.page !== this.#data[key]) list.page = this.#data[key];
      if (list.pending !== this.#pending) list.pending = this.#pending;
    }
  }

  #showLoadError(error) {
    const slot = this.querySelector('[data-slot="load-error"]');
    if (!error) {
      render(slot, '');
      return;
    }
    render(
      slot,
      html`<div class="message error load-error" role="alert">
        <span>The licenses could not be loaded. ${error.message}</span>
        <button type="button" class="button small" data-action="retry">Try again</button>
      </div>`,
    );
    slot.querySelector('[data-action="retry"]').addEventListener('click', () => this.#load());
  }

  async #loadMore(kind) {
    const key = KINDS[kind];
    const current = this.#data[key];
    if (!current?.hasNextPage) return;
    this.#loadingMore += 1;
    try {
      const connection = await fetchResources({
        status: this.#filters.showInactive ? 'ALL' : 'ACTIVE',
        kind,
        search: this.#filters.search,
        after: current.endCursor,
      });
      const more = pageOf(connection);
      this.#data[key] = { ...more, resources: current.resources.concat(more.resources) };
    } catch (error) {
      this.#data[key] = { ...current };
      this.#notify(error.message, 'error');
    }
    this.#loadingMore -= 1;
    this.#push();
    this.#scheduleRefresh();
  }

  /** Puts a changed person into whichever list holds them, or drops them if now filtered out. */
  #replaceResource(resource) {
    const key = KINDS[resource.kind];
    const page = this.#data[key];
    if (!page) return;
    const visible = resource.active || this.#filters.showInactive;
    const resources = visible
      ? page.resources.map((r) => (r.id === resource.id ? resource : r))
      : page.resources.filter((r) => r.id !== resource.id);
    const removed = page.resources.length - resources.length;
    this.#data[key] = { ...page, resources, totalCount: page.totalCount - removed };
  }

  #setPending(id, pending) {
    this.#pending = new Set(this.#pending);
    if (pending) this.#pending.add(id);
    else this.#pending.delete(id);
    if (this.#pending.size === 0) this.#scheduleRefresh();
  }

  async #refreshSummary() {
    const liveSeq = this.#liveSeq;
    try {
      const { seats, recent } = await fetchSeatsAndRecentChanges();
      // Numbers that came live meanwhile are newer than this answer.
      if (liveSeq === this.#liveSeq) this.#data.seats = seats;
      this.#data.recent = recent;
      this.#push();
    } catch {
      // The page still shows the numbers of the last answer; the next load corrects them.
    }
  }

  // Live updates ---------------------------------------------------------------------------

  /** `fresh`: the page's data was just read, so the first numbers are likely the same. */
  #startLive({ fresh }) {
    if (this.#live || !this.isConnected) return;
    clearTimeout(this.#liveRestartTimer);
    this.#liveFresh = fresh;
    this.#live = followSeats({
      onSeats: (seats) => this.#liveSeats(seats),
      onState: (state) => this.#setLiveState(state),
      onEnd: (end) => this.#liveEnded(end),
    });
  }

  #stopLive() {
    clearTimeout(this.#liveRestartTimer);
    clearTimeout(this.#refreshTimer);
    this.#live?.close();
    this.#live = null;
    this.#liveState = '';
  }

  #setLiveState(state) {
    this.#liveState = state;
    // The first numbers of a connection say what it may have missed: see #liveSeats.
    if (state === 'connecting') this.#liveFirst = this.#liveFresh ? 'first' : 'again';
    if (state === 'reconnecting') this.#liveFirst = 'again';
    const summary = this.querySelector('seat-summary');
    if (summary) summary.live = state;
  }

  #liveSeats(seats) {
    const first = this.#liveFirst;
    this.#liveFirst = null;
    const before = this.#data.seats;
    this.#liveSeq += 1;
    // Right after the page was read, the same numbers mean nothing happened in between.
    if (first === 'first' && before && sameSeats(before, seats)) return;
    if (before) {
      this.#data.seats = seats;
      this.#push();
    }
    // Every later message is a change by someone (also one that leaves the numbers as they
    // are: a consultant's access, a new co-worker without it), and after a reconnection
    // anything may have happened: read the people and recent changes again.
    this.#refreshWanted = true;
    this.#scheduleRefresh();
  }

  #scheduleRefresh() {
    if (!this.#refreshWanted) return;
    clearTimeout(this.#refreshTimer);
    this.#refreshTimer = setTimeout(() => this.#refreshIfCalm(), REFRESH_DELAY_MS);
  }

  /** Refreshes unless the person is in the middle of something; called again when that ends. */
  #refreshIfCalm() {
    if (!this.#refreshWanted || !this.isConnected) return;
    const busy =
      this.#loading ||
      this.#loadingMore > 0 ||
      this.#pending.size > 0 ||
      this.querySelector('dialog[open]') !== null;
    if (busy) return;
    this.#refreshWanted = false;
    this.#load({ listsOnly: true, quiet: true });
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

  /**
   * The server ended the live updates. If the session ended (or someone else signed in, in
   * another tab), the app asks to sign in again; otherwise the panel says it is no longer
   * live, and it tries again later if the end had no stated reason.
   */
  async #liveEnded({ reason }) {
    this.#live = null;
    let me;
    try {
      me = await fetchMe();
    } catch (error) {
      // UNAUTHENTICATED has been announced by the GraphQL client already.
      if (error.code === 'UNAUTHENTICATED') return;
      me = undefined;
    }
    if (!this.isConnected) return;
    if (me === null || (me && this.#me && me.id !== this.#me.id)) {
      window.dispatchEvent(new CustomEvent(SESSION_ENDED));
      return;
    }
    if (reason === 'error' && me) return;
    this.#setLiveState('reconnecting');
    this.#liveRestartTimer = setTimeout(() => this.#startLive({ fresh: false }), LIVE_RESTART_MS);
  }

  #notify(message, tone = 'success') {
    emit(this, 'notify', { message, tone });
  }

  #focusAccess(id) {
    this.querySelector(`#access-${CSS.escape(id)}`)?.focus();
  }

  /**
   * One change of one row: the row shows `shown` and waits while `change` runs, then shows
   * the person `change` answers with, or the row as it was (declined, refused or failed).
   */
  async #changeRow(resource, change, { shown = resource, focus }) {
    this.#setPending(resource.id, true);
    this.#replaceResource(shown);
    this.#push();
    let finalResource = resource;
    try {
      finalResource = (await change()) ?? resource;
    } catch (error) {
      this.#notify(error.message, 'error');
      if (error.code === 'LICENSE_COUNT_CHANGED') this.#refreshSummary();
    } finally {
      this.#setPending(resource.id, false);
      this.#replaceResource(finalResource);
      this.#push();
      focus();
    }
  }

  async #toggle({ resource, enabled }) {
    // One change meant, one key: the confirmed request after the question carries it too.
    const idempotencyKey = newIdempotencyKey();
    const change = async () => {
      let result = await toggleAccess(resource.id, enabled, { idempotencyKey });
      if (result.__typename === 'LicenseIncreaseRequired') {
        const accepted = await this.querySelector('confirm-dialog').ask(
          licenseIncreaseQuestion(result, resource.name),
        );
        if (!accepted) {
          this.#notify(`Nothing changed: ${resource.name} still has no login access.`, 'info');
          return undefined;
        }
        result = await toggleAccess(resource.id, enabled, {
          accept: true,
          idempotencyKey,
          expectedLicenseCount: result.currentCount,
        });
      }
      if (result.__typename !== 'ToggleAccessSuccess') {
        this.#notify(result.message ?? 'The change could not be saved.', 'error');
        return undefined;
      }
      this.#data.seats = result.seats;
      this.#notify(result.message);
      this.#refreshSummary();
      return result.resource;
    };
    // Show the box as asked while the server decides; it is put back if the answer is no.
    await this.#changeRow(resource, change, {
      shown: { ...resource, loginAccess: enabled },
      focus: () => this.#focusAccess(resource.id),
    });
  }

  async #terminate(resource) {
    const result = await this.querySelector('terminate-dialog').open({
      resource,
      seats: this.#data.seats,
      timeZone: this.#timeZone,
    });
    if (!result) {
      this.querySelector(`#terminate-${CSS.escape(resource.id)}`)?.focus();
      return;
    }
    if (result.__typename === 'TerminationScheduled') {
      this.#data.seats = result.seats;
      this.#replaceResource(result.resource);
      this.#push();
      this.#notify(
        `The termination of ${result.resource.name} is scheduled: they can work and sign in until the end of ${formatDate(result.resource.scheduledTermination)}.`,
      );
      this.querySelector(`#cancel-termination-${CSS.escape(resource.id)}`)?.focus();
      return;
    }
    this.#data.seats = result.seats;
    this.#replaceResource(result.resource);
    this.#push();
    this.#refreshSummary();
    const change = result.change;
    this.#notify(
      change
        ? `${result.resource.name} is terminated. The license count went from ${formatNumber(change.fromCount)} to ${formatNumber(change.toCount)}.`
        : `${result.resource.name} is terminated.`,
    );
    this.querySelector('#resource-search')?.focus();
  }

  async #reactivate(resource) {
    await this.#changeRow(
      resource,
      async () => {
        const result = await reactivate(resource.id, { idempotencyKey: newIdempotencyKey() });
        this.#data.seats = result.seats;
        this.#notify(`${resource.name} is active again, without login access.`);
        return result.resource;
      },
      { focus: () => this.#focusAccess(resource.id) },
    );
  }

  async #cancelTermination(resource) {
    const change = async () => {
      const result = await cancelTermination(resource.id, {
        idempotencyKey: newIdempotencyKey(),
      });
      this.#data.seats = result.seats;
      this.#notify(
        `${resource.name} stays on: the termination after ${formatDate(resource.scheduledTermination)} is cancelled.`,
      );
      return result.resource;
    };
    // Focus stays on the row: its Terminate button now, or Cancel termination if that failed.
    const id = CSS.escape(resource.id);
    await this.#changeRow(resource, change, {
      focus: () => this.querySelector(`#terminate-${id}, #cancel-termination-${id}`)?.focus(),
    });
  }

  async #addCoworker() {
    const confirm = this.querySelector('confirm-dialog');
    const result = await this.querySelector('coworker-dialog').open({
      timeZone: this.#timeZone,
      confirmIncrease: (outcome, name) => confirm.ask(licenseIncreaseQuestion(outcome, name)),
    });
    const button = this.querySelector('[data-action="add-coworker"]');
    if (!result) {
      button.focus();
      return;
    }
    this.#notify(`${result.resource.name} is added.`);
    await this.#load({ listsOnly: true });
    this.#refreshSummary();
    this.#focusAccess(result.resource.id);
  }
}

export function registerLicensesPage() {
  customElements.define('licenses-page', LicensesPage);
}
