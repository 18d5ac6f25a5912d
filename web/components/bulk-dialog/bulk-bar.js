/**
 * The bar shown while people are selected for a bulk change (R19): how many, the changes that
 * can be made to them all, and Clear. Data comes in through `selection` (lib/selection.js);
 * intentions go out as events: `bulk-request` { action } (GIVE_ACCESS, REMOVE_ACCESS,
 * TERMINATE) and `selection-clear` {}. Hidden while no one is selected.
 */

import { BULK_LIMIT } from '../../lib/api.js';
import { formatNumber } from '../../lib/format.js';
import { emit, html, render } from '../../lib/html.js';
import { Selection } from '../../lib/selection.js';

/** The changes, with the words of their buttons. */
export const BULK_ACTIONS = {
  GIVE_ACCESS: 'Give access',
  REMOVE_ACCESS: 'Remove access',
  TERMINATE: 'Terminate',
};

export class BulkBar extends HTMLElement {
  #selection = new Selection();

  set selection(selection) {
    this.#selection = selection;
    if (this.isConnected) this.#update();
  }

  get selection() {
    return this.#selection;
  }

  connectedCallback() {
    if (!this.querySelector('.bulk-bar')) this.#renderFrame();
    this.#update();
  }

  /** The frame stays while the bar is shown, so that its count is read out as it changes. */
  #renderFrame() {
    const buttons = Object.entries(BULK_ACTIONS).map(
      ([action, label]) => html`<button type="button"
        class="button small ${action === 'TERMINATE' ? 'danger-outline' : ''}"
        data-action="${action}" id="bulk-${action.toLowerCase()}">${label}</button>`,
    );
    render(
      this,
      html`<section class="bulk-bar" aria-label="Selected people">
        <p class="bulk-bar-status" aria-live="polite">
          <strong class="bulk-bar-count" data-testid="bulk-selected"></strong>
          <span class="bulk-bar-note" data-slot="note"></span>
        </p>
        <div class="bulk-bar-actions">
          ${buttons}
          <button type="button" class="link-button" data-action="clear" id="bulk-clear">Clear</button>
        </div>
      </section>`,
    );
    this.addEventListener('click', (event) => {
      const button = event.target.closest('button[data-action]');
      if (!button) return;
      const { action } = button.dataset;
      if (action === 'clear') emit(this, 'selection-clear');
      else emit(this, 'bulk-request', { action });
    });
  }

  #update() {
    const { size, capped } = this.#selection;
    this.hidden = size === 0;
    this.querySelector('.bulk-bar-count').textContent = `${formatNumber(size)} selected`;
    this.querySelector('[data-slot="note"]').textContent = capped
      ? `More match: a bulk change takes at most ${formatNumber(BULK_LIMIT)} people, so only the first ${formatNumber(BULK_LIMIT)} are selected.`
      : '';
  }
}

export function registerBulkBar() {
  customElements.define('bulk-bar', BulkBar);
}
