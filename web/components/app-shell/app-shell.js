/**
 * The signed-in layout: header with navigation and sign-out, the page of the current route,
 * and a live region for short notices (`notify` events from any page). Every signed-in
 * person's page holds one live connection: the page's own when it follows live updates (a
 * page element with `static followsLive = true`, which then answers for the session's end),
 * else one held here. When the server closes it because their session or access ended,
 * SESSION_ENDED is announced and the app asks them to sign in again.
 */

import { holdSession, signOut } from '../../lib/api.js';
import { SESSION_ENDED } from '../../lib/graphql.js';
import { emit, html, render } from '../../lib/html.js';
import { currentRoute, hrefFor, onRouteChange, routeParam } from '../../lib/router.js';
import { ROLE_LABELS } from '../../lib/format.js';

/** The pages in the order of the navigation; `shown(me)` keeps a page's link to some people. */
const PAGES = {
  settings: { title: 'Settings', element: 'settings-page' },
  licenses: { title: 'Licenses', element: 'licenses-page' },
  plan: { title: 'Plan', element: 'plan-page' },
  history: { title: 'History', element: 'history-page' },
  'api-tokens': {
    title: 'API tokens',
    element: 'api-tokens-page',
    shown: (me) => me.canManageApiTokens,
  },
  // Webhook endpoints are managed by the same people as API tokens (signed-in administrators).
  webhooks: {
    title: 'Webhooks',
    element: 'webhooks-page',
    shown: (me) => me.canManageApiTokens,
  },
  // Reached from a name in the licenses list, not from the navigation.
  person: { title: 'Person', element: 'person-page', inNav: false },
  // Reached from the licenses page.
  unused: { title: 'Unused licenses', element: 'unused-page', inNav: false },
};
const NOTICE_MS = 7000;

export class AppShell extends HTMLElement {
  #me = null;
  #route = null;
  #stopRouting = null;
  #noticeTimer = 0;
  #session = null;

  set me(me) {
    this.#me = me;
    if (this.isConnected) this.#renderShell();
  }

  get me() {
    return this.#me;
  }

  connectedCallback() {
    this.#stopRouting = onRouteChange((route) => this.#showRoute(route, { moveFocus: true }));
    this.addEventListener('notify', (event) => this.#showNotice(event.detail));
    if (this.#me) this.#renderShell();
  }

  /** Holds a connection for the session unless the page shown has a live one of its own. */
  #watchSession() {
    const page = this.#me?.canManageLicenses ? PAGES[this.#route?.split('/')[0]] : null;
    const pageFollowsLive = Boolean(page && customElements.get(page.element)?.followsLive);
    if (pageFollowsLive || !this.isConnected) {
      this.#session?.close();
      this.#session = null;
    } else if (!this.#session) {
      this.#session = holdSession({
        onEnded: () => window.dispatchEvent(new CustomEvent(SESSION_ENDED)),
      });
    }
  }

  disconnectedCallback() {
    this.#stopRouting?.();
    clearTimeout(this.#noticeTimer);
    this.#session?.close();
    this.#session = null;
  }

  #renderShell() {
    const me = this.#me;
    const nav = me.canManageLicenses
      ? html`<nav class="shell-nav" aria-label="Settings">
          ${Object.entries(PAGES)
            .filter(([, page]) => page.inNav !== false && (page.shown?.(me) ?? true))
            .map(
              ([route, page]) =>
                html`<a class="shell-nav-link" href="${hrefFor(route)}" data-route="${route}">${page.title}</a>`,
            )}
        </nav>`
      : '';
    render(
      this,
      html`<a class="skip-link" href="#main-content" data-action="skip">Skip to content</a>
      <header class="shell-header">
        <div class="shell-bar">
          <div class="shell-brand">
            <span class="brand-mark" aria-hidden="true"></span>
            <span class="brand-name">Seats</span>
            <span class="shell-org" title="${me.organization.name}">${me.organization.name}</span>
          </div>
          <div class="shell-user">
            <span class="shell-user-name">
              <span class="shell-user-full">${me.name}</span>
              <span class="shell-user-role">${ROLE_LABELS[me.role] ?? me.role}</span>
            </span>
            <button type="button" class="button small" data-action="sign-out">Sign out</button>
          </div>
        </div>
        ${nav}
      </header>
      <main class="shell-main" id="main-content" tabindex="-1"></main>
      <div class="shell-notices" data-slot="notices" role="status" aria-live="polite"></div>`,
    );
    this.querySelector('[data-action="sign-out"]').addEventListener('click', (e) =>
      this.#signOut(e.currentTarget),
    );
    this.querySelector('[data-action="skip"]').addEventListener('click', (event) => {
      event.preventDefault();
      this.querySelector('#main-content').focus();
    });
    this.#route = null;
    this.#showRoute(currentRoute(), { moveFocus: false });
  }

  #showRoute(route, { moveFocus }) {
    // A route with a parameter (one person's page) is another page for another parameter.
    const shown = `${route}/${routeParam()}`;
    if (shown === this.#route) return;
    this.#route = shown;
    this.#watchSession();
    const main = this.querySelector('.shell-main');
    const page = PAGES[route];
    for (const link of this.querySelectorAll('.shell-nav-link')) {
      if (link.dataset.route === route) {
        link.setAttribute('aria-current', 'page');
        // On a narrow screen the navigation scrolls: keep the current page's link in view.
        link.scrollIntoView({ block: 'nearest', inline: 'nearest' });
      } else link.removeAttribute('aria-current');
    }
    if (!this.#me.canManageLicenses) {
      document.title = 'Seats';
      render(
        main,
        html`<section class="card member-notice" aria-labelledby="member-notice-title">
          <h1 id="member-notice-title" tabindex="-1">Licenses</h1>
          <p>This page is for administrators and users with access to resources.</p>
          <p class="muted">
            You are signed in as ${this.#me.name} (${ROLE_LABELS[this.#me.role] ?? this.#me.role}).
            Ask an administrator of ${this.#me.organization.name} if you need to manage licenses.
          </p>
        </section>`,
      );
      return;
    }
    document.title = `${page.title} · Seats`;
    main.replaceChildren();
    const element = document.createElement(page.element);
    element.me = this.#me;
    main.append(element);
    if (moveFocus) {
      // Tell screen readers the page changed: focus its heading once it is there.
      requestAnimationFrame(() => (main.querySelector('h1') ?? main).focus());
    }
  }

  #showNotice({ message, tone = 'success' }) {
    const slot = this.querySelector('[data-slot="notices"]');
    if (!slot || !message) return;
    clearTimeout(this.#noticeTimer);
    render(
      slot,
      html`<div class="shell-notice ${tone}">
        <span>${message}</span>
        <button type="button" class="shell-notice-close" data-action="dismiss"
          aria-label="Dismiss notice">×</button>
      </div>`,
    );
    slot.querySelector('[data-action="dismiss"]').addEventListener('click', () =>
      this.#hideNotice(slot),
    );
    this.#noticeTimer = setTimeout(() => this.#hideNotice(slot), NOTICE_MS);
    // Room at the page's end for the notice and the gap below it.
    const space = window.innerHeight - slot.getBoundingClientRect().top;
    this.style.setProperty('--notice-space', `${Math.max(0, Math.ceil(space))}px`);
  }

  #hideNotice(slot) {
    render(slot, '');
    this.style.removeProperty('--notice-space');
  }

  async #signOut(button) {
    button.setAttribute('aria-disabled', 'true');
    button.textContent = 'Signing out…';
    // Signing out ends this session: its connection closing then is no news.
    this.#session?.close();
    this.#session = null;
    try {
      await signOut();
      emit(this, 'signed-out');
    } catch (error) {
      this.#watchSession();
      button.removeAttribute('aria-disabled');
      button.textContent = 'Sign out';
      this.#showNotice({ message: error.message, tone: 'error' });
    }
  }
}

export function registerAppShell() {
  customElements.define('app-shell', AppShell);
}
