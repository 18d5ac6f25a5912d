/**
 * Settings > Licenses > History: the chart of the licence count and the licences in use over
 * time, every change of the count in a table, a date range, and the CSV export of the same range.
 */

import { fetchHistory, MAX_USAGE_POINTS } from '../../lib/api.js';
import { AppPage, pageHead } from '../../lib/app-page.js';
import { formatNumber, todayIn } from '../../lib/format.js';
import { html, render } from '../../lib/html.js';
import { showLoadError } from '../../lib/load-error.js';

const ROWS_PER_STEP = 50;

export class HistoryPage extends AppPage {
  #range = { from: '', to: '' };
  #changes = null;
  #usage = null;
  #shown = ROWS_PER_STEP;
  #loadSeq = 0;

  connectedCallback() {
    this.#renderFrame();
    this.#load();
  }

  #csvHref() {
    const params = new URLSearchParams();
    if (this.#range.from) params.set('from', this.#range.from);
    if (this.#range.to) params.set('to', this.#range.to);
    const query = params.toString();
    return query ? `/history.csv?${query}` : '/history.csv';
  }

  #renderFrame() {
    render(
      this,
      html`${pageHead({
        title: 'History',
        lede: `Every change of the license count: when, from and to, why, and by whom.
          Changes since the last invoice adjust the next one.`,
        actions: html`<a class="button" data-slot="csv" href="${this.#csvHref()}" download>Export CSV</a>`,
      })}
      <form class="history-range" novalidate aria-label="Date range">
        <div class="field">
          <label for="history-from">From</label>
          <input class="input" id="history-from" name="from" type="date">
        </div>
        <div class="field">
          <label for="history-to">To</label>
          <input class="input" id="history-to" name="to" type="date">
        </div>
        <div class="history-range-actions">
          <button type="submit" class="button">Apply</button>
          <button type="button" class="link-button" data-action="clear">Clear</button>
        </div>
      </form>
      <div data-slot="load-error"></div>
      <section class="card history-chart-card" aria-labelledby="history-chart-title">
        <div class="card-head">
          <h2 id="history-chart-title">Licenses over time</h2>
          <span class="muted small-text" data-slot="chart-note"></span>
        </div>
        <div class="card-body"><history-chart></history-chart></div>
      </section>
      <section class="card history-table-card" aria-labelledby="history-table-title">
        <div class="card-head">
          <h2 id="history-table-title">Changes</h2>
          <span class="muted small-text" data-slot="table-note"></span>
        </div>
        <history-table></history-table>
        <div data-slot="more"></div>
      </section>`,
    );
    this.querySelector('history-chart').timeZone = this.timeZone;
    this.querySelector('history-table').timeZone = this.timeZone;
    const form = this.querySelector('.history-range');
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.#setRange({ from: form.elements.from.value, to: form.elements.to.value });
    });
    this.querySelector('[data-action="clear"]').addEventListener('click', () => {
      form.reset();
      this.#setRange({ from: '', to: '' });
    });
  }

  #setRange(range) {
    if (range.from && range.to && range.from > range.to) {
      this.#showLoadError(
        {
          message:
            'The start of the range is after its end. The chart and the changes below are ' +
            'still those of the range before.',
        },
        false,
      );
      this.#setStale(true);
      return;
    }
    this.#range = range;
    this.querySelector('[data-slot="csv"]').setAttribute('href', this.#csvHref());
    this.#load();
  }

  /** Results that no longer match the range entered are dimmed and taken out of reach. */
  #setStale(stale) {
    for (const card of this.querySelectorAll('.history-chart-card, .history-table-card')) {
      card.classList.toggle('is-stale', stale);
      card.toggleAttribute('inert', stale);
    }
  }

  async #load() {
    const seq = (this.#loadSeq += 1);
    this.#setStale(false);
    this.#changes = null;
    this.#usage = null;
    this.#shown = ROWS_PER_STEP;
    this.#showLoadError(null);
    this.#showNotes({ complete: true, usage: [] });
    this.#push();
    try {
      const result = await fetchHistory(this.#range);
      if (seq !== this.#loadSeq) return;
      this.#changes = result.changes;
      this.#usage = result.usage;
      this.#showNotes(result);
      this.#push();
    } catch (error) {
      if (seq !== this.#loadSeq) return;
      this.#changes = [];
      this.#usage = [];
      this.#push();
      this.#showLoadError(error, true);
    }
  }

  #showNotes({ complete, usage }) {
    render(
      this.querySelector('[data-slot="chart-note"]'),
      usage.length >= MAX_USAGE_POINTS
        ? `Showing the latest ${formatNumber(MAX_USAGE_POINTS)} changes only`
        : '',
    );
    render(
      this.querySelector('[data-slot="table-note"]'),
      complete ? '' : 'Showing the latest changes only',
    );
  }

  /** A range that reaches today is drawn up to now; one that ends earlier, up to its last change. */
  get #endsAt() {
    const to = this.#range.to;
    return !to || to >= todayIn(this.timeZone) ? new Date() : null;
  }

  #push() {
    const chart = this.querySelector('history-chart');
    chart.endsAt = this.#endsAt;
    chart.range = this.#range;
    chart.points = this.#usage;
    const table = this.querySelector('history-table');
    table.limit = this.#shown;
    table.changes = this.#changes;
    const more = this.querySelector('[data-slot="more"]');
    const left = this.#changes ? this.#changes.length - this.#shown : 0;
    render(
      more,
      left > 0 &&
        html`<div class="history-more">
          <button type="button" class="button small" id="history-show-more">
            Show ${Math.min(left, ROWS_PER_STEP)} more
          </button>
        </div>`,
    );
    more.querySelector('button')?.addEventListener('click', () => {
      this.#shown += ROWS_PER_STEP;
      this.#push();
    });
  }

  /** A failed load offers to try again (`retry`); a range that cannot be read does not. */
  #showLoadError(error, retry) {
    const slot = this.querySelector('[data-slot="load-error"]');
    const again = { failed: 'The history could not be loaded. ', retry: () => this.#load() };
    showLoadError(slot, error, retry ? again : {});
  }
}

export function registerHistoryPage() {
  customElements.define('history-page', HistoryPage);
}
