/**
 * The sign-in page. Emits `signed-in` with `{ me }`. After too many failed tries the server
 * answers how long to wait (SignInThrottled): the form counts it down each second, refuses to
 * send meanwhile, and opens again when the wait is over.
 */

import { signIn } from '../../lib/api.js';
import { seconds } from '../../lib/format.js';
import { emit, html, render } from '../../lib/html.js';

export class SignInForm extends HTMLElement {
  #notice = '';
  #error = '';
  #busy = false;
  /** While sign-in is throttled: when the wait ends (ms since the epoch), and its timer. */
  #waitUntil = 0;
  #timer = null;

  set notice(text) {
    this.#notice = text;
    if (this.isConnected) this.#renderMessages();
  }

  connectedCallback() {
    render(
      this,
      html`<main class="sign-in">
        <div class="sign-in-card card">
          <div class="sign-in-brand">
            <span class="brand-mark" aria-hidden="true"></span>
            <span class="brand-name">Seats</span>
          </div>
          <h1>Sign in</h1>
          <p class="muted">Manage your organisation's licenses and who can sign in.</p>
          <div class="sign-in-messages" data-slot="messages"></div>
          <form class="sign-in-fields" novalidate>
            <div class="field">
              <label for="sign-in-email">E-mail address</label>
              <input class="input" id="sign-in-email" name="email" type="email"
                autocomplete="username" required>
            </div>
            <div class="field">
              <label for="sign-in-password">Password</label>
              <input class="input" id="sign-in-password" name="password" type="password"
                autocomplete="current-password" required>
            </div>
            <button class="button primary sign-in-submit" type="submit">Sign in</button>
          </form>
        </div>
      </main>`,
    );
    this.querySelector('form').addEventListener('submit', (event) => this.#submit(event));
    this.#renderMessages();
    this.querySelector('#sign-in-email').focus();
  }

  disconnectedCallback() {
    clearInterval(this.#timer);
    this.#timer = null;
  }

  #renderMessages() {
    const slot = this.querySelector('[data-slot="messages"]');
    if (!slot) return;
    if (this.#waitUntil) {
      // Announced once; the countdown then changes in place without being read every second.
      render(
        slot,
        html`<p class="message error" role="alert" data-testid="sign-in-wait"
          >Too many failed sign-ins. <span data-slot="countdown" aria-live="off"
          >${this.#countdown()}</span></p>`,
      );
      return;
    }
    render(
      slot,
      html`${this.#error && html`<p class="message error" role="alert">${this.#error}</p>`}
      ${!this.#error && this.#notice && html`<p class="message" role="status">${this.#notice}</p>`}`,
    );
  }

  #secondsLeft() {
    return Math.max(0, Math.ceil((this.#waitUntil - Date.now()) / 1000));
  }

  #countdown() {
    return `Try again in ${seconds(this.#secondsLeft())}.`;
  }

  /** Refuses to send for `wait` seconds, counting down, then opens the form again. */
  #startWait(wait) {
    clearInterval(this.#timer);
    this.#waitUntil = Date.now() + Math.max(1, wait) * 1000;
    this.#error = '';
    this.#setBusy(false);
    this.#renderMessages();
    this.#timer = setInterval(() => this.#tick(), 250);
  }

  #tick() {
    if (this.#secondsLeft() > 0) {
      const countdown = this.querySelector('[data-slot="countdown"]');
      const text = this.#countdown();
      if (countdown && countdown.textContent !== text) countdown.textContent = text;
      return;
    }
    clearInterval(this.#timer);
    this.#timer = null;
    this.#waitUntil = 0;
    this.#notice = 'You can try again now.';
    this.#setBusy(false);
    this.#renderMessages();
  }

  #setBusy(busy) {
    this.#busy = busy;
    const button = this.querySelector('.sign-in-submit');
    button.setAttribute('aria-disabled', String(busy || Boolean(this.#waitUntil)));
    button.textContent = busy ? 'Signing in…' : 'Sign in';
  }

  async #submit(event) {
    event.preventDefault();
    if (this.#busy || this.#waitUntil) return;
    const form = event.currentTarget;
    const email = form.elements.email.value.trim();
    const password = form.elements.password.value;
    if (!email || !password) {
      this.#error = 'Enter your e-mail address and your password.';
      this.#renderMessages();
      (email ? form.elements.password : form.elements.email).focus();
      return;
    }
    this.#setBusy(true);
    try {
      const result = await signIn(email, password);
      if (result.__typename === 'LoginSuccess') {
        emit(this, 'signed-in', { me: result.me });
        return;
      }
      if (result.__typename === 'SignInThrottled') {
        this.#startWait(result.retryAfterSeconds);
        form.elements.password.focus();
        return;
      }
      this.#error = result.message;
      form.elements.password.value = '';
      form.elements.password.focus();
    } catch (error) {
      this.#error = error.message;
    }
    this.#setBusy(false);
    this.#renderMessages();
  }
}

export function registerSignInForm() {
  customElements.define('sign-in-form', SignInForm);
}
