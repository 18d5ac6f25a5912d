/**
 * Settings > Plan (administrators): the plan and its price per license, the active
 * subscriptions, the next invoice as it stands (base lines, then one adjustment per change of
 * the license count since the previous invoice, each with who caused it) and the issued
 * invoices, each expandable to its lines. Others are told that billing is for administrators.
 */

import { fetchInvoices, fetchPlanPage } from '../../lib/api.js';
import { AppPage, pageHead } from '../../lib/app-page.js';
import {
  BILLING_PERIOD_LABELS,
  formatAmount,
  formatDate,
  formatDateRange,
  formatDateTime,
  formatDelta,
  formatMoney,
  formatMonth,
  formatNumber,
  ROLE_LABELS,
} from '../../lib/format.js';
import { html, render } from '../../lib/html.js';
import { showLoadError } from '../../lib/load-error.js';
import { hrefFor } from '../../lib/router.js';

const PERIOD_WORDS = { MONTHLY: 'month' };
const SKELETON_LINES = 3;

/** An adjustment's quantity is a change of the count, signed: "+1", "−2". */
function formatQuantity(line) {
  return line.kind === 'ADJUSTMENT' ? formatDelta(0, line.quantity) : formatNumber(line.quantity);
}

const ISO_DAY = /\b\d{4}-\d{2}-\d{2}\b/g;

/**
 * A line's text as the server wrote it ("from 2026-11-16", "12.00 EUR"), with its days and
 * amounts written as everywhere else on the page ("from 16 Nov 2026", "€12.00").
 */
function lineText(description, currency) {
  const amounts = new RegExp(`(-?)([\\d,]+)\\.(\\d{2}) ${currency}\\b`, 'g');
  return description
    .replace(ISO_DAY, (day) => formatDate(day))
    .replace(amounts, (_, sign, whole, cents) =>
      formatAmount(Number(`${sign}${whole.replaceAll(',', '')}${cents}`), currency),
    );
}

function invoicePage(connection) {
  return {
    list: connection.edges.map((edge) => edge.node),
    hasNextPage: connection.pageInfo.hasNextPage,
    endCursor: connection.pageInfo.endCursor,
  };
}

export class PlanPage extends AppPage {
  #data = null;
  #actors = new Map();
  #loadSeq = 0;
  #loadingMore = false;
  #moreError = '';
  /** Ids of the issued invoices shown with their lines, kept when the list grows. */
  #open = new Set();

  connectedCallback() {
    this.#renderFrame();
    this.addEventListener(
      'toggle',
      (event) => {
        const details = event.target.closest?.('details[data-invoice]');
        if (!details) return;
        if (details.open) this.#open.add(details.dataset.invoice);
        else this.#open.delete(details.dataset.invoice);
      },
      true,
    );
    this.addEventListener('click', (event) => {
      const action = event.target.closest('[data-action]')?.dataset.action;
      if (action === 'more-invoices') this.#loadMoreInvoices();
    });
    if (this.me && this.me.role !== 'ADMIN') {
      this.#showAdminsOnly();
      return;
    }
    this.#load();
  }

  #renderFrame() {
    render(
      this,
      html`${pageHead({ title: 'Plan', lede: 'Your plan, active subscriptions and invoices.' })}
      <div class="plan-source" role="note">
        <svg class="plan-source-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <circle cx="12" cy="12" r="9"></circle>
          <path d="M12 11v6M12 7.5v.5"></path>
        </svg>
        <p>
          <strong>The changes done on the Licenses page are the source of how your invoice will be
            adjusted for the next invoicing period.</strong>
          Every change of the license count since the previous invoice becomes one adjustment line
          on the next invoice: a charge when a license is added, a credit when one is removed.
          See them on the <a href="${hrefFor('licenses')}">Licenses</a> page and in the
          <a href="${hrefFor('history')}">History</a>.
        </p>
      </div>
      <div class="plan-content" data-slot="content"></div>`,
    );
  }

  get #content() {
    return this.querySelector('[data-slot="content"]');
  }

  #showAdminsOnly() {
    const me = this.me;
    const role = ROLE_LABELS[me?.role] ?? me?.role ?? '';
    render(
      this.#content,
      html`<section class="card plan-note" aria-labelledby="plan-note-title">
        <svg class="plan-note-icon" viewBox="0 0 48 48" aria-hidden="true" focusable="false">
          <rect x="9" y="6" width="30" height="36" rx="4"></rect>
          <path d="M16 16h16M16 23h16M16 30h9"></path>
        </svg>
        <h2 id="plan-note-title">Billing is for administrators</h2>
        <p class="muted">
          The plan, subscriptions and invoices of ${me?.organization.name ?? 'your organisation'}
          are shown to administrators only.
          ${me && html`You are signed in as ${me.name} (${role}).`}
        </p>
        <p class="muted">
          The license changes you make on the <a href="${hrefFor('licenses')}">Licenses</a> page
          still adjust the next invoice. Ask an administrator if you have a question about billing.
        </p>
      </section>`,
    );
  }

  async #load() {
    const seq = (this.#loadSeq += 1);
    this.#data = null;
    this.#renderSkeleton();
    try {
      const result = await fetchPlanPage();
      if (seq !== this.#loadSeq) return;
      this.#actors = new Map(result.changes.map((change) => [change.id, change]));
      this.#data = { ...result, invoices: invoicePage(result.invoices) };
      this.#renderData();
    } catch (error) {
      if (seq !== this.#loadSeq) return;
      if (error.code === 'FORBIDDEN') {
        this.#showAdminsOnly();
        return;
      }
      showLoadError(this.#content, error, {
        failed: 'The plan could not be loaded. ',
        retry: () => this.#load(),
      });
      this.#content.setAttribute('aria-busy', 'false');
    }
  }

  async #loadMoreInvoices() {
    const invoices = this.#data?.invoices;
    if (!invoices?.hasNextPage || this.#loadingMore) return;
    this.#loadingMore = true;
    this.#moreError = '';
    this.#renderInvoices();
    try {
      const more = invoicePage(await fetchInvoices({ after: invoices.endCursor }));
      this.#data.invoices = { ...more, list: invoices.list.concat(more.list) };
    } catch (error) {
      this.#moreError = error.message;
    }
    this.#loadingMore = false;
    this.#renderInvoices();
    this.querySelector('#more-invoices')?.focus();
  }

  /** The shape of the loaded page, so that nothing jumps when the figures arrive. */
  #renderSkeleton() {
    const line = (width) => html`<span class="skeleton plan-skeleton-${width}"></span>`;
    const rows = Array.from(
      { length: SKELETON_LINES },
      () => html`<div class="plan-skeleton-row">${line('long')}${line('short')}</div>`,
    );
    render(
      this.#content,
      html`<p class="visually-hidden" role="status">Loading the plan…</p>
      <div class="two-columns">
        <div class="side-column">
          <section class="card plan-summary">
            <div class="card-head"><h2>Plan</h2></div>
            <div class="card-body plan-skeleton-body">${line('medium')}${line('long')}${line('short')}</div>
          </section>
          <section class="card plan-subscriptions">
            <div class="card-head"><h2>Subscriptions</h2></div>
            <div class="card-body plan-skeleton-body">${line('medium')}${line('long')}</div>
          </section>
        </div>
        <div class="main-column">
          <section class="card next-invoice">
            <div class="card-head"><h2>Next invoice</h2></div>
            <div class="card-body plan-skeleton-body">${rows}</div>
          </section>
          <section class="card past-invoices">
            <div class="card-head"><h2>Invoices</h2></div>
            <div class="card-body plan-skeleton-body">${rows}</div>
          </section>
        </div>
      </div>`,
    );
    this.#content.setAttribute('aria-busy', 'true');
  }

  #renderData() {
    const { plan, subscriptions, nextInvoice } = this.#data;
    render(
      this.#content,
      html`<div class="two-columns">
        <div class="side-column">
          ${this.#planCard(plan)}
          ${this.#subscriptionsCard(subscriptions, plan)}
        </div>
        <div class="main-column">
          ${this.#nextInvoiceCard(nextInvoice)}
          <section class="card past-invoices" aria-labelledby="past-invoices-title"
            data-slot="invoices"></section>
        </div>
      </div>`,
    );
    this.#content.setAttribute('aria-busy', 'false');
    this.#renderInvoices();
  }

  #planCard(plan) {
    const period = PERIOD_WORDS[plan.billingPeriod] ?? plan.billingPeriod.toLowerCase();
    return html`<section class="card plan-summary" aria-labelledby="plan-title">
      <div class="card-head">
        <h2 id="plan-title">Plan</h2>
        <span class="badge accent">${BILLING_PERIOD_LABELS[plan.billingPeriod] ?? plan.billingPeriod}</span>
      </div>
      <div class="card-body">
        <p class="plan-name" data-testid="plan-name">${plan.name}</p>
        <p class="plan-price">
          <strong data-testid="plan-price">${formatMoney(plan.pricePerLicense, plan.currency)}</strong>
          <span class="muted">per license per ${period}</span>
        </p>
        <dl class="plan-facts">
          <div>
            <dt>Billing period</dt>
            <dd>${plan.billingPeriod === 'MONTHLY' ? 'Calendar months' : plan.billingPeriod},
              ${this.timeZone} time</dd>
          </div>
          <div><dt>Currency</dt><dd>${plan.currency}</dd></div>
          <div><dt>Invoiced</dt><dd>At the start of each ${period}, in advance</dd></div>
        </dl>
      </div>
    </section>`;
  }

  #subscriptionsCard(subscriptions, plan) {
    const period = PERIOD_WORDS[plan.billingPeriod] ?? 'period';
    const items = subscriptions.map((subscription) => {
      const price = formatMoney(subscription.unitPrice, plan.currency);
      const cost =
        subscription.kind === 'PLAN'
          ? `${price} per license per ${period}`
          : `${formatNumber(subscription.quantity)} × ${price} per ${period}`;
      const runs = subscription.endsOn
        ? formatDateRange(subscription.startsOn, subscription.endsOn)
        : `Since ${formatDate(subscription.startsOn)}, no end date`;
      return html`<li class="subscription" data-testid="subscription">
        <div class="subscription-head">
          <span class="subscription-name">${subscription.name}</span>
          <span class="badge">${subscription.kind === 'PLAN' ? 'Plan' : 'Add-on'}</span>
          <span class="badge ${subscription.status === 'ACTIVE' ? 'success' : ''}">${
            subscription.status === 'ACTIVE' ? 'Active' : 'Cancelled'
          }</span>
        </div>
        <div class="subscription-meta">${cost}</div>
        <div class="subscription-meta">${runs}</div>
      </li>`;
    });
    return html`<section class="card plan-subscriptions" aria-labelledby="subscriptions-title">
      <div class="card-head">
        <h2 id="subscriptions-title">Subscriptions</h2>
        <span class="muted small-text">${formatNumber(subscriptions.length)} active</span>
      </div>
      ${
        subscriptions.length
          ? html`<ul class="subscription-list" role="list">${items}</ul>`
          : html`<p class="plan-empty-text">No active subscriptions.</p>`
      }
    </section>`;
  }

  #nextInvoiceCard(invoice) {
    return html`<section class="card next-invoice" aria-labelledby="next-invoice-title">
      <div class="card-head">
        <div>
          <h2 id="next-invoice-title">Next invoice</h2>
          <p class="muted small-text">
            ${formatDateRange(invoice.periodStart, invoice.periodEnd)} · issued on
            ${formatDate(invoice.periodStart)}
          </p>
        </div>
        <span class="badge accent">Preview</span>
      </div>
      ${this.#lines(invoice, 'Lines of the next invoice')}
      <p class="invoice-footnote muted small-text">
        The preview changes with every change of the license count until the invoice is issued.
      </p>
    </section>`;
  }

  #renderInvoices() {
    const slot = this.querySelector('[data-slot="invoices"]');
    if (!slot) return;
    const { invoices, nextInvoice } = this.#data;
    const body = invoices.list.length
      ? html`<ul class="invoice-list" role="list">
          ${invoices.list.map((invoice) => this.#issuedInvoice(invoice))}
        </ul>`
      : html`<p class="plan-empty-text">No invoices yet. The first one is issued on
          ${formatDate(nextInvoice.periodStart)}.</p>`;
    render(
      slot,
      html`<div class="card-head">
        <h2 id="past-invoices-title">Invoices</h2>
        <span class="muted small-text">Issued invoices never change</span>
      </div>
      ${body}
      ${
        invoices.hasNextPage &&
        html`<div class="invoice-more">
          <button type="button" class="button small" data-action="more-invoices" id="more-invoices"
            aria-disabled="${String(this.#loadingMore)}">
            ${this.#loadingMore ? 'Loading…' : 'Show older invoices'}
          </button>
        </div>`
      }
      ${this.#moreError && html`<p class="message error invoice-more-error" role="alert">${this.#moreError}</p>`}`,
    );
  }

  #issuedInvoice(invoice) {
    const open = this.#open.has(invoice.id);
    return html`<li class="invoice-item">
      <details data-invoice="${invoice.id}" ${open ? 'open' : ''}>
        <summary>
          <span class="invoice-summary-main">
            <span class="invoice-number">Invoice ${invoice.number}</span>
            <span class="muted small-text">
              ${formatMonth(invoice.periodStart)} · issued
              ${formatDateTime(invoice.issuedAt, this.timeZone)}
            </span>
          </span>
          <span class="invoice-summary-total">${formatAmount(invoice.total, invoice.currency)}</span>
          <svg class="invoice-chevron" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
            <path d="M4 6l4 4 4-4"></path>
          </svg>
        </summary>
        <div class="invoice-detail">
          ${this.#lines(invoice, `Lines of invoice ${invoice.number}`)}
        </div>
      </details>
    </li>`;
  }

  /** Base and add-on lines, then the adjustments with who caused each, then the total. */
  #lines(invoice, caption) {
    const base = invoice.lines.filter((line) => line.kind !== 'ADJUSTMENT');
    const adjustments = invoice.lines.filter((line) => line.kind === 'ADJUSTMENT');
    const adjusted = adjustments.reduce((sum, line) => sum + line.amount, 0);
    return html`<table class="data-table invoice-lines">
      <caption class="visually-hidden">${caption}</caption>
      <thead>
        <tr>
          <th scope="col">Description</th>
          <th scope="col">Caused by</th>
          <th scope="col" class="num">Quantity</th>
          <th scope="col" class="num">Amount</th>
        </tr>
      </thead>
      <tbody>${base.map((line) => this.#line(line, invoice.currency))}</tbody>
      <tbody class="invoice-adjustments">
        <tr class="invoice-group">
          <th scope="colgroup" colspan="4">
            Adjustments for license changes since the previous invoice
            ${adjustments.length > 0 && html`<span class="invoice-group-sum">${formatAmount(adjusted, invoice.currency)}</span>`}
          </th>
        </tr>
        ${
          adjustments.length
            ? adjustments.map((line) => this.#line(line, invoice.currency))
            : html`<tr class="invoice-none"><td colspan="4">No license changes since the previous
                invoice.</td></tr>`
        }
      </tbody>
      <tfoot>
        <tr class="invoice-total">
          <th scope="row" colspan="3">Total</th>
          <td class="num" data-testid="invoice-total">${formatAmount(invoice.total, invoice.currency)}</td>
        </tr>
      </tfoot>
    </table>`;
  }

  #line(line, currency) {
    const adjustment = line.kind === 'ADJUSTMENT';
    const tone = !adjustment
      ? ''
      : line.amount > 0
        ? 'is-charge'
        : line.amount < 0
          ? 'is-credit'
          : 'is-zero';
    const tag = !adjustment
      ? html`<span class="badge">${line.kind === 'BASE' ? 'Base' : 'Add-on'}</span>`
      : line.amount > 0
        ? html`<span class="badge accent">Charge</span>`
        : line.amount < 0
          ? html`<span class="badge success">Credit</span>`
          : html`<span class="badge">No charge</span>`;
    return html`<tr class="invoice-line ${tone}" data-kind="${line.kind}"
      ${line.change ? html`data-change="${line.change.id}"` : ''}>
      <td data-label="Description">
        <span class="invoice-line-text">${tag} <span>${lineText(line.description, currency)}</span></span>
      </td>
      ${this.#causedBy(line)}
      <td data-label="Quantity" class="num">${formatQuantity(line)}</td>
      <td data-label="Amount" class="num invoice-amount">${formatAmount(line.amount, currency)}</td>
    </tr>`;
  }

  /** The person the change concerns, and who made it (from the history row it comes from). */
  #causedBy(line) {
    const change = line.change ? this.#actors.get(line.change.id) : null;
    const actor = change?.actor.name;
    if (line.resource) {
      return html`<td data-label="Caused by" class="invoice-who">
        <span class="invoice-person">${line.resource.name}</span>
        ${actor && actor !== line.resource.name && html`<span class="muted small-text">by ${actor}</span>`}
      </td>`;
    }
    if (actor) {
      return html`<td data-label="Caused by" class="invoice-who">
        <span class="invoice-person">${actor}</span>
      </td>`;
    }
    return html`<td data-label="Caused by" class="invoice-who is-empty"><span class="muted">—</span></td>`;
  }
}

export function registerPlanPage() {
  customElements.define('plan-page', PlanPage);
}
