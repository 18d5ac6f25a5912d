/**
 * One section of people (employees, or external consultants) with a login-access checkbox
 * each, and a box selecting each for a bulk change (R19). Data comes in through `page`,
 * `pending`, `search` and `selection` (lib/selection.js, lists keyed by kind); intentions go
 * out as events: `access-toggle` { resource, enabled }, `terminate-request` { resource },
 * `cancel-termination-request` { resource }, `reactivate-request` { resource },
 * `load-more` { kind }, `people-select` { people, selected } (people: `{ id, name }`) and
 * `select-matching` { kind } (everyone the list's filters match, not only those shown). Each
 * name links to the person's page.
 */

import { BULK_LIMIT } from '../../lib/api.js';
import { formatAgo, formatDate, formatDateTime, formatNumber, ROLE_LABELS } from '../../lib/format.js';
import { emit, html, render } from '../../lib/html.js';
import { hrefFor } from '../../lib/router.js';
import { Selection } from '../../lib/selection.js';

const SKELETON_ROWS = 3;

function initials(name) {
  const letters = name
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => word[0]);
  return (letters[0] ?? '?') + (letters.length > 1 ? letters[letters.length - 1] : '');
}

export class ResourceList extends HTMLElement {
  #page = null;
  #pending = new Set();
  #loadingMore = false;
  #selectingMatching = false;
  #search = '';
  #selection = new Selection();

  /** `{ resources, totalCount, hasNextPage }`, or null while loading. */
  set page(page) {
    this.#page = page;
    this.#loadingMore = false;
    this.#renderIfConnected();
  }

  get page() {
    return this.#page;
  }

  /** Ids of people whose change is being saved. */
  set pending(ids) {
    this.#pending = ids;
    this.#renderIfConnected();
  }

  get pending() {
    return this.#pending;
  }

  set search(text) {
    this.#search = text;
  }

  /** Who is selected for a bulk change, across both lists. */
  set selection(selection) {
    this.#selection = selection;
    this.#selectingMatching = false;
    this.#renderIfConnected();
  }

  get selection() {
    return this.#selection;
  }

  /** "Select all N matching" failed or was answered: the button is offered again. */
  selectingDone() {
    this.#selectingMatching = false;
    this.#renderIfConnected();
  }

  /** The organisation's time zone: the exact times of the last activity are in it. */
  timeZone = 'UTC';

  get kind() {
    return this.getAttribute('kind');
  }

  connectedCallback() {
    this.addEventListener('change', (event) => this.#onChange(event));
    this.addEventListener('click', (event) => this.#onClick(event));
    this.#render();
  }

  #renderIfConnected() {
    if (this.isConnected) this.#render();
  }

  #find(id) {
    return this.#page?.resources.find((resource) => resource.id === id);
  }

  #onChange(event) {
    if (event.target.matches('input[data-select]')) {
      const resource = this.#find(event.target.dataset.id);
      if (resource) this.#select([resource], event.target.checked);
      return;
    }
    if (event.target.matches('input[data-select-shown]')) {
      this.#select(this.#page?.resources ?? [], event.target.checked);
      return;
    }
    const box = event.target.closest('input[data-access]');
    if (!box) return;
    const resource = this.#find(box.dataset.id);
    if (!resource || this.#pending.has(resource.id)) {
      box.checked = !box.checked;
      return;
    }
    emit(this, 'access-toggle', { resource, enabled: box.checked });
  }

  #onClick(event) {
    const button = event.target.closest('button[data-action]');
    if (!button) return;
    const { action, id } = button.dataset;
    if (action === 'select-matching') {
      if (this.#selectingMatching) return;
      this.#selectingMatching = true;
      this.#render();
      emit(this, 'select-matching', { kind: this.kind });
      return;
    }
    if (action === 'load-more') {
      this.#loadingMore = true;
      this.#render();
      emit(this, 'load-more', { kind: this.kind });
      return;
    }
    const resource = this.#find(id);
    if (!resource || this.#pending.has(resource.id)) return;
    if (action === 'terminate') emit(this, 'terminate-request', { resource });
    if (action === 'reactivate') emit(this, 'reactivate-request', { resource });
    if (action === 'cancel-termination') emit(this, 'cancel-termination-request', { resource });
  }

  #select(resources, selected) {
    const people = resources.map(({ id, name }) => ({ id, name }));
    emit(this, 'people-select', { people, selected });
  }

  #render() {
    const consultants = this.kind === 'EXTERNAL_CONSULTANT';
    const heading = consultants ? 'External consultants' : 'Employees';
    const note = consultants
      ? 'External consultants do not use licenses, whether or not they can sign in.'
      : 'Each employee with login access uses one license.';
    const page = this.#page;
    const headingId = `${this.kind.toLowerCase()}-heading`;
    render(
      this,
      html`<section class="card resource-section" aria-labelledby="${headingId}"
        aria-busy="${String(!page)}">
        <header class="resource-section-head">
          <div>
            <h2 id="${headingId}">${heading}
              ${page && html`<span class="resource-count">${total(page)}</span>`}
            </h2>
            <p class="resource-note">${note}</p>
          </div>
          ${page && page.resources.length > 0 && this.#selectAll(page)}
        </header>
        ${
          (!page || page.resources.length > 0) &&
          html`<div class="resource-columns column-heads" aria-hidden="true">
            <span></span><span>Name</span><span>Role</span><span>Last active</span>
            <span>Login access</span><span></span>
          </div>`
        }
        ${page ? this.#rows(page, consultants) : this.#skeleton()}
        ${page?.hasNextPage && this.#more(page)}
      </section>`,
    );
    const box = this.querySelector('input[data-select-shown]');
    if (box) box.indeterminate = box.dataset.some === 'true';
  }

  /**
   * The box selecting everyone shown (ticked when they all are, mixed when some are), and,
   * when the filters match more than are shown, "Select all N matching".
   */
  #selectAll(page) {
    const selection = this.#selection;
    const chosen = page.resources.filter((resource) => selection.has(resource.id)).length;
    const all = chosen === page.resources.length;
    const kindId = this.kind.toLowerCase();
    const whole = selection.allOf.has(this.kind);
    let matching = '';
    if (whole) {
      matching = html`<span class="muted" data-testid="all-matching-selected">${
        selection.capped
          ? `The first ${formatNumber(BULK_LIMIT)} matching are selected.`
          : `All ${total(page)} matching are selected.`
      }</span>`;
    } else if (page.hasNextPage || page.totalCountIsExact === false) {
      matching = html`<button type="button" class="link-button" data-action="select-matching"
        id="${kindId}-select-matching" aria-disabled="${String(this.#selectingMatching)}">
        ${this.#selectingMatching ? 'Selecting…' : `Select all ${total(page)} matching`}</button>`;
    }
    return html`<div class="select-all">
      <label>
        <input type="checkbox" class="select-box" data-select-shown id="${kindId}-select-shown"
          data-some="${String(chosen > 0 && !all)}" ${all ? 'checked' : ''}>
        <span>Select all ${formatNumber(page.resources.length)} shown</span>
      </label>
      ${matching}
    </div>`;
  }

  #skeleton() {
    const row = html`<li class="resource-row is-skeleton">
      <div class="resource-select"></div>
      <div class="resource-person">
        <span class="avatar skeleton"></span>
        <div class="resource-who">
          <span class="skeleton skeleton-name"></span>
          <span class="skeleton skeleton-email"></span>
        </div>
      </div>
      <div class="resource-role"><span class="skeleton skeleton-role"></span></div>
      <div class="resource-active"><span class="skeleton skeleton-role"></span></div>
      <div class="resource-access"><span class="skeleton skeleton-box"></span></div>
      <div class="resource-actions"></div>
    </li>`;
    return html`<ul class="resource-rows" role="list" aria-label="Loading">
      ${Array.from({ length: SKELETON_ROWS }, () => row)}
    </ul>`;
  }

  #rows(page, consultants) {
    if (page.resources.length === 0) {
      const empty = this.#search
        ? `No one matches “${this.#search}”.`
        : consultants
          ? 'No external consultants.'
          : 'No employees.';
      return html`<p class="resource-empty">${empty}</p>`;
    }
    return html`<ul class="resource-rows" role="list">
      ${page.resources.map((resource) => this.#row(resource, consultants))}
    </ul>`;
  }

  #row(resource, consultants) {
    const pending = this.#pending.has(resource.id);
    const inactive = !resource.active;
    const status = pending
      ? html`<span class="spinner small-spinner" aria-hidden="true"></span> Saving…`
      : !resource.loginAccess
        ? 'No access'
        : resource.usesLicense
          ? 'Uses a license'
          : 'Can sign in';
    const label = `Login access for ${resource.name}${inactive ? ' (inactive)' : ''}`;
    const leaving = !inactive && Boolean(resource.scheduledTermination);
    const selected = this.#selection.has(resource.id);
    return html`<li class="resource-row ${inactive ? 'is-inactive' : ''} ${leaving ? 'is-leaving' : ''} ${selected ? 'is-selected' : ''}"
      data-id="${resource.id}">
      <div class="resource-select">
        <input type="checkbox" class="select-box" data-select id="select-${resource.id}"
          data-id="${resource.id}" aria-label="Select ${resource.name}" ${selected ? 'checked' : ''}>
      </div>
      <div class="resource-person">
        <span class="avatar" aria-hidden="true">${initials(resource.name)}</span>
        <div class="resource-who">
          <span class="resource-name">
            <a class="resource-name-text" href="${hrefFor('person', resource.id)}">${resource.name}</a>
            ${inactive && html`<span class="badge danger">Inactive</span>`}
            ${
              !inactive &&
              resource.scheduledTermination &&
              html`<span class="badge warning" data-testid="scheduled-termination">Leaves after
                ${formatDate(resource.scheduledTermination)}</span>`
            }
            ${consultants && html`<span class="badge">No license</span>`}
          </span>
          <span class="resource-email">${resource.email}</span>
          ${
            inactive &&
            resource.lastWorkDay &&
            html`<span class="resource-left">Last work day ${formatDate(resource.lastWorkDay)}</span>`
          }
        </div>
      </div>
      <div class="resource-role">${ROLE_LABELS[resource.role] ?? resource.role}</div>
      <div class="resource-active">${lastActive(resource, this.timeZone)}</div>
      <div class="resource-access">
        <label class="access-toggle">
          <input type="checkbox" data-access id="access-${resource.id}" data-id="${resource.id}"
            aria-label="${label}" ${resource.loginAccess ? 'checked' : ''}
            ${inactive ? 'disabled' : ''} aria-busy="${String(pending)}">
          <span class="access-status ${pending ? 'is-pending' : ''}" aria-hidden="true">${status}</span>
        </label>
      </div>
      <div class="resource-actions">
        ${this.#action(resource)}
      </div>
    </li>`;
  }

  #action(resource) {
    if (!resource.active) {
      return html`<button type="button" class="button small" data-action="reactivate"
        data-id="${resource.id}" id="reactivate-${resource.id}"
        aria-label="Reactivate ${resource.name}">Reactivate</button>`;
    }
    if (resource.scheduledTermination) {
      return html`<button type="button" class="link-button" data-action="cancel-termination"
        data-id="${resource.id}" id="cancel-termination-${resource.id}"
        aria-label="Cancel termination of ${resource.name}">Cancel termination</button>`;
    }
    return html`<button type="button" class="link-button danger" data-action="terminate"
      data-id="${resource.id}" id="terminate-${resource.id}"
      aria-label="Terminate ${resource.name}">Terminate</button>`;
  }

  #more(page) {
    return html`<div class="resource-more">
      <span class="muted small-text">
        Showing ${formatNumber(page.resources.length)} of ${total(page)}
      </span>
      <button type="button" class="button small" data-action="load-more"
        id="${this.kind.toLowerCase()}-more" aria-disabled="${String(this.#loadingMore)}">
        ${this.#loadingMore ? 'Loading…' : 'Show more'}
      </button>
    </div>`;
  }
}

export function registerResourceList() {
  customElements.define('resource-list', ResourceList);
}

/** When the person was last active (R19), as "3 days ago" with the exact time in the title
 * and the `datetime`; "never" when never. */
export function lastActive(resource, timeZone) {
  if (!resource.lastActiveAt) {
    return html`<span class="last-active is-never"><span class="mobile-only">Last active: </span>never</span>`;
  }
  const exact = formatDateTime(resource.lastActiveAt, timeZone);
  return html`<span class="last-active"><span class="mobile-only">Last active: </span><time
    datetime="${resource.lastActiveAt}" title="${exact}">${formatAgo(resource.lastActiveAt)}</time></span>`;
}

/** The list's total: "1,234", or "1,000+" when the server counted a search only so far. */
function total(page) {
  return `${formatNumber(page.totalCount)}${page.totalCountIsExact === false ? '+' : ''}`;
}
