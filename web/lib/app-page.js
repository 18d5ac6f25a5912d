/**
 * What every page of the signed-in app has in common (licenses, history, plan): the person
 * signed in, handed down by the shell as `me` before the page is connected, their
 * organisation's time zone, and the heading the shell moves focus to when the route changes.
 */

import { html } from './html.js';

export class AppPage extends HTMLElement {
  #me = null;

  /** The person signed in (`fetchMe`'s answer). */
  set me(me) {
    this.#me = me;
  }

  get me() {
    return this.#me;
  }

  /** The organisation's time zone: the page's days and times are in it. */
  get timeZone() {
    return this.#me?.organization.timeZone ?? 'UTC';
  }
}

/**
 * The head of a page: its title (focusable, for the shell to move focus to), a line on what
 * the page is for (`lede`, markup or text), and `actions` at its side, if any.
 */
export function pageHead({ title, lede, actions = '' }) {
  return html`<div class="page-head">
    <div>
      <h1 tabindex="-1">${title}</h1>
      <p class="lede">${lede}</p>
    </div>
    ${actions}
  </div>`;
}
