/**
 * The changes made from the licences page, one function each. A function calls the API, asks
 * what must be asked through the dialogs it is handed (the page owns them), and resolves to
 * what happened, for the page to show:
 *
 *   { resource, seats, message, tone, stale }
 *
 * `resource` is the person as they are now (absent when nothing changed), `seats` the numbers
 * the server answered with, `message` and `tone` ('success' | 'info' | 'error') the notice to
 * show, and `stale` true when the numbers and recent changes should be read again. Errors of
 * the request (network, LICENSE_COUNT_CHANGED …) are thrown; a dialog cancelled resolves to
 * null.
 *
 * Changing the licence count itself is the panel's (`seat-summary`), which says so with
 * `seats-changed`; `licenseCountChanged` words what the page then says.
 */

import { cancelTermination, reactivate, toggleAccess } from '../../lib/api.js';
import { formatDate, formatMoney, formatNumber } from '../../lib/format.js';
import { html } from '../../lib/html.js';
import { newIdempotencyKey } from '../../lib/idempotency.js';

/**
 * The question asked before a license is added; also used by the add co-worker dialog. The
 * amounts come from the server's LicenseIncreaseRequired, in minor units of its currency.
 */
export function licenseIncreaseQuestion(outcome, name) {
  const money = (amount) => formatMoney(amount, outcome.currency);
  const from = formatNumber(outcome.currentCount);
  const to = formatNumber(outcome.newCount);
  const cost =
    outcome.proratedCost !== 0
      ? html`This adds <strong class="invoice-impact-total">${money(outcome.addsToNextInvoice)}</strong>
          to the next invoice (${money(outcome.proratedCost)} for the rest of this month, plus one
          more license in the next month's base).`
      : html`This adds <strong class="invoice-impact-total">${money(outcome.addsToNextInvoice)}</strong>
          to the next invoice: one more license in the next month's base.`;
  if (outcome.needsApproval) {
    // R16: the license policy lets this person only ask; an administrator decides.
    return {
      title: 'Ask for a license?',
      confirmLabel: 'Ask an administrator',
      body: html`<p>All ${from} licenses are in use, so giving <strong>${name}</strong> login
          access needs one more, and the license policy needs an administrator to approve it.</p>
        <p class="invoice-impact" data-slot="invoice-impact">If approved, the license count rises
          from ${from} to ${to}: ${money(outcome.addsToNextInvoice)} on the next invoice. Nothing
          changes until then.</p>`,
    };
  }
  return {
    title: 'Add a license?',
    confirmLabel: 'Add license and give access',
    body: html`<p>All ${from} licenses are in use, so giving <strong>${name}</strong> login access
        needs one more.</p>
      <div class="count-change" aria-hidden="true">
        <div class="count-change-figure"><strong>${from}</strong><span>now</span></div>
        <span class="count-change-arrow">→</span>
        <div class="count-change-figure"><strong>${to}</strong><span>after</span></div>
      </div>
      <p class="invoice-impact" data-slot="invoice-impact">The license count rises from ${from}
        to ${to}. ${cost}</p>`,
  };
}

/**
 * Gives or takes `resource`'s login access. When all licences are in use the server asks
 * first (LicenseIncreaseRequired): `confirm` (a confirm-dialog) puts the question, and only a
 * yes sends the change again, accepting the increase from the count that was asked about.
 */
export async function toggleAccessFlow({ resource, enabled, confirm }) {
  // One change meant, one key: the confirmed request after the question carries it too.
  const idempotencyKey = newIdempotencyKey();
  let result = await toggleAccess(resource.id, enabled, { idempotencyKey });
  if (result.__typename === 'LicenseIncreaseRequired') {
    const accepted = await confirm.ask(licenseIncreaseQuestion(result, resource.name));
    if (!accepted) {
      return {
        message: `Nothing changed: ${resource.name} still has no login access.`,
        tone: 'info',
      };
    }
    result = await toggleAccess(resource.id, enabled, {
      accept: true,
      idempotencyKey,
      expectedLicenseCount: result.currentCount,
    });
  }
  if (result.__typename !== 'ToggleAccessSuccess') {
    return { message: result.message ?? 'The change could not be saved.', tone: 'error' };
  }
  return {
    resource: result.resource,
    seats: result.seats,
    message: result.message,
    tone: 'success',
    stale: true,
  };
}

/** Makes an inactive person active again, without login access. */
export async function reactivateFlow({ resource }) {
  const result = await reactivate(resource.id, { idempotencyKey: newIdempotencyKey() });
  return {
    resource: result.resource,
    seats: result.seats,
    message: `${resource.name} is active again, without login access.`,
    tone: 'success',
  };
}

/** Cancels the scheduled termination of `resource`. */
export async function cancelTerminationFlow({ resource }) {
  const result = await cancelTermination(resource.id, { idempotencyKey: newIdempotencyKey() });
  return {
    resource: result.resource,
    seats: result.seats,
    message: `${resource.name} stays on: the termination after ${formatDate(resource.scheduledTermination)} is cancelled.`,
    tone: 'success',
  };
}

/**
 * Terminates `resource` now or schedules it, as chosen in `dialog` (a terminate-dialog, which
 * saves it). Resolves to null when cancelled; `scheduled` tells the two apart.
 */
export async function terminateFlow({ resource, seats, timeZone, dialog }) {
  const result = await dialog.open({ resource, seats, timeZone });
  if (!result) return null;
  if (result.__typename === 'TerminationScheduled') {
    return {
      scheduled: true,
      resource: result.resource,
      seats: result.seats,
      message: `The termination of ${result.resource.name} is scheduled: they can work and sign in until the end of ${formatDate(result.resource.scheduledTermination)}.`,
      tone: 'success',
    };
  }
  const change = result.change;
  return {
    scheduled: false,
    resource: result.resource,
    seats: result.seats,
    message: change
      ? `${result.resource.name} is terminated. The license count went from ${formatNumber(change.fromCount)} to ${formatNumber(change.toCount)}.`
      : `${result.resource.name} is terminated.`,
    tone: 'success',
    stale: true,
  };
}

/**
 * Adds a co-worker through `dialog` (a coworker-dialog, which saves it); an increase of the
 * licence count it needs is asked through `confirm`. Resolves to null when cancelled.
 */
export async function addCoworkerFlow({ timeZone, dialog, confirm }) {
  const result = await dialog.open({
    timeZone,
    confirmIncrease: (outcome, name) => confirm.ask(licenseIncreaseQuestion(outcome, name)),
  });
  if (!result) return null;
  return {
    resource: result.resource,
    message: `${result.resource.name} is added.`,
    tone: 'success',
    stale: true,
  };
}

/**
 * A bulk change (R19: `action` GIVE_ACCESS, REMOVE_ACCESS or TERMINATE) of the people of
 * `selection`, previewed, confirmed and saved in `dialog` (a bulk-dialog). Resolves to null
 * when cancelled; else to the server's message and numbers, `stale` as the lists and recent
 * changes are to be read again. This is also the unused licenses page's flow.
 */
export async function bulkChangeFlow({ action, selection, timeZone, dialog }) {
  const result = await dialog.open({ action, resourceIds: selection.ids, timeZone });
  if (!result) return null;
  return {
    seats: result.seats,
    changedCount: result.changedCount,
    message: result.message,
    tone: 'success',
    stale: true,
  };
}

/** What the page says after the panel saved a licence count (`seats-changed`). */
export function licenseCountChanged({ seats, change }) {
  return {
    seats,
    message: change
      ? `The license count is now ${formatNumber(seats.licenseCount)}.`
      : 'The license count is unchanged.',
    tone: 'success',
    stale: Boolean(change),
  };
}
