/**
 * One person's page (`#/person/<id>`), reached from a name in the licenses list: their name
 * and e-mail address, their role (administrators only), login access, terminating the account
 * or cancelling a scheduled termination, reactivating, and the license changes that concern
 * them. Every rule is the server's: the page shows what it answers.
 */

import { fetchPerson, setRole, updateResource } from '../../lib/api.js';
import { AppPage, pageHead } from '../../lib/app-page.js';
import { formatAgo, formatDate, formatDateTime, ROLE_LABELS } from '../../lib/format.js';
import { emit, html, render } from '../../lib/html.js';
import { newIdempotencyKey } from '../../lib/idempotency.js';
import { showLoadError } from '../../lib/load-error.js';
import { hrefFor, routeParam } from '../../lib/router.js';
import {
  cancelTerminationFlow,
  reactivateFlow,
  terminateFlow,
  toggleAccessFlow,
} from '../licenses-page/actions.js';

export class PersonPage extends AppPage {
  #id = '';
  #resource = null;
  #seats = null;
  #busy = false;

  connectedCallback() {
    this.#id = routeParam();
    render(
      this,
      html`${pageHead({
        title: 'Person',
        lede: html`<a href="${hrefFor('licenses')}">← Back to licenses</a>`,
      })}
      <div data-slot="load-error"></div>
      <div class="person-layout" data-slot="person" aria-busy="true"></div>
      <section class="card person-history" aria-labelledby="person-history-title">
        <div class="card-head"><h2 id="person-history-title">License history</h2></div>
        <history-table></history-table>
      </section>
      <confirm-dialog></confirm-dialog>
      <terminate-dialog></terminate-dialog>`,
    );
    this.querySelector('history-table').timeZone = this.timeZone;
    this.#load();
  }

  /** A moment of activity (R19): "3 days ago", exact in the title and `datetime`; "Never". */
  #moment(isoDateTime) {
    if (!isoDateTime) return 'Never';
    const exact = formatDateTime(isoDateTime, this.timeZone);
    return html`<time datetime="${isoDateTime}" title="${exact}">${formatAgo(isoDateTime)}</time>
      <span class="muted small-text">(${exact})</span>`;
  }

  async #load() {
    const slot = this.querySelector('[data-slot="load-error"]');
    showLoadError(slot, null);
    try {
      const { resource, seats, changes } = await fetchPerson(this.#id);
      this.#seats = seats;
      this.#show(resource);
      this.querySelector('history-table').changes = changes;
    } catch (error) {
      showLoadError(slot, error, {
        failed: 'This person could not be loaded. ',
        retry: () => this.#load(),
      });
    }
  }

  #show(resource) {
    this.#resource = resource;
    const title = this.querySelector('h1');
    title.textContent = resource.name;
    document.title = `${resource.name} · Seats`;
    const slot = this.querySelector('[data-slot="person"]');
    slot.setAttribute('aria-busy', 'false');
    const inactive = !resource.active;
    const isAdmin = this.me?.role === 'ADMIN';
    render(
      slot,
      html`<section class="card" aria-labelledby="person-details-title">
        <div class="card-head"><h2 id="person-details-title">Details</h2></div>
        <form class="card-body dialog-form" data-form="details" novalidate>
          <div class="field">
            <label for="person-name">Full name</label>
            <input class="input" id="person-name" name="name" autocomplete="off"
              value="${resource.name}" aria-describedby="person-name-error">
            <p class="field-error" id="person-name-error" data-error="name"></p>
          </div>
          <div class="field">
            <label for="person-email">E-mail address</label>
            <input class="input" id="person-email" name="email" type="email" autocomplete="off"
              value="${resource.email}" aria-describedby="person-email-error">
            <p class="field-error" id="person-email-error" data-error="email"></p>
          </div>
          <div><button type="submit" class="button primary">Save</button></div>
        </form>
      </section>
      <section class="card" aria-labelledby="person-access-title">
        <div class="card-head"><h2 id="person-access-title">Role and access</h2></div>
        <div class="card-body person-access">
          ${
            isAdmin
              ? html`<div class="field">
                  <label for="person-role">Role</label>
                  <select class="input" id="person-role" ${inactive ? 'disabled' : ''}>
                    ${Object.entries(ROLE_LABELS).map(
                      ([role, label]) =>
                        html`<option value="${role}" ${role === resource.role ? 'selected' : ''}>${label}</option>`,
                    )}
                  </select>
                </div>`
              : html`<p>Role: <strong>${ROLE_LABELS[resource.role] ?? resource.role}</strong></p>`
          }
          <label class="switch">
            <input type="checkbox" role="switch" id="person-login-access"
              ${resource.loginAccess ? 'checked' : ''} ${inactive ? 'disabled' : ''}>
            <span>Login access</span>
          </label>
          <p class="muted">Started ${formatDate(resource.startDate)}.
            ${resource.usesLicense ? 'Uses a license.' : 'Uses no license.'}</p>
          <dl class="person-activity">
            <div><dt>Last signed in</dt><dd data-testid="last-signed-in">${this.#moment(resource.lastSignedInAt)}</dd></div>
            <div><dt>Last active</dt><dd data-testid="last-active">${this.#moment(resource.lastActiveAt)}</dd></div>
          </dl>
        </div>
      </section>
      <section class="card" aria-labelledby="person-account-title">
        <div class="card-head"><h2 id="person-account-title">Account</h2></div>
        <div class="card-body person-actions">${this.#accountActions(resource)}</div>
      </section>`,
    );
    slot.querySelector('[data-form="details"]').addEventListener('submit', (event) => {
      event.preventDefault();
      this.#save(event.currentTarget);
    });
    slot.querySelector('#person-role')?.addEventListener('change', (event) =>
      this.#changeRole(event.target),
    );
    slot.querySelector('#person-login-access').addEventListener('change', (event) =>
      this.#run(() => toggleAccessFlow({
        resource,
        enabled: event.target.checked,
        confirm: this.querySelector('confirm-dialog'),
      }), '#person-login-access'),
    );
    slot.querySelector('[data-action="terminate"]')?.addEventListener('click', () =>
      this.#terminate(),
    );
    slot.querySelector('[data-action="cancel-termination"]')?.addEventListener('click', () =>
      this.#run(() => cancelTerminationFlow({ resource }), '[data-action="terminate"]'),
    );
    slot.querySelector('[data-action="reactivate"]')?.addEventListener('click', () =>
      this.#run(() => reactivateFlow({ resource }), '#person-login-access'),
    );
  }

  #accountActions(resource) {
    if (!resource.active) {
      return html`<p>Terminated${resource.lastWorkDay ? html`; last work day ${formatDate(resource.lastWorkDay)}` : ''}.</p>
        <button type="button" class="button" data-action="reactivate">Reactivate</button>`;
    }
    if (resource.scheduledTermination) {
      return html`<p><span class="badge warning">Leaves after
          ${formatDate(resource.scheduledTermination)}</span></p>
        <button type="button" class="button" data-action="cancel-termination">Cancel termination</button>`;
    }
    return html`<p class="muted">Terminating the account ends login access after the last work
        day and takes the license off the count.</p>
      <button type="button" class="button danger" data-action="terminate">Terminate user account</button>`;
  }

  #notify(message, tone = 'success') {
    emit(this, 'notify', { message, tone });
  }

  /** Runs one change, shows what it answered, reads the page again, focuses `focus`. */
  async #run(action, focus) {
    if (this.#busy) return;
    this.#busy = true;
    try {
      const outcome = await action();
      if (outcome) this.#notify(outcome.message, outcome.tone);
    } catch (error) {
      this.#notify(error.message, 'error');
    } finally {
      this.#busy = false;
      await this.#load();
      this.querySelector(focus)?.focus();
    }
  }

  async #save(form) {
    const fields = { name: form.elements.name.value, email: form.elements.email.value };
    for (const input of form.querySelectorAll('.input')) input.removeAttribute('aria-invalid');
    for (const error of form.querySelectorAll('[data-error]')) error.textContent = '';
    let result;
    try {
      result = await updateResource(this.#id, fields);
    } catch (error) {
      this.#notify(error.message, 'error');
      return;
    }
    if (result.__typename === 'UpdateResourceRefused') {
      const input = form.elements[result.field];
      const error = form.querySelector(`[data-error="${result.field}"]`);
      if (error) error.textContent = result.message;
      input?.setAttribute('aria-invalid', 'true');
      input?.focus();
      return;
    }
    this.#notify(result.message);
    this.#show(result.resource);
    this.querySelector('#person-name').focus();
  }

  async #changeRole(select) {
    const role = select.value;
    await this.#run(async () => {
      try {
        const result = await setRole(this.#id, role, { idempotencyKey: newIdempotencyKey() });
        return { message: result.message, tone: 'success' };
      } catch (error) {
        // LAST_ADMIN and other refusals: the server's words.
        return { message: error.message, tone: 'error' };
      }
    }, '#person-role');
  }

  async #terminate() {
    await this.#run(
      () => terminateFlow({
        resource: this.#resource,
        seats: this.#seats,
        timeZone: this.timeZone,
        dialog: this.querySelector('terminate-dialog'),
      }),
      '[data-action="cancel-termination"], [data-action="reactivate"], [data-action="terminate"]',
    );
  }
}

export function registerPersonPage() {
  customElements.define('person-page', PersonPage);
}
