/** Starts the page: asks who is signed in, then shows the sign-in form or the app. */

import { fetchMe } from './lib/api.js';
import { SESSION_ENDED } from './lib/graphql.js';
import { html, render } from './lib/html.js';
import { registerApiTokenDialog } from './components/api-tokens-page/api-token-dialog.js';
import { registerApiTokensPage } from './components/api-tokens-page/api-tokens-page.js';
import { registerAppShell } from './components/app-shell/app-shell.js';
import { registerBulkBar } from './components/bulk-dialog/bulk-bar.js';
import { registerBulkDialog } from './components/bulk-dialog/bulk-dialog.js';
import { registerWebhookDialog } from './components/webhooks-page/webhook-dialog.js';
import { registerWebhooksPage } from './components/webhooks-page/webhooks-page.js';
import { registerConfirmDialog } from './components/confirm-dialog/confirm-dialog.js';
import { registerCoworkerDialog } from './components/coworker-dialog/coworker-dialog.js';
import { registerHistoryChart } from './components/history-chart/history-chart.js';
import { registerHistoryPage } from './components/history-page/history-page.js';
import { registerHistoryTable } from './components/history-table/history-table.js';
import { registerLicensesPage } from './components/licenses-page/licenses-page.js';
import { registerPersonPage } from './components/person-page/person-page.js';
import { registerPlanPage } from './components/plan-page/plan-page.js';
import { registerResourceList } from './components/resource-list/resource-list.js';
import { registerSeatSummary } from './components/seat-summary/seat-summary.js';
import { registerSettingsPage } from './components/settings-page/settings-page.js';
import { registerSignInForm } from './components/sign-in-form/sign-in-form.js';
import { registerTerminateDialog } from './components/terminate-dialog/terminate-dialog.js';
import { registerUnusedPage } from './components/unused-page/unused-page.js';

registerConfirmDialog();
registerCoworkerDialog();
registerTerminateDialog();
registerBulkDialog();
registerBulkBar();
registerSeatSummary();
registerResourceList();
registerHistoryTable();
registerHistoryChart();
registerLicensesPage();
registerHistoryPage();
registerPlanPage();
registerSettingsPage();
registerApiTokenDialog();
registerApiTokensPage();
registerWebhookDialog();
registerWebhooksPage();
registerPersonPage();
registerUnusedPage();
registerSignInForm();
registerAppShell();

const root = document.getElementById('app');

function showSignIn(notice = '') {
  document.title = 'Sign in · Seats';
  render(root, html`<sign-in-form></sign-in-form>`);
  root.setAttribute('aria-busy', 'false');
  const form = root.querySelector('sign-in-form');
  form.notice = notice;
}

function showApp(me) {
  render(root, html`<app-shell></app-shell>`);
  root.setAttribute('aria-busy', 'false');
  root.querySelector('app-shell').me = me;
}

function showStartError(error) {
  render(
    root,
    html`<div class="boot-screen">
      <div class="state-box state-error" role="alert">
        <h1>Seats could not start</h1>
        <p>${error.message}</p>
        <button type="button" class="button primary" data-action="retry">Try again</button>
      </div>
    </div>`,
  );
  root.setAttribute('aria-busy', 'false');
  root.querySelector('[data-action="retry"]').addEventListener('click', start);
}

async function start() {
  try {
    const me = await fetchMe();
    if (me) showApp(me);
    else showSignIn();
  } catch (error) {
    showStartError(error);
  }
}

root.addEventListener('signed-in', (event) => showApp(event.detail.me));
root.addEventListener('signed-out', () => showSignIn('You are signed out.'));
window.addEventListener(SESSION_ENDED, () => {
  if (root.querySelector('app-shell')) showSignIn('Your session has ended. Please sign in again.');
});

start();
