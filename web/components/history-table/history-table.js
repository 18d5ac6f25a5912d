/**
 * The licence history as a table (when, from, to, reason, by whom, whom it concerns), or, with
 * the `compact` attribute, as a short list for the side of the licences page.
 * Data down: `changes` (newest first, or null while loading) and `timeZone`.
 */

import {
  formatDateTime,
  formatDelta,
  formatNumber,
  REASON_LABELS,
} from '../../lib/format.js';
import { html, render } from '../../lib/html.js';

const SKELETON_ROWS = 4;

export class HistoryTable extends HTMLElement {
  #changes = null;
  #timeZone = 'UTC';
  #limit = Infinity;

  set changes(changes) {
    this.#changes = changes;
    if (this.isConnected) this.#render();
  }

  get changes() {
    return this.#changes;
  }

  set timeZone(timeZone) {
    this.#timeZone = timeZone;
  }

  /** Show at most this many rows. */
  set limit(limit) {
    this.#limit = limit;
    if (this.isConnected) this.#render();
  }

  connectedCallback() {
    this.#render();
  }

  #render() {
    if (this.hasAttribute('compact')) this.#renderCompact();
    else this.#renderTable();
  }

  #delta(change) {
    const up = change.toCount > change.fromCount;
    const down = change.toCount < change.fromCount;
    return html`<span class="delta ${up ? 'up' : ''} ${down ? 'down' : ''}">${formatDelta(change.fromCount, change.toCount)}</span>`;
  }

  #renderCompact() {
    const changes = this.#changes;
    if (!changes) {
      render(
        this,
        html`<ul class="history-compact" role="list" aria-label="Loading">
          ${Array.from(
            { length: 3 },
            () => html`<li><span class="skeleton history-skeleton-line"></span>
              <span class="skeleton history-skeleton-short"></span></li>`,
          )}
        </ul>`,
      );
      return;
    }
    if (changes.length === 0) {
      render(this, html`<p class="history-empty">No changes yet.</p>`);
      return;
    }
    render(
      this,
      html`<ul class="history-compact" role="list">
        ${changes.map(
          (change) => html`<li>
            <div class="history-compact-main">
              <span class="history-compact-counts">
                ${formatNumber(change.fromCount)} → ${formatNumber(change.toCount)}
              </span>
              ${this.#delta(change)}
              <span class="history-compact-reason">${REASON_LABELS[change.reason] ?? change.reason}</span>
            </div>
            <div class="history-compact-meta">
              ${formatDateTime(change.occurredAt, this.#timeZone)}
              · <span class="history-compact-actor">by ${change.actor.name}</span>
              ${change.resource && html` · <span class="history-compact-person">for ${change.resource.name}</span>`}
            </div>
          </li>`,
        )}
      </ul>`,
    );
  }

  #renderTable() {
    const changes = this.#changes;
    const rows = changes
      ? changes.slice(0, this.#limit).map((change) => this.#row(change))
      : Array.from({ length: SKELETON_ROWS }, () => this.#skeletonRow());
    render(
      this,
      html`<table class="data-table history-table" aria-busy="${String(!changes)}">
        <caption class="visually-hidden">Changes of the license count, newest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col" class="num">From</th>
            <th scope="col" class="num">To</th>
            <th scope="col">Reason</th>
            <th scope="col">Changed by</th>
            <th scope="col">Person</th>
          </tr>
        </thead>
        <tbody>${rows}</tbody>
      </table>
      ${changes && changes.length === 0 && html`<p class="history-empty">No changes in this period.</p>`}`,
    );
  }

  #row(change) {
    return html`<tr data-id="${change.id}">
      <td data-label="When">
        <time datetime="${change.occurredAt}">${formatDateTime(change.occurredAt, this.#timeZone)}</time>
      </td>
      <td data-label="From" class="num">${formatNumber(change.fromCount)}</td>
      <td data-label="To" class="num">
        ${formatNumber(change.toCount)} ${this.#delta(change)}
      </td>
      <td data-label="Reason">
        <span class="reason reason-${change.reason.toLowerCase()}">${REASON_LABELS[change.reason] ?? change.reason}</span>
      </td>
      <td data-label="Changed by">${change.actor.name}</td>
      ${
        change.resource
          ? html`<td data-label="Person">${change.resource.name}</td>`
          : html`<td data-label="Person" class="is-empty"><span class="muted">—</span></td>`
      }
    </tr>`;
  }

  #skeletonRow() {
    const cell = (label, width) =>
      html`<td data-label="${label}"><span class="skeleton history-skeleton-${width}"></span></td>`;
    return html`<tr class="is-skeleton">
      ${cell('When', 'line')}${cell('From', 'tiny')}${cell('To', 'tiny')}
      ${cell('Reason', 'short')}${cell('Changed by', 'short')}${cell('Person', 'short')}
    </tr>`;
  }
}

export function registerHistoryTable() {
  customElements.define('history-table', HistoryTable);
}
