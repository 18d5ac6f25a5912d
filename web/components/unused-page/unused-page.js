/**
 * The unused licenses (`#/unused`, R19), reached from the licenses page: the people who hold a
 * license and have not been active for the organisation's number of days, never active first,
 * with what each license costs a month and what they cost together. Administrators choose the
 * number of days here. Every rule is the server's: the page shows what it answers.
 *
 * People are selected with a box each (or all shown, or all unused) for a bulk change (R19):
 * the bar shown while some are opens the bulk dialog, which previews and saves it; then the
 * list is read again.
 */

import {
  BULK_LIMIT,
  fetchUnusedLicenses,
  fetchUnusedPeople,
  setUnusedAfterDays,
} from '../../lib/api.js';
import { AppPage, pageHead } from '../../lib/app-page.js';
import { formatMoney, formatNumber, licenses } from '../../lib/format.js';
import { emit, html, render } from '../../lib/html.js';
import { showLoadError } from '../../lib/load-error.js';
import { hrefFor } from '../../lib/router.js';
import { Selection } from '../../lib/selection.js';
import { bulkChangeFlow } from '../licenses-page/actions.js';
import { lastActive } from '../resource-list/resource-list.js';

/** The key of the list in a selection: "all matching" here means every unused license. */
const UNUSED = 'UNUSED';

const PAGE_SIZE = 100;

export class UnusedPage extends AppPage {
  #page = null;
  #edges = [];
  #loadingMore = false;
  #saving = false;
  #selection = new Selection();
  #selectingAll = false;

  connectedCallback() {
    render(
      this,
      html`${pageHead({
        title: 'Unused licenses',
        lede: html`People who hold a license and have not been active for a while.
          <a href="${hrefFor('licenses')}">Back to licenses</a>`,
      })}
      <div data-slot="load-error"></div>
      <section class="card unused-setting" aria-labelledby="unused-setting-title">
        <div class="card-head"><h2 id="unused-setting-title">When a license is unused</h2></div>
        <div class="card-body" data-slot="setting" aria-busy="true"></div>
      </section>
      <bulk-bar hidden></bulk-bar>
      <section class="card unused-list" aria-labelledby="unused-list-title">
        <div class="card-head">
          <h2 id="unused-list-title" tabindex="-1">Not active</h2>
          <p class="muted small-text" data-slot="summary" role="status"></p>
        </div>
        <div class="unused-select" data-slot="select-all"></div>
        <div data-slot="list" aria-busy="true"></div>
      </section>
      <bulk-dialog></bulk-dialog>`,
    );
    this.addEventListener('change', (event) => this.#onSelect(event));
    this.addEventListener('click', (event) => {
      if (event.target.closest('[data-action="select-matching"]')) this.#selectAllUnused();
    });
    this.addEventListener('selection-clear', () => {
      this.#select(new Selection());
      this.querySelector('#unused-list-title').focus();
    });
    this.addEventListener('bulk-request', (event) => this.#bulk(event.detail.action));
    this.#load();
  }

  // The selection for a bulk change ---------------------------------------------------------

  #person(id) {
    return this.#edges.find(({ node }) => node.resource.id === id)?.node.resource;
  }

  #onSelect(event) {
    const box = event.target;
    let people = [];
    if (box.matches('input[data-select]')) people = [this.#person(box.dataset.id)];
    else if (box.matches('input[data-select-shown]')) {
      people = this.#edges.map(({ node }) => node.resource);
    } else return;
    const chosen = people.filter(Boolean).map(({ id, name }) => ({ id, name }));
    this.#select(
      box.checked
        ? this.#selection.with(chosen)
        : this.#selection.without(chosen.map((person) => person.id)),
    );
  }

  #select(selection) {
    this.#selection = selection;
    this.querySelector('bulk-bar').selection = selection;
    if (this.#page) {
      this.#renderSelectAll();
      this.#renderList();
    }
  }

  /** "Select all N unused": every one, not only those shown, up to the limit. */
  async #selectAllUnused() {
    if (this.#selectingAll) return;
    this.#selectingAll = true;
    this.#renderSelectAll();
    try {
      const { people, more } = await fetchUnusedPeople();
      this.#selectingAll = false;
      this.#select(this.#selection.with(people, { allOf: UNUSED, more }));
    } catch (error) {
      this.#selectingAll = false;
      this.#renderSelectAll();
      emit(this, 'notify', { message: error.message, tone: 'error' });
    }
  }

  /**
   * The box selecting everyone shown, and "Select all N matching" when more are unused than
   * shown.
   */
  #renderSelectAll() {
    const slot = this.querySelector('[data-slot="select-all"]');
    const page = this.#page;
    if (!page || this.#edges.length === 0) {
      render(slot, '');
      return;
    }
    const selection = this.#selection;
    const shown = this.#edges.length;
    const chosen = this.#edges.filter(({ node }) => selection.has(node.resource.id)).length;
    let matching = '';
    if (selection.allOf.has(UNUSED)) {
      matching = html`<span class="muted" data-testid="all-matching-selected">${
        selection.capped
          ? `The first ${formatNumber(BULK_LIMIT)} matching are selected.`
          : `All ${formatNumber(page.totalCount)} matching are selected.`
      }</span>`;
    } else if (page.pageInfo.hasNextPage) {
      matching = html`<button type="button" class="link-button" data-action="select-matching"
        id="unused-select-matching" aria-disabled="${String(this.#selectingAll)}">
        ${this.#selectingAll ? 'Selecting…' : `Select all ${formatNumber(page.totalCount)} matching`}</button>`;
    }
    render(
      slot,
      html`<div class="select-all">
        <label>
          <input type="checkbox" class="select-box" data-select-shown id="unused-select-shown"
            ${chosen === shown ? 'checked' : ''}>
          <span>Select all ${formatNumber(shown)} shown</span>
        </label>
        ${matching}
      </div>`,
    );
    slot.querySelector('#unused-select-shown').indeterminate = chosen > 0 && chosen < shown;
  }

  /**
   * A bulk change of the people selected: confirmed, the selection is cleared and the list read
   * again, and focus goes to the list's heading; cancelled, back to the bar's button.
   */
  async #bulk(action) {
    const outcome = await bulkChangeFlow({
      action,
      selection: this.#selection,
      timeZone: this.timeZone,
      dialog: this.querySelector('bulk-dialog'),
    });
    if (!outcome) {
      this.querySelector(`#bulk-${action.toLowerCase()}`)?.focus();
      return;
    }
    this.#select(new Selection());
    emit(this, 'notify', { message: outcome.message, tone: outcome.tone });
    this.querySelector('#unused-list-title').focus();
    await this.#load();
  }

  async #load() {
    const slot = this.querySelector('[data-slot="load-error"]');
    showLoadError(slot, null);
    try {
      const page = await fetchUnusedLicenses({ first: PAGE_SIZE });
      this.#page = page;
      this.#edges = page.edges;
      this.#renderSetting();
      this.#renderSelectAll();
      this.#renderList();
    } catch (error) {
      showLoadError(slot, error, {
        failed: 'The unused licenses could not be loaded. ',
        retry: () => this.#load(),
      });
    }
  }

  async #more() {
    if (this.#loadingMore || !this.#page?.pageInfo.hasNextPage) return;
    this.#loadingMore = true;
    this.#renderList();
    try {
      const page = await fetchUnusedLicenses({
        first: PAGE_SIZE,
        after: this.#page.pageInfo.endCursor,
      });
      this.#page = page;
      this.#edges = [...this.#edges, ...page.edges];
    } catch (error) {
      emit(this, 'notify', { message: error.message, tone: 'error' });
    }
    this.#loadingMore = false;
    this.#renderSelectAll();
    this.#renderList();
    this.querySelector(`[data-id="${CSS.escape(this.#edges.at(-1)?.node.resource.id ?? '')}"] a`)?.focus();
  }

  #renderSetting() {
    const slot = this.querySelector('[data-slot="setting"]');
    const days = this.#page.unusedAfterDays;
    slot.setAttribute('aria-busy', 'false');
    const rule = html`A license counts as unused when the person holding it has not been active
      (signed in or used Seats with their session) for <strong>${formatNumber(days)}
      ${days === 1 ? 'day' : 'days'}</strong>, or was never active since they were added and
      started. Requests with API tokens are not a person's activity.`;
    if (this.me?.role !== 'ADMIN') {
      render(slot, html`<p>${rule}</p><p class="muted small-text">Administrators can change the number of days.</p>`);
      return;
    }
    render(
      slot,
      html`<p>${rule}</p>
      <form class="unused-form" data-form="days" novalidate>
        <div class="field">
          <label for="unused-days">Days without activity</label>
          <div class="unused-days-row">
            <input class="input" id="unused-days" name="days" type="number" inputmode="numeric"
              min="1" max="365" step="1" required value="${days}"
              aria-describedby="unused-days-hint unused-days-error">
            <button type="submit" class="button primary">Save</button>
          </div>
          <p class="muted small-text" id="unused-days-hint">From 1 to 365.</p>
          <p class="field-error" id="unused-days-error" role="alert"></p>
        </div>
      </form>`,
    );
    slot.querySelector('[data-form="days"]').addEventListener('submit', (event) => {
      event.preventDefault();
      this.#save(event.currentTarget);
    });
  }

  async #save(form) {
    if (this.#saving) return;
    const input = form.querySelector('#unused-days');
    const error = form.querySelector('#unused-days-error');
    const days = Number(input.value);
    error.textContent = '';
    input.removeAttribute('aria-invalid');
    if (!Number.isInteger(days) || input.value.trim() === '') {
      error.textContent = 'Enter a whole number of days, from 1 to 365.';
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    this.#saving = true;
    const button = form.querySelector('button[type="submit"]');
    button.setAttribute('aria-disabled', 'true');
    button.textContent = 'Saving…';
    try {
      const saved = await setUnusedAfterDays(days);
      this.#saving = false;
      emit(this, 'notify', {
        message: `Licenses now count as unused after ${formatNumber(saved)} ${saved === 1 ? 'day' : 'days'} without activity.`,
      });
      await this.#load();
      this.querySelector('#unused-days')?.focus();
    } catch (failure) {
      this.#saving = false;
      button.removeAttribute('aria-disabled');
      button.textContent = 'Save';
      error.textContent = failure.message;
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    }
  }

  #renderList() {
    const page = this.#page;
    const list = this.querySelector('[data-slot="list"]');
    const summary = this.querySelector('[data-slot="summary"]');
    list.setAttribute('aria-busy', 'false');
    const days = page.unusedAfterDays;
    this.querySelector('#unused-list-title').textContent =
      `Not active for ${formatNumber(days)} ${days === 1 ? 'day' : 'days'}`;
    summary.textContent =
      page.totalCount === 0
        ? 'No unused licenses.'
        : `${licenses(page.totalCount)} unused, costing ${formatMoney(page.totalMonthlyCost, page.currency)} a month.`;
    if (this.#edges.length === 0) {
      render(
        list,
        html`<p class="resource-empty">Everyone holding a license has been active in the last
          ${formatNumber(days)} ${days === 1 ? 'day' : 'days'}.</p>`,
      );
      return;
    }
    render(
      list,
      html`<table class="data-table unused-table">
        <caption class="visually-hidden">Unused licenses, never active first, then the longest idle</caption>
        <thead><tr>
          <th scope="col">Name</th>
          <th scope="col">Last active</th>
          <th scope="col" class="num">Monthly cost</th>
        </tr></thead>
        <tbody>
          ${this.#edges.map(
            ({ node }) => html`<tr data-id="${node.resource.id}"
              class="${this.#selection.has(node.resource.id) ? 'is-selected' : ''}">
              <td>
                <div class="unused-person">
                  <input type="checkbox" class="select-box" data-select
                    id="select-${node.resource.id}" data-id="${node.resource.id}"
                    aria-label="Select ${node.resource.name}"
                    ${this.#selection.has(node.resource.id) ? 'checked' : ''}>
                  <div class="unused-who">
                    <a href="${hrefFor('person', node.resource.id)}">${node.resource.name}</a>
                    <span class="unused-email">${node.resource.email}</span>
                  </div>
                </div>
              </td>
              <td class="unused-when">${lastActive(node.resource, this.timeZone)}</td>
              <td class="num">${formatMoney(node.monthlyCost, node.currency)}</td>
            </tr>`,
          )}
        </tbody>
        <tfoot><tr>
          <th scope="row" colspan="2">Total, ${licenses(page.totalCount)}</th>
          <td class="num" data-testid="unused-total">${formatMoney(page.totalMonthlyCost, page.currency)}</td>
        </tr></tfoot>
      </table>
      ${
        page.pageInfo.hasNextPage &&
        html`<div class="resource-more">
          <span class="muted small-text">Showing ${formatNumber(this.#edges.length)} of ${formatNumber(page.totalCount)}</span>
          <button type="button" class="button small" data-action="more"
            aria-disabled="${String(this.#loadingMore)}">${this.#loadingMore ? 'Loading…' : 'Show more'}</button>
        </div>`
      }`,
    );
    list.querySelector('[data-action="more"]')?.addEventListener('click', () => this.#more());
  }
}

export function registerUnusedPage() {
  customElements.define('unused-page', UnusedPage);
}
