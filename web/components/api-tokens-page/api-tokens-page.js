/**
 * Settings > API tokens (signed-in administrators): the organisation's tokens with what each
 * may do and when it was last used; creating one (its secret shown once, in the dialog) and
 * revoking one after a confirmation. Others are told the page is for administrators; the
 * server refuses them the same.
 */

import {
  fetchApiTokens,
  fetchProvisioning,
  revokeApiToken,
  setProvisioningDeactivation,
} from '../../lib/api.js';
import { AppPage, pageHead } from '../../lib/app-page.js';
import { formatDateTime, formatNumber, REASON_LABELS, ROLE_LABELS } from '../../lib/format.js';
import { emit, html, render } from '../../lib/html.js';
import { showLoadError } from '../../lib/load-error.js';
import { SCOPE_LABELS } from './scopes.js';

export class ApiTokensPage extends AppPage {
  #tokens = [];
  #loadSeq = 0;

  connectedCallback() {
    const admin = this.me?.canManageApiTokens;
    render(
      this,
      html`${pageHead({
        title: 'API tokens',
        lede: html`Integrations call the GraphQL API at <code>/graphql</code> with a token, sent
          as <code>Authorization: Bearer …</code>. Each token may do only what its scopes allow.
          Identity providers provision people over SCIM with a token of scope
          <code>scim</code>.`,
        actions:
          admin &&
          html`<button type="button" class="button primary" id="create-api-token"
            data-action="create">Create token</button>`,
      })}
      <div data-slot="message"></div>
      <div data-slot="content"></div>
      <div data-slot="provisioning"></div>
      ${admin && html`<api-token-dialog></api-token-dialog><confirm-dialog></confirm-dialog>`}`,
    );
    if (!admin) {
      this.#showAdminsOnly();
      return;
    }
    this.addEventListener('click', (event) => {
      const target = event.target.closest('[data-action]');
      if (target?.dataset.action === 'create') this.#create();
      if (target?.dataset.action === 'revoke') this.#revoke(target.dataset.id);
    });
    this.addEventListener('change', (event) => {
      if (event.target.name === 'deactivation') this.#chooseDeactivation(event.target);
    });
    this.#load();
    this.#loadProvisioning();
  }

  get #provisioning() {
    return this.querySelector('[data-slot="provisioning"]');
  }

  /** The SCIM base URL, the token it takes, and what a deactivation does (R17). */
  async #loadProvisioning() {
    try {
      const { deactivation, recentChanges } = await fetchProvisioning();
      this.#renderProvisioning(deactivation, recentChanges);
    } catch (error) {
      showLoadError(this.#provisioning, error, {
        failed: 'The provisioning settings could not be loaded. ',
        retry: () => this.#loadProvisioning(),
      });
    }
  }

  /** The last provisioning events: the history rows identity providers caused (R8, R17). */
  #events(changes) {
    if (!changes.length) {
      return html`<p class="muted small-text" data-testid="provisioning-events-empty">No
        identity provider has changed the license count yet.</p>`;
    }
    const items = changes.map(
      (change) => html`<li data-testid="provisioning-event">
        <span>${formatDateTime(change.occurredAt, this.timeZone)}</span>
        <span>${change.actor.name}</span>
        <span>${REASON_LABELS[change.reason] ?? change.reason}:
          ${formatNumber(change.fromCount)} → ${formatNumber(change.toCount)}${
            change.resource ? html` (${change.resource.name})` : ''
          }</span>
      </li>`,
    );
    return html`<ul class="provisioning-events" role="list">${items}</ul>`;
  }

  #renderProvisioning(deactivation, recentChanges = []) {
    const choice = (value, label, detail) => html`<label class="choice">
      <input type="radio" name="deactivation" value="${value}"
        ${deactivation === value ? 'checked' : ''}>
      <span>${label}<span class="hint">${detail}</span></span>
    </label>`;
    render(
      this.#provisioning,
      html`<section class="card provisioning-card" aria-labelledby="provisioning-title">
        <h2 id="provisioning-title">Provisioning from an identity provider</h2>
        <p class="muted">Okta, Microsoft Entra ID and other identity providers create, change
          and deactivate people over SCIM 2.0. Give them this base URL and a token with the
          scope <code>scim</code>: Create token above, choose the scope <code>scim</code>, and
          paste the token into the identity provider.</p>
        <dl class="provisioning-facts">
          <dt>SCIM base URL</dt>
          <dd><code data-testid="scim-base-url">${window.location.origin}/scim/v2</code></dd>
        </dl>
        <fieldset class="choice-list">
          <legend>When the identity provider deactivates someone</legend>
          ${choice(
            'TERMINATE',
            'Terminate them today',
            'Their license leaves the count, and the next invoice is credited.',
          )}
          ${choice(
            'REMOVE_ACCESS',
            'Remove their login access',
            'The license count stays; a license becomes free for someone else.',
          )}
        </fieldset>
        <p class="muted" role="status" data-slot="provisioning-status"></p>
        <h3 class="provisioning-subheading">Last provisioning events</h3>
        <p class="muted small-text">When an identity provider needs one more license, the
          license policy (Settings) decides whether it is added or an administrator is asked
          on the licenses page.</p>
        ${this.#events(recentChanges)}
      </section>`,
    );
  }

  async #chooseDeactivation(input) {
    const status = this.querySelector('[data-slot="provisioning-status"]');
    status.textContent = 'Saving…';
    try {
      const { deactivation } = await setProvisioningDeactivation(input.value);
      status.textContent =
        deactivation === 'TERMINATE'
          ? 'Saved: deactivated people are terminated today.'
          : 'Saved: deactivated people lose their login access.';
    } catch (error) {
      status.textContent = '';
      this.#say(`The choice was not saved. ${error.message}`);
      this.#loadProvisioning();
    }
  }

  get #content() {
    return this.querySelector('[data-slot="content"]');
  }

  #showAdminsOnly() {
    const me = this.me;
    render(
      this.#content,
      html`<section class="card api-tokens-note" aria-labelledby="api-tokens-note-title">
        <h2 id="api-tokens-note-title">API tokens are for administrators</h2>
        <p class="muted">
          Only administrators of ${me?.organization.name ?? 'your organisation'}, signed in,
          create and revoke API tokens.
          ${me && html`You are signed in as ${me.name} (${ROLE_LABELS[me.role] ?? me.role}).`}
        </p>
      </section>`,
    );
  }

  /** Says above the list what went wrong (`message`), or nothing. */
  #say(message) {
    render(
      this.querySelector('[data-slot="message"]'),
      message ? html`<p class="message error api-tokens-error" role="alert">${message}</p>` : '',
    );
  }

  async #load() {
    const seq = (this.#loadSeq += 1);
    render(this.#content, html`<p class="muted" role="status">Loading the API tokens…</p>`);
    this.#content.setAttribute('aria-busy', 'true');
    try {
      const tokens = await fetchApiTokens();
      if (seq !== this.#loadSeq) return;
      this.#tokens = tokens;
      this.#renderTokens();
    } catch (error) {
      if (seq !== this.#loadSeq) return;
      showLoadError(this.#content, error, {
        failed: 'The API tokens could not be loaded. ',
        retry: () => this.#load(),
      });
    }
    this.#content.setAttribute('aria-busy', 'false');
  }

  #renderTokens() {
    if (!this.#tokens.length) {
      render(
        this.#content,
        html`<section class="card api-tokens-empty" aria-label="API tokens">
          <p>No API tokens yet.</p>
          <p class="muted">Create one for each integration, with only the scopes it needs.</p>
        </section>`,
      );
      return;
    }
    render(
      this.#content,
      html`<section class="card api-tokens-card" aria-label="API tokens">
        <table class="data-table api-tokens-table">
          <caption class="visually-hidden">API tokens of the organisation, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Token</th>
              <th scope="col">Scopes</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col"><span class="visually-hidden">State</span></th>
            </tr>
          </thead>
          <tbody>${this.#tokens.map((token) => this.#row(token))}</tbody>
        </table>
      </section>`,
    );
  }

  #row(token) {
    const zone = this.timeZone;
    const state = token.revokedAt
      ? html`<span class="badge danger" id="api-token-state-${token.id}" tabindex="-1">Revoked
          ${formatDateTime(token.revokedAt, zone)}</span>`
      : html`<button type="button" class="link-button danger" data-action="revoke"
          data-id="${token.id}" id="revoke-${token.id}">Revoke<span class="visually-hidden">
          ${token.name}</span></button>`;
    return html`<tr class="api-token-row ${token.revokedAt ? 'is-revoked' : ''}"
      data-testid="api-token-row">
      <th scope="row" data-label="Name" class="api-token-name">${token.name}</th>
      <td data-label="Token"><code>${token.prefix}…</code></td>
      <td data-label="Scopes">
        <span class="api-token-scope-list">${token.scopes.map(
          (scope) => html`<span class="badge">${SCOPE_LABELS[scope] ?? scope}</span>`,
        )}</span>
      </td>
      <td data-label="Created">${formatDateTime(token.createdAt, zone)}</td>
      <td data-label="Last used">${token.lastUsedAt ? formatDateTime(token.lastUsedAt, zone) : 'Never'}</td>
      <td data-label="State" class="api-token-state">${state}</td>
    </tr>`;
  }

  async #create() {
    this.#say('');
    const created = await this.querySelector('api-token-dialog').open();
    if (!created) return;
    const { apiToken } = created;
    this.#tokens = [apiToken, ...this.#tokens.filter((token) => token.id !== apiToken.id)];
    this.#renderTokens();
    emit(this, 'notify', { message: `The token “${apiToken.name}” was created.` });
    this.querySelector('#create-api-token').focus();
  }

  async #revoke(id) {
    const token = this.#tokens.find((candidate) => candidate.id === id);
    if (!token) return;
    this.#say('');
    const confirmed = await this.querySelector('confirm-dialog').ask({
      title: `Revoke the token “${token.name}”?`,
      body: html`<p>Integrations using the token <code>${token.prefix}…</code> stop working at
        once. A revoked token cannot be used again: create a new one instead.</p>`,
      confirmLabel: 'Revoke token',
      tone: 'danger',
    });
    if (!confirmed) {
      this.querySelector(`#revoke-${CSS.escape(id)}`)?.focus();
      return;
    }
    try {
      const { apiToken } = await revokeApiToken(id);
      this.#tokens = this.#tokens.map((candidate) => (candidate.id === id ? apiToken : candidate));
      this.#renderTokens();
      this.querySelector(`#api-token-state-${CSS.escape(id)}`)?.focus();
      emit(this, 'notify', { message: `The token “${apiToken.name}” was revoked.` });
    } catch (error) {
      this.#say(`The token “${token.name}” was not revoked. ${error.message}`);
      this.querySelector(`#revoke-${CSS.escape(id)}`)?.focus();
    }
  }
}

export function registerApiTokensPage() {
  customElements.define('api-tokens-page', ApiTokensPage);
}
