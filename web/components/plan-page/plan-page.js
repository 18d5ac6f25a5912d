/** Settings > Plan: billing is not in the API yet, so the page says so and shows nothing else. */

import { html, render } from '../../lib/html.js';
import { hrefFor } from '../../lib/router.js';

export class PlanPage extends HTMLElement {
  connectedCallback() {
    render(
      this,
      html`<div class="page-head">
        <div>
          <h1 tabindex="-1">Plan</h1>
          <p class="lede">Your plan, active subscriptions and invoices.</p>
        </div>
      </div>
      <section class="card plan-empty" aria-labelledby="plan-empty-title">
        <svg class="plan-empty-icon" viewBox="0 0 48 48" aria-hidden="true" focusable="false">
          <rect x="9" y="6" width="30" height="36" rx="4"></rect>
          <path d="M16 16h16M16 23h16M16 30h9"></path>
        </svg>
        <h2 id="plan-empty-title">Plan and invoices will appear here</h2>
        <p class="muted">
          Once billing is available, this page shows your plan, its price per license, your
          active subscriptions and your invoices. License changes are already recorded in the
          <a href="${hrefFor('history')}">history</a> and will adjust the next invoice.
        </p>
      </section>`,
    );
  }
}

export function registerPlanPage() {
  customElements.define('plan-page', PlanPage);
}
