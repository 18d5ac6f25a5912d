/**
 * The data of the licences page and how it stays current: the numbers (`seats`), both lists
 * of people a page at a time, the recent changes, for administrators the pending licence
 * requests with what approving one costs (`requests`), the filters, the rows being saved, and
 * the people selected for a bulk change (`selection`, R19), kept while the filters change.
 *
 * It follows the licences live (`followSeats`): a change by anyone (another administrator, an
 * integration, a scheduled termination) shows in the numbers at once, and the lists and recent
 * changes are then read again quietly, but only at a calm moment: not while the page is loading,
 * a row is being saved or `isBusy()` says so (a dialog is open), and right after that ends.
 *
 * It owns no markup. It says what happened through events (CustomEvent, `detail` below):
 *   'change'     { quiet }  the data changed: hand it down (`quiet`: a refresh after a live
 *                           change, keep what the person is looking at in place)
 *   'loading'    {}         a visible load started: clear the last error, show the search
 *   'load-error' { error }  a visible load failed
 *   'live-state' { state }  'connecting' | 'live' | 'reconnecting' | 'ended'
 *
 *   const store = new LicensesStore({ isBusy: () => … });
 *   store.addEventListener('change', …);
 *   store.open();   // when the page is shown: loads, then follows the changes
 *   store.close();  // when it goes away
 */

import {
  fetchLicenseRequests,
  fetchLicensesPage,
  fetchMatchingPeople,
  fetchMe,
  fetchResources,
  fetchSeatsAndRecentChanges,
  followSeats,
} from '../../lib/api.js';
import { SESSION_ENDED } from '../../lib/graphql.js';
import { Selection } from '../../lib/selection.js';

/** Changes in quick succession are read again once. */
const REFRESH_DELAY_MS = 150;
/** After the server ended the live updates while the session is still valid: start again. */
const LIVE_RESTART_MS = 30000;
/** The two lists of people, by kind, and where each is kept in the data. */
export const KINDS = { EMPLOYEE: 'employees', EXTERNAL_CONSULTANT: 'consultants' };

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
    // A search past the server's counting limit gives a lower bound ("1,000+").
    totalCountIsExact: connection.totalCountIsExact,
    hasNextPage: connection.pageInfo.hasNextPage,
    endCursor: connection.pageInfo.endCursor,
  };
}

export class LicensesStore extends EventTarget {
  /** The person signed in: a live end under someone else's session ends this one. */
  me = null;
  #isBusy;
  #open = false;
  #data = { seats: null, employees: null, consultants: null, recent: null, requests: null };
  #filters = { search: '', showInactive: false };
  #pending = new Set();
  #selection = new Selection();
  #loadSeq = 0;
  #loading = false;
  #loadingMore = 0;
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

  constructor({ isBusy = () => false } = {}) {
    super();
    this.#isBusy = isBusy;
  }

  /** Licence requests are decided by administrators: only they read them (R16). */
  get #readsRequests() {
    return this.me?.role === 'ADMIN';
  }

  /** `{ seats, employees, consultants, recent, requests }`; a part is null until read. */
  get data() {
    return this.#data;
  }

  get filters() {
    return this.#filters;
  }

  /** The ids of the people whose change is being saved. */
  get pending() {
    return this.#pending;
  }

  /** Who is selected for a bulk change (lib/selection.js; lists keyed by kind). */
  get selection() {
    return this.#selection;
  }

  get liveState() {
    return this.#liveState;
  }

  open() {
    this.#open = true;
    this.load();
  }

  close() {
    this.#open = false;
    this.#stopLive();
  }

  #emit(name, detail = {}) {
    this.dispatchEvent(new CustomEvent(name, { detail }));
  }

  /** Changes the filters (`{ search }`, `{ showInactive }`) and reads the lists again. */
  setFilters(change) {
    const next = { ...this.#filters, ...change };
    if (next.search === this.#filters.search && next.showInactive === this.#filters.showInactive) {
      return;
    }
    this.#filters = next;
    // The people selected stay so; "all matching" was about the filters before.
    this.#selection = this.#selection.unscoped();
    this.load({ listsOnly: true });
  }

  // The selection for a bulk change ---------------------------------------------------------

  /** Selects `people` (`{ id, name }`), or takes them out of the selection. */
  select(people, selected) {
    this.#selection = selected
      ? this.#selection.with(people)
      : this.#selection.without(people.map((person) => person.id));
    this.#emit('change', { quiet: false });
  }

  clearSelection() {
    this.#selection = new Selection();
    this.#emit('change', { quiet: false });
  }

  /**
   * Selects everyone one list's filters match (`kind`), read from the server a large page at
   * a time, up to the most one bulk change takes. Resolves to the error if that failed, else
   * null.
   */
  async selectAllMatching(kind) {
    const filters = this.#filters;
    try {
      const { people, more } = await fetchMatchingPeople({
        status: filters.showInactive ? 'ALL' : 'ACTIVE',
        kind,
        search: filters.search,
      });
      // Filters changed meanwhile: this answer is about a list no longer shown.
      if (filters !== this.#filters) return null;
      this.#selection = this.#selection.with(people, { allOf: kind, more });
      this.#emit('change', { quiet: false });
      return null;
    } catch (error) {
      return error;
    }
  }

  /**
   * Reads the page's data. `listsOnly` keeps the panel's numbers on screen meanwhile; `quiet`
   * (a refresh after a live change) shows no loading state and no error, and asks for as many
   * people as are shown, so that nothing shrinks.
   */
  async load({ listsOnly = false, quiet = false } = {}) {
    const seq = (this.#loadSeq += 1);
    const liveSeq = this.#liveSeq;
    this.#loading = true;
    if (!quiet) this.#emit('loading');
    if (!listsOnly && !quiet) {
      this.#data = {
        seats: null,
        employees: null,
        consultants: null,
        recent: null,
        requests: null,
      };
      this.#emit('change', { quiet: false });
    }
    try {
      // The requests are a part of their own: if they cannot be read, the rest still shows.
      const requests = this.#readsRequests
        ? fetchLicenseRequests().catch(() => null)
        : Promise.resolve(null);
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
        requests: keep('requests', await requests),
      };
      this.#emit('change', { quiet });
      if (!this.#liveState) this.#startLive({ fresh: true });
    } catch (error) {
      if (seq !== this.#loadSeq) return;
      // A quiet refresh that fails leaves the last answer on screen: the next change, or the
      // next connection of the live updates, reads again.
      if (!quiet) this.#emit('load-error', { error });
    } finally {
      if (seq === this.#loadSeq) {
        this.#loading = false;
        this.scheduleRefresh();
      }
    }
  }

  /** Reads the next page of one list. Resolves to the error if that failed, else null. */
  async loadMore(kind) {
    const key = KINDS[kind];
    const current = this.#data[key];
    if (!current?.hasNextPage) return null;
    this.#loadingMore += 1;
    let failure = null;
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
      failure = error;
    }
    this.#loadingMore -= 1;
    this.#emit('change', { quiet: false });
    this.scheduleRefresh();
    return failure;
  }

  /** Reads the numbers and the recent changes again. */
  async refreshSummary() {
    const liveSeq = this.#liveSeq;
    try {
      const { seats, recent } = await fetchSeatsAndRecentChanges();
      // Numbers that came live meanwhile are newer than this answer.
      if (liveSeq === this.#liveSeq) this.#data.seats = seats;
      this.#data.recent = recent;
      this.#emit('change', { quiet: false });
    } catch {
      // The page still shows the numbers of the last answer; the next load corrects them.
    }
  }

  /** Reads the pending licence requests again (after one was approved or declined). */
  async refreshRequests() {
    if (!this.#readsRequests) return;
    try {
      this.#data.requests = await fetchLicenseRequests();
      this.#emit('change', { quiet: false });
    } catch {
      // The last answer stays on screen; the next live change reads again.
    }
  }

  /** Numbers a change of this page answered with; they are handed down with the next change. */
  noteSeats(seats) {
    this.#data.seats = seats;
  }

  // Changes of one row ----------------------------------------------------------------------

  /** A row's change is being saved: it shows `shown` meanwhile. */
  beginChange(id, shown) {
    this.#setPending(id, true);
    this.#replaceResource(shown);
    this.#emit('change', { quiet: false });
  }

  /** A row's change is over: it shows `resource` (changed, or as it was). */
  endChange(id, resource) {
    this.#setPending(id, false);
    this.#replaceResource(resource);
    this.#emit('change', { quiet: false });
  }

  /** A change saved outside a row (a dialog) answered with these numbers and this person. */
  applyChange({ seats, resource }) {
    this.#data.seats = seats;
    this.#replaceResource(resource);
    this.#emit('change', { quiet: false });
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
    if (this.#pending.size === 0) this.scheduleRefresh();
  }

  // Live updates ---------------------------------------------------------------------------

  /** `fresh`: the page's data was just read, so the first numbers are likely the same. */
  #startLive({ fresh }) {
    if (this.#live || !this.#open) return;
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
    this.#emit('live-state', { state });
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
      this.#emit('change', { quiet: false });
    }
    // Every later message is a change by someone (also one that leaves the numbers as they
    // are: a consultant's access, a new co-worker without it), and after a reconnection
    // anything may have happened: read the people and recent changes again.
    this.#refreshWanted = true;
    this.scheduleRefresh();
  }

  /** Refreshes soon if a live change asked for it; call it when something busy has ended. */
  scheduleRefresh() {
    if (!this.#refreshWanted) return;
    clearTimeout(this.#refreshTimer);
    this.#refreshTimer = setTimeout(() => this.#refreshIfCalm(), REFRESH_DELAY_MS);
  }

  /** Refreshes unless the person is in the middle of something; called again when that ends. */
  #refreshIfCalm() {
    if (!this.#refreshWanted || !this.#open) return;
    const busy =
      this.#loading || this.#loadingMore > 0 || this.#pending.size > 0 || this.#isBusy();
    if (busy) return;
    this.#refreshWanted = false;
    this.load({ listsOnly: true, quiet: true });
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
    if (!this.#open) return;
    if (me === null || (me && this.me && me.id !== this.me.id)) {
      window.dispatchEvent(new CustomEvent(SESSION_ENDED));
      return;
    }
    if (reason === 'error' && me) return;
    this.#setLiveState('reconnecting');
    this.#liveRestartTimer = setTimeout(() => this.#startLive({ fresh: false }), LIVE_RESTART_MS);
  }
}
