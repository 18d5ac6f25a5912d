/**
 * Setup > Settings: the overview the other settings pages are entered from. The licenses
 * (paid for, used, available), whose number and "Change" link lead to the licenses page; for
 * administrators the plan with its active subscriptions, the license policy (R16: how an
 * increase may happen without a person confirming it, and its caps), edited in place, and the
 * way to the API tokens.
 */

import { fetchLicensePolicy, fetchSettings, setLicensePolicy } from '../../lib/api.js';
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
      const [data, policy] = await Promise.all([
        fetchSettings({ billing: this.#readsBilling }),
        this.#readsBilling ? fetchLicensePolicy() : null,
      ]);
      if (seq !== this.#loadSeq) return;
      render(
        this.#content,
        html`${this.#licensesCard(data.seats)}
        ${this.#readsBilling ? this.#planCard(data.plan, data.subscriptions) : ''}
        ${policy ? this.#policyCard(policy) : ''}
        ${this.me?.canManageApiTokens ? this.#tokensCard() : ''}`,
      );
      this.querySelector('#license-policy-form')?.addEventListener('submit', (event) => {
        event.preventDefault();
        this.#savePolicy(event.target, policy.currency);
      });
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

  #policyCard(policy) {
    const digits = minorDigits(policy.currency);
    const amount =
      policy.maxMonthlyAmount === null ? '' : (policy.maxMonthlyAmount / 10 ** digits).toFixed(digits);
    const choice = (value, label, detail) => html`<label class="policy-choice">
      <input type="radio" name="mode" value="${value}" ${policy.mode === value ? 'checked' : ''}>
      <span>${label}<span class="muted small-text">${detail}</span></span>
    </label>`;
    return html`<section class="card settings-card" aria-labelledby="settings-policy-title">
      <div class="card-head"><h2 id="settings-policy-title">License policy</h2></div>
      <div class="card-body">
        <form id="license-policy-form" novalidate>
          <fieldset class="policy-modes">
            <legend>When an integration, an identity provider or a resource manager needs one
              more license</legend>
            ${choice('NEVER', 'Ask an administrator', 'Every such increase becomes a license request, approved or declined on the licenses page.')}
            ${choice('UP_TO_CAP', 'Add it, up to the caps', 'Past a cap, it becomes a license request.')}
          </fieldset>
          <p class="muted small-text">No increase ever passes a cap, yours included. Leave a
            cap empty for none.</p>
          <div class="policy-caps">
            <label class="field">
              <span>Most licenses</span>
              <input class="input" type="number" name="maxLicenseCount" min="0" step="1"
                inputmode="numeric" value="${policy.maxLicenseCount ?? ''}"
                data-testid="policy-max-count">
            </label>
            <label class="field">
              <span>Most per month (${policy.currency})</span>
              <input class="input" type="number" name="maxMonthlyAmount" min="0"
                step="${digits ? (1 / 10 ** digits).toFixed(digits) : '1'}" inputmode="decimal"
                value="${amount}" data-testid="policy-max-amount">
            </label>
          </div>
          <p class="muted small-text">Now: ${formatMoney(policy.monthlyAmount, policy.currency)}
            a month.</p>
          <button type="submit" class="button primary">Save policy</button>
          <p class="small-text" role="status" data-slot="policy-status"></p>
        </form>
      </div>
    </section>`;
  }

  async #savePolicy(form, currency) {
    const status = form.querySelector('[data-slot="policy-status"]');
    const digits = minorDigits(currency);
    const whole = (name, scale) => {
      const text = form.elements[name].value.trim();
      return text === '' ? null : Math.round(Number(text) * scale);
    };
    const maxLicenseCount = whole('maxLicenseCount', 1);
    const maxMonthlyAmount = whole('maxMonthlyAmount', 10 ** digits);
    if ([maxLicenseCount, maxMonthlyAmount].some((v) => v !== null && !(v >= 0))) {
      status.textContent = 'A cap is a number from 0, or empty for none.';
      return;
    }
    status.textContent = 'Saving…';
    try {
      const saved = await setLicensePolicy({
        mode: form.elements.mode.value,
        maxLicenseCount,
        maxMonthlyAmount,
      });
      status.textContent =
        saved.mode === 'NEVER'
          ? 'Saved: every increase asks an administrator.'
          : 'Saved: increases happen by themselves up to the caps.';
    } catch (error) {
      status.textContent = error.message;
    }
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

/** How many decimals the currency's minor unit has (2 for EUR, 0 for JPY). */
function minorDigits(currency) {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
    .maximumFractionDigits;
}

export function registerSettingsPage() {
  customElements.define('settings-page', SettingsPage);
}
