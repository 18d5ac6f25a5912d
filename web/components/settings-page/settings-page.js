/**
 * Setup > Settings: the overview the other settings pages are entered from. The licenses
 * (paid for, used, available), whose number and "Change" link lead to the licenses page; for
 * administrators the plan with its active subscriptions, and the way to the API tokens.
 */

import { fetchSettings } from '../../lib/api.js';
import { AppPage, pageHead } from '../../lib/app-page.js';
import { formatDate, formatMoney, formatNumber } from '../../lib/format.js';
import { html, render } from '../../lib/html.js';
import { showLoadError } from '../../lib/load-error.js';
import { hrefFor } from '../../lib/router.js';

const PERIOD_WORDS = { MONTHLY: 'month' };

export class SettingsPage extends AppPage {
  #loadSeq = 0;

  /** The plan is billing: administrators only, as the server decides for `plan`. */
  get #readsBilling() {
    return this.me?.role === 'ADMIN';
  }

  connectedCallback() {
    render(
      this,
      html`${pageHead({
        title: 'Settings',
        lede: html`The licenses and the plan of ${this.me?.organization.name ?? 'your organisation'}.`,
      })}
      <div class="settings-grid" data-slot="content"></div>`,
    );
    this.#load();
  }

  get #content() {
    return this.querySelector('[data-slot="content"]');
  }

  async #load() {
    const seq = (this.#loadSeq += 1);
    render(this.#content, html`<p class="muted" role="status">Loading the settings…</p>`);
    this.#content.setAttribute('aria-busy', 'true');
    try {
      const data = await fetchSettings({ billing: this.#readsBilling });
      if (seq !== this.#loadSeq) return;
      render(
        this.#content,
        html`${this.#licensesCard(data.seats)}
        ${this.#readsBilling ? this.#planCard(data.plan, data.subscriptions) : ''}
        ${this.me?.canManageApiTokens ? this.#tokensCard() : ''}`,
      );
    } catch (error) {
      if (seq !== this.#loadSeq) return;
      showLoadError(this.#content, error, {
        failed: 'The settings could not be loaded. ',
        retry: () => this.#load(),
      });
    }
    this.#content.setAttribute('aria-busy', 'false');
  }

  #licensesCard(seats) {
    return html`<section class="card settings-card" aria-labelledby="settings-licenses-title">
      <div class="card-head">
        <h2 id="settings-licenses-title">Licenses</h2>
        <a class="settings-change" href="${hrefFor('licenses')}">Change<span
          class="visually-hidden"> licenses</span></a>
      </div>
      <div class="card-body">
        <a class="settings-count" href="${hrefFor('licenses')}">
          <strong data-testid="settings-license-count">${formatNumber(seats.licenseCount)}</strong>
          <span>${seats.licenseCount === 1 ? 'license' : 'licenses'}</span>
        </a>
        <dl class="settings-figures">
          <div><dt>In use</dt><dd data-testid="settings-used">${formatNumber(seats.used)}</dd></div>
          <div><dt>Available</dt>
            <dd data-testid="settings-available">${formatNumber(seats.available)}</dd></div>
        </dl>
        <p class="muted small-text">
          People with login access each use one license. Change the count, give or remove access
          and register co-workers on the licenses page.
        </p>
      </div>
    </section>`;
  }

  #planCard(plan, subscriptions) {
    const period = PERIOD_WORDS[plan.billingPeriod] ?? plan.billingPeriod.toLowerCase();
    const items = subscriptions.map(
      (subscription) => html`<li class="settings-subscription" data-testid="settings-subscription">
        <span class="settings-subscription-name">${subscription.name}</span>
        <span class="badge">${subscription.kind === 'PLAN' ? 'Plan' : 'Add-on'}</span>
        <span class="muted small-text">
          ${
            subscription.kind === 'PLAN'
              ? `${formatMoney(subscription.unitPrice, plan.currency)} per license per ${period}`
              : `${formatNumber(subscription.quantity)} × ${formatMoney(subscription.unitPrice, plan.currency)} per ${period}`
          }
          · since ${formatDate(subscription.startsOn)}
        </span>
      </li>`,
    );
    return html`<section class="card settings-card" aria-labelledby="settings-plan-title">
      <div class="card-head">
        <h2 id="settings-plan-title">Plan</h2>
        <a href="${hrefFor('plan')}">Plan and invoices</a>
      </div>
      <div class="card-body">
        <p class="settings-plan-name" data-testid="settings-plan-name">${plan.name}</p>
        <p class="muted">
          <strong class="settings-plan-price">${formatMoney(plan.pricePerLicense, plan.currency)}</strong>
          per license per ${period}
        </p>
        <h3 class="settings-subheading">Active subscriptions</h3>
        ${
          subscriptions.length
            ? html`<ul class="settings-subscriptions" role="list">${items}</ul>`
            : html`<p class="muted">No active subscriptions.</p>`
        }
      </div>
    </section>`;
  }

  #tokensCard() {
    return html`<section class="card settings-card" aria-labelledby="settings-tokens-title">
      <div class="card-head">
        <h2 id="settings-tokens-title">API tokens</h2>
        <a href="${hrefFor('api-tokens')}">Manage<span class="visually-hidden"> API tokens</span></a>
      </div>
      <div class="card-body">
        <p class="muted">
          Integrations read and change licenses through the API with a token of their own, with
          only the scopes they need. Revoke a token and it stops working at once.
        </p>
      </div>
    </section>`;
  }
}

export function registerSettingsPage() {
  customElements.define('settings-page', SettingsPage);
}
