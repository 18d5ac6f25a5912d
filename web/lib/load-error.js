/**
 * The message a page shows where its data could not be read: what failed and why, with a
 * "Try again" button that calls `retry` (none without one). Every page says it the same way.
 */

import { html, render } from './html.js';

/**
 * Shows `error` in `slot`, after the words `failed` ("The plan could not be loaded. "); no
 * `error` empties the slot.
 */
export function showLoadError(slot, error, { failed = '', retry = null } = {}) {
  if (!error) {
    render(slot, '');
    return;
  }
  render(
    slot,
    html`<div class="message error load-error" role="alert">
      <span>${failed}${error.message}</span>
      ${retry && html`<button type="button" class="button small" data-action="retry">Try again</button>`}
    </div>`,
  );
  if (retry) slot.querySelector('[data-action="retry"]').addEventListener('click', () => retry());
}
