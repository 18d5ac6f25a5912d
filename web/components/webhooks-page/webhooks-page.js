/**
 * Settings > Webhooks (signed-in administrators): the endpoints told of the organisation's
 * changes, each with its events and state; adding one (its signing secret shown once),
 * enabling or disabling, rotating the secret (the old one keeps signing for a day), removing;
 * and each endpoint's delivery log (time, status, duration, the start of the answer) with
 * "Resend". An endpoint the service disabled for failing for days is called out at the top.
 */

import {
  deleteWebhookEndpoint,
  fetchWebhookDeliveries,
  fetchWebhookEndpoints,
  resendWebhookDelivery,
  rotateWebhookSecret,
  updateWebhookEndpoint,
} from '../../lib/api.js';
import { AppPage, pageHead } from '../../lib/app-page.js';
import { formatDateTime } from '../../lib/format.js';
import { emit, html, render } from '../../lib/html.js';
import { showLoadError } from '../../lib/load-error.js';
import { EVENT_LABELS } from './events.js';

const ROTATION_OVERLAP_HOURS = 24;
const STATUS_LABELS = { PENDING: 'Pending', DELIVERED: 'Delivered', FAILED: 'Failed' };
const STATUS_TONES = { PENDING: 'warning', DELIVERED: 'success', FAILED: 'danger' };

export class WebhooksPage extends AppPage {
  #endpoints = [];
  #loadSeq = 0;
  #logOf = null;

  connectedCallback() {
    const admin = this.me?.canManageApiTokens;
    render(
      this,
      html`${pageHead({
        title: 'Webhooks',
        lede: html`Integrations are told of changes as they happen: each event is posted as
          JSON to the endpoints that want it, signed as the Standard Webhooks specification
          says, and retried for three days until the endpoint answers with a 2xx status.`,
        actions:
          admin &&
          html`<button type="button" class="button primary" id="add-webhook"
            data-action="add">Add endpoint</button>`,
      })}
      <div data-slot="message"></div>
      <div data-slot="content"></div>
      <div data-slot="log"></div>
      ${admin && html`<webhook-dialog></webhook-dialog><confirm-dialog></confirm-dialog>`}`,
    );
    if (!admin) {
      render(
        this.#content,
        html`<section class="card webhooks-note" aria-labelledby="webhooks-note-title">
          <h2 id="webhooks-note-title">Webhooks are for administrators</h2>
          <p class="muted">Only administrators, signed in, manage webhook endpoints.</p>
        </section>`,
      );
      return;
    }
    this.addEventListener('click', (event) => {
      const target = event.target.closest('[data-action]');
      if (!target || !this.contains(target) || target.closest('dialog')) return;
      const { action, id } = target.dataset;
      if (action === 'add') this.#add();
      if (action === 'toggle') this.#toggle(id);
      if (action === 'rotate') this.#rotate(id);
      if (action === 'delete') this.#delete(id);
      if (action === 'log') this.#showLog(id);
      if (action === 'resend') this.#resend(id);
    });
    this.#load();
  }

  get #content() {
    return this.querySelector('[data-slot="content"]');
  }

  get #log() {
    return this.querySelector('[data-slot="log"]');
  }

  #say(message) {
    render(
      this.querySelector('[data-slot="message"]'),
      message ? html`<p class="message error webhooks-error" role="alert">${message}</p>` : '',
    );
  }

  async #load() {
    const seq = (this.#loadSeq += 1);
    render(this.#content, html`<p class="muted" role="status">Loading the webhook endpoints…</p>`);
    this.#content.setAttribute('aria-busy', 'true');
    try {
      const endpoints = await fetchWebhookEndpoints();
      if (seq !== this.#loadSeq) return;
      this.#endpoints = endpoints;
      this.#render();
    } catch (error) {
      if (seq !== this.#loadSeq) return;
      showLoadError(this.#content, error, {
        failed: 'The webhook endpoints could not be loaded. ',
        retry: () => this.#load(),
      });
    }
    this.#content.setAttribute('aria-busy', 'false');
  }

  #render() {
    if (!this.#endpoints.length) {
      render(
        this.#content,
        html`<section class="card webhooks-empty" aria-label="Webhook endpoints">
          <p>No webhook endpoints yet.</p>
          <p class="muted">Add one for each integration that wants to hear of changes.</p>
        </section>`,
      );
      return;
    }
    const disabled = this.#endpoints.filter((endpoint) => endpoint.disabledReason);
    render(
      this.#content,
      html`${disabled.map(
        (endpoint) => html`<p class="message warning webhooks-disabled" role="alert"
          data-testid="webhook-disabled-notice">Seats disabled <strong>${endpoint.url}</strong>
          on ${formatDateTime(endpoint.disabledAt, this.timeZone)}: ${endpoint.disabledReason}
          Fix the receiver, then enable it again and resend what failed.</p>`,
      )}
      <section class="card webhooks-card" aria-label="Webhook endpoints">
        <ul class="webhook-list">${this.#endpoints.map((endpoint) => this.#item(endpoint))}</ul>
      </section>`,
    );
  }

  #item(endpoint) {
    const zone = this.timeZone;
    let state = html`<span class="badge success">Enabled</span>`;
    if (!endpoint.enabled) state = html`<span class="badge">Disabled</span>`;
    if (endpoint.disabledReason) state = html`<span class="badge danger">Disabled by Seats</span>`;
    return html`<li class="webhook-item" data-testid="webhook-row" id="webhook-${endpoint.id}">
      <div class="webhook-head">
        <h2 class="webhook-url"><code>${endpoint.url}</code></h2>
        ${state}
      </div>
      ${endpoint.description && html`<p class="webhook-description">${endpoint.description}</p>`}
      <p class="webhook-events-list">${endpoint.events.map(
        (event) => html`<span class="badge"><code>${EVENT_LABELS[event] ?? event}</code></span>`,
      )}</p>
      ${endpoint.failingSince &&
      html`<p class="small-text warning-text">Failing since
        ${formatDateTime(endpoint.failingSince, zone)}.</p>`}
      ${endpoint.previousSecretExpiresAt &&
      html`<p class="small-text muted">The previous secret signs too until
        ${formatDateTime(endpoint.previousSecretExpiresAt, zone)}.</p>`}
      <div class="webhook-actions">
        <button type="button" class="button" data-action="log" data-id="${endpoint.id}"
          id="webhook-log-${endpoint.id}">Delivery log</button>
        <button type="button" class="button" data-action="toggle" data-id="${endpoint.id}"
          id="webhook-toggle-${endpoint.id}">${endpoint.enabled ? 'Disable' : 'Enable'}</button>
        <button type="button" class="button" data-action="rotate" data-id="${endpoint.id}"
          id="webhook-rotate-${endpoint.id}">Rotate secret</button>
        <button type="button" class="link-button danger" data-action="delete"
          data-id="${endpoint.id}" id="webhook-delete-${endpoint.id}">Remove</button>
      </div>
    </li>`;
  }

  #replace(endpoint) {
    this.#endpoints = this.#endpoints.map((e) => (e.id === endpoint.id ? endpoint : e));
    this.#render();
  }

  async #add() {
    this.#say('');
    const created = await this.querySelector('webhook-dialog').open();
    if (!created) return;
    const { endpoint } = created;
    this.#endpoints = [endpoint, ...this.#endpoints.filter((e) => e.id !== endpoint.id)];
    this.#render();
    emit(this, 'notify', { message: `The endpoint ${endpoint.url} was added.` });
    this.querySelector('#add-webhook').focus();
  }

  async #toggle(id) {
    const endpoint = this.#endpoints.find((e) => e.id === id);
    if (!endpoint) return;
    this.#say('');
    try {
      const changed = await updateWebhookEndpoint(id, { enabled: !endpoint.enabled });
      this.#replace(changed);
      emit(this, 'notify', {
        message: `The endpoint ${changed.url} is ${changed.enabled ? 'enabled' : 'disabled'}.`,
      });
    } catch (error) {
      this.#say(`The endpoint was not changed. ${error.message}`);
    }
    this.querySelector(`#webhook-toggle-${CSS.escape(id)}`)?.focus();
  }

  async #rotate(id) {
    const endpoint = this.#endpoints.find((e) => e.id === id);
    if (!endpoint) return;
    this.#say('');
    const confirmed = await this.querySelector('confirm-dialog').ask({
      title: `Rotate the secret of ${endpoint.url}?`,
      body: html`<p>A new secret signs from now on. The current one keeps signing beside it for
        ${ROTATION_OVERLAP_HOURS} hours, so the receiver can switch without missing a message.</p>`,
      confirmLabel: 'Rotate secret',
    });
    if (!confirmed) {
      this.querySelector(`#webhook-rotate-${CSS.escape(id)}`)?.focus();
      return;
    }
    try {
      const rotated = await rotateWebhookSecret(id, ROTATION_OVERLAP_HOURS);
      this.#replace(rotated.endpoint);
      await this.querySelector('webhook-dialog').reveal(rotated.secret, 'Copy the new secret');
    } catch (error) {
      this.#say(`The secret was not rotated. ${error.message}`);
    }
    this.querySelector(`#webhook-rotate-${CSS.escape(id)}`)?.focus();
  }

  async #delete(id) {
    const endpoint = this.#endpoints.find((e) => e.id === id);
    if (!endpoint) return;
    this.#say('');
    const confirmed = await this.querySelector('confirm-dialog').ask({
      title: `Remove the endpoint ${endpoint.url}?`,
      body: html`<p>It is told nothing more, and its delivery log is removed with it.</p>`,
      confirmLabel: 'Remove endpoint',
      tone: 'danger',
    });
    if (!confirmed) {
      this.querySelector(`#webhook-delete-${CSS.escape(id)}`)?.focus();
      return;
    }
    try {
      await deleteWebhookEndpoint(id);
      this.#endpoints = this.#endpoints.filter((e) => e.id !== id);
      if (this.#logOf === id) render(this.#log, '');
      this.#render();
      emit(this, 'notify', { message: `The endpoint ${endpoint.url} was removed.` });
      this.querySelector('#add-webhook').focus();
    } catch (error) {
      this.#say(`The endpoint was not removed. ${error.message}`);
    }
  }

  async #showLog(id) {
    const endpoint = this.#endpoints.find((e) => e.id === id);
    if (!endpoint) return;
    this.#logOf = id;
    render(this.#log, html`<p class="muted" role="status">Loading the delivery log…</p>`);
    try {
      const deliveries = await fetchWebhookDeliveries(id);
      if (this.#logOf !== id) return;
      this.#renderLog(endpoint, deliveries);
      this.querySelector('#webhook-log-title')?.focus();
    } catch (error) {
      showLoadError(this.#log, error, {
        failed: 'The delivery log could not be loaded. ',
        retry: () => this.#showLog(id),
      });
    }
  }

  #renderLog(endpoint, deliveries) {
    const zone = this.timeZone;
    render(
      this.#log,
      html`<section class="card webhook-log" aria-labelledby="webhook-log-title"
        data-endpoint="${endpoint.id}">
        <h2 id="webhook-log-title" tabindex="-1">Delivery log of <code>${endpoint.url}</code></h2>
        ${deliveries.length
          ? html`<ul class="webhook-deliveries">${deliveries.map((delivery) => {
              const last = delivery.attempts[0];
              return html`<li class="webhook-delivery" data-testid="webhook-delivery">
                <div class="webhook-delivery-head">
                  <code>${EVENT_LABELS[delivery.eventType] ?? delivery.eventType}</code>
                  <span class="badge ${STATUS_TONES[delivery.status]}">${STATUS_LABELS[delivery.status]}</span>
                  <span class="small-text muted">${formatDateTime(delivery.occurredAt, zone)}</span>
                </div>
                <p class="small-text muted webhook-id"><code>${delivery.webhookId}</code></p>
                ${last
                  ? html`<p class="small-text webhook-attempt">
                      ${delivery.attempts.length} attempt${delivery.attempts.length === 1 ? '' : 's'};
                      last ${formatDateTime(last.attemptedAt, zone)}:
                      ${last.statusCode ?? 'no answer'} in ${last.durationMs} ms
                      ${last.error ? html`— ${last.error}` : ''}</p>
                    ${last.responseExcerpt &&
                    html`<pre class="webhook-excerpt">${last.responseExcerpt}</pre>`}`
                  : html`<p class="small-text muted">Not attempted yet.</p>`}
                <button type="button" class="button small" data-action="resend"
                  data-id="${delivery.id}" id="resend-${delivery.id}"
                  ${endpoint.enabled ? '' : 'disabled'}>Resend</button>
              </li>`;
            })}</ul>`
          : html`<p class="muted">Nothing was sent to this endpoint yet.</p>`}
      </section>`,
    );
  }

  async #resend(id) {
    this.#say('');
    try {
      const delivery = await resendWebhookDelivery(id);
      emit(this, 'notify', { message: `The event ${delivery.webhookId} will be sent again.` });
      if (this.#logOf) await this.#showLog(this.#logOf);
    } catch (error) {
      this.#say(`The delivery was not resent. ${error.message}`);
    }
  }
}

export function registerWebhooksPage() {
  customElements.define('webhooks-page', WebhooksPage);
}
