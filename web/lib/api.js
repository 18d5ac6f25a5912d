/** Every operation the page uses, named for what it does. Results that are business outcomes
 * come back as union members with `__typename`; errors are thrown (see graphql.js).
 *
 * Every mutation that changes licences or people takes `{ idempotencyKey }` (see
 * idempotency.js) and is repeated once or twice with that same key if the request may not have
 * reached the server. Those that change the licence count as the person saw it also take
 * `expectedLicenseCount`: if the count is another by now, the server changes nothing and
 * answers LICENSE_COUNT_CHANGED. */

import { graphql } from './graphql.js';
import { subscribe } from './live.js';

const SEATS = 'licenseCount used available reducibleBy';
const RESOURCE = `id name email kind role active loginAccess usesLicense startDate lastWorkDay
  scheduledTermination lastSignedInAt lastActiveAt`;
const CHANGE = `id occurredAt fromCount toCount reason effectiveOn
  actor { name } resource { id name }`;
const ME = `id name email role canManageLicenses canManageApiTokens
  organization { id name timeZone }`;
const RESOURCE_PAGE = `edges { node { ${RESOURCE} } cursor }
  pageInfo { hasNextPage endCursor } totalCount totalCountIsExact`;

export const RESOURCE_PAGE_SIZE = 50;
export const RECENT_CHANGES = 5;

export async function fetchMe() {
  const data = await graphql(`query Me { me { ${ME} } }`);
  return data.me;
}

export async function signIn(email, password) {
  const data = await graphql(
    `mutation SignIn($email: String!, $password: String!) {
      login(email: $email, password: $password) {
        __typename
        ... on LoginSuccess { me { ${ME} } }
        ... on InvalidCredentials { message }
        ... on SignInThrottled { message retryAfterSeconds }
      }
    }`,
    { email, password },
  );
  return data.login;
}

export async function signOut() {
  const data = await graphql('mutation SignOut { logout { __typename } }');
  return data.logout;
}

/**
 * The licences page in one round trip: seats, both sections of people, recent changes. A
 * refresh may ask for as many people of each kind as are shown already (`first`).
 */
export async function fetchLicensesPage({ status, search, first = {} }) {
  const rows = (n) => Math.min(500, Math.max(RESOURCE_PAGE_SIZE, n ?? 0));
  const data = await graphql(
    `query LicensesPage(
      $status: ResourceStatus!, $search: String, $employees: Int!, $consultants: Int!,
      $recent: Int!
    ) {
      seats { ${SEATS} }
      employees: resources(status: $status, kind: EMPLOYEE, search: $search, first: $employees) {
        ${RESOURCE_PAGE}
      }
      consultants: resources(
        status: $status, kind: EXTERNAL_CONSULTANT, search: $search, first: $consultants
      ) { ${RESOURCE_PAGE} }
      history(first: $recent) { edges { node { ${CHANGE} } } }
    }`,
    {
      status,
      search: search || null,
      employees: rows(first.employees),
      consultants: rows(first.consultants),
      recent: RECENT_CHANGES,
    },
  );
  return {
    seats: data.seats,
    employees: data.employees,
    consultants: data.consultants,
    recent: data.history.edges.map((edge) => edge.node),
  };
}

export async function fetchResources({ status, kind, search, after }) {
  const data = await graphql(
    `query Resources(
      $status: ResourceStatus!, $kind: ResourceKind, $search: String, $first: Int!, $after: String
    ) {
      resources(status: $status, kind: $kind, search: $search, first: $first, after: $after) {
        ${RESOURCE_PAGE}
      }
    }`,
    { status, kind, search: search || null, first: RESOURCE_PAGE_SIZE, after: after ?? null },
  );
  return data.resources;
}

export async function fetchSeatsAndRecentChanges() {
  const data = await graphql(
    `query SeatsAndRecent($recent: Int!) {
      seats { ${SEATS} }
      history(first: $recent) { edges { node { ${CHANGE} } } }
    }`,
    { recent: RECENT_CHANGES },
  );
  return { seats: data.seats, recent: data.history.edges.map((edge) => edge.node) };
}

/**
 * Follows the organisation's licences live (see live.js): `onSeats(seats)` at once, then after
 * every change by anyone. Returns the subscription, to `close()`.
 */
export function followSeats({ onSeats, onState, onEnd }) {
  return subscribe({
    query: `subscription SeatsChanged { seatsChanged { ${SEATS} } }`,
    onData: (data) => {
      if (data?.seatsChanged) onSeats(data.seatsChanged);
    },
    onState,
    onEnd,
  });
}

/**
 * Holds a live connection for the signed-in person, with no subscription: the server closes it
 * when their session or access ends, and `onEnded()` is called then. Returns it, to `close()`.
 */
export function holdSession({ onEnded }) {
  return subscribe({
    onEnd: ({ reason }) => {
      if (reason === 'refused') onEnded();
    },
  });
}

/** A page of the history, newest first. */
export async function fetchHistoryPage({ from, to, after, first = 500 }) {
  const data = await graphql(
    `query History($first: Int!, $after: String, $from: Date, $to: Date) {
      history(first: $first, after: $after, from: $from, to: $to) {
        edges { node { ${CHANGE} } }
        pageInfo { hasNextPage endCursor }
      }
    }`,
    { first, after: after ?? null, from: from || null, to: to || null },
  );
  return {
    changes: data.history.edges.map((edge) => edge.node),
    pageInfo: data.history.pageInfo,
  };
}

/** The most points `seatUsage` answers with: the latest ones when a range holds more. */
export const MAX_USAGE_POINTS = 2000;

/**
 * The history page's data for a range: every change (the table), a bounded number of pages,
 * and the usage series the chart draws (the license count and the licenses in use after every
 * change of either, oldest first). The series comes with the first page, in one round trip.
 */
export async function fetchHistory({ from, to, maxPages = 20 }) {
  const variables = { first: 500, from: from || null, to: to || null };
  const data = await graphql(
    `query HistoryPage($first: Int!, $from: Date, $to: Date) {
      history(first: $first, from: $from, to: $to) {
        edges { node { ${CHANGE} } }
        pageInfo { hasNextPage endCursor }
      }
      seatUsage(from: $from, to: $to) { occurredAt licenseCount used }
    }`,
    variables,
  );
  const usage = data.seatUsage;
  let changes = data.history.edges.map((edge) => edge.node);
  let { pageInfo } = data.history;
  for (let page = 1; page < maxPages && pageInfo.hasNextPage; page += 1) {
    const result = await fetchHistoryPage({ from, to, after: pageInfo.endCursor });
    changes = changes.concat(result.changes);
    pageInfo = result.pageInfo;
  }
  return { changes, complete: !pageInfo.hasNextPage, usage };
}

const KEYED = { retry: true };

export async function setLicenseCount(count, { idempotencyKey, expectedLicenseCount = null }) {
  const data = await graphql(
    `mutation SetLicenseCount($count: Int!, $key: String, $expected: Int) {
      setLicenseCount(count: $count, idempotencyKey: $key, expectedLicenseCount: $expected) {
        __typename
        ... on SetLicenseCountSuccess { seats { ${SEATS} } change { ${CHANGE} } }
        ... on LicenseBelowUsage { used requested message }
      }
    }`,
    { count, key: idempotencyKey, expected: expectedLicenseCount },
    KEYED,
  );
  return data.setLicenseCount;
}

/**
 * What setting the count to `count` would charge (or credit) and change on the next invoice,
 * priced by the server; LicenseBelowUsage when the save would be refused. Changes nothing.
 */
export async function previewLicenseCount(count) {
  const data = await graphql(
    `query LicenseCountPreview($count: Int!) {
      licenseCountPreview(count: $count) {
        __typename
        ... on LicenseCountPreview {
          currentCount newCount effectiveOn proratedAmount nextInvoiceChange currency
        }
        ... on LicenseBelowUsage { used requested message }
      }
    }`,
    { count },
  );
  return data.licenseCountPreview;
}

const INCREASE_REQUIRED = `... on LicenseIncreaseRequired {
  currentCount newCount message proratedCost addsToNextInvoice currency needsApproval
}`;

/**
 * Give or remove login access. The question (LicenseIncreaseRequired) spends no key, so the
 * confirmed request after it may carry the same key; `expectedLicenseCount` is then the count
 * the question was about.
 */
export async function toggleAccess(
  resourceId,
  enabled,
  { accept = false, idempotencyKey, expectedLicenseCount = null },
) {
  const data = await graphql(
    `mutation ToggleAccess(
      $id: ID!, $enabled: Boolean!, $accept: Boolean!, $key: String, $expected: Int
    ) {
      toggleAccess(
        resourceId: $id, enabled: $enabled, acceptLicenseIncrease: $accept,
        idempotencyKey: $key, expectedLicenseCount: $expected
      ) {
        __typename
        ... on ToggleAccessSuccess {
          resource { ${RESOURCE} } seats { ${SEATS} } change { ${CHANGE} } message
        }
        ${INCREASE_REQUIRED}
      }
    }`,
    { id: resourceId, enabled, accept, key: idempotencyKey, expected: expectedLicenseCount },
    KEYED,
  );
  return data.toggleAccess;
}

export async function addResource(
  input,
  { accept = false, idempotencyKey, expectedLicenseCount = null },
) {
  const data = await graphql(
    `mutation AddResource(
      $input: AddResourceInput!, $accept: Boolean!, $key: String, $expected: Int
    ) {
      addResource(
        input: $input, acceptLicenseIncrease: $accept, idempotencyKey: $key,
        expectedLicenseCount: $expected
      ) {
        __typename
        ... on AddResourceSuccess { resource { ${RESOURCE} } seats { ${SEATS} } change { ${CHANGE} } }
        ${INCREASE_REQUIRED}
      }
    }`,
    { input, accept, key: idempotencyKey, expected: expectedLicenseCount },
    KEYED,
  );
  return data.addResource;
}

/** TerminateSuccess (today or earlier: now), or TerminationScheduled (a later day). */
export async function terminate(resourceId, lastWorkDay, { idempotencyKey }) {
  const data = await graphql(
    `mutation Terminate($id: ID!, $lastWorkDay: Date!, $key: String) {
      terminate(resourceId: $id, lastWorkDay: $lastWorkDay, idempotencyKey: $key) {
        __typename
        ... on TerminateSuccess { resource { ${RESOURCE} } seats { ${SEATS} } change { ${CHANGE} } }
        ... on TerminationScheduled { resource { ${RESOURCE} } seats { ${SEATS} } }
      }
    }`,
    { id: resourceId, lastWorkDay, key: idempotencyKey },
    KEYED,
  );
  return data.terminate;
}

export async function cancelTermination(resourceId, { idempotencyKey }) {
  const data = await graphql(
    `mutation CancelTermination($id: ID!, $key: String) {
      cancelTermination(resourceId: $id, idempotencyKey: $key) {
        __typename
        ... on CancelTerminationSuccess { resource { ${RESOURCE} } seats { ${SEATS} } }
      }
    }`,
    { id: resourceId, key: idempotencyKey },
    KEYED,
  );
  return data.cancelTermination;
}

export async function reactivate(resourceId, { idempotencyKey }) {
  const data = await graphql(
    `mutation Reactivate($id: ID!, $key: String) {
      reactivate(resourceId: $id, idempotencyKey: $key) {
        __typename
        ... on ReactivateSuccess { resource { ${RESOURCE} } seats { ${SEATS} } }
      }
    }`,
    { id: resourceId, key: idempotencyKey },
    KEYED,
  );
  return data.reactivate;
}

/**
 * One person's page in one round trip: the person, the licences (for the terminate dialog)
 * and the changes that concern them, newest first.
 */
export async function fetchPerson(resourceId) {
  const data = await graphql(
    `query Person($id: ID!) {
      resource(id: $id) { ${RESOURCE} }
      seats { ${SEATS} }
      history(resourceId: $id, first: 500) { edges { node { ${CHANGE} } } }
    }`,
    { id: resourceId },
  );
  return {
    resource: data.resource,
    seats: data.seats,
    changes: data.history.edges.map((edge) => edge.node),
  };
}

/** UpdateResourceSuccess, or UpdateResourceRefused (`field`, `code`, `message`). */
export async function updateResource(resourceId, { name, email }) {
  const data = await graphql(
    `mutation UpdateResource($id: ID!, $input: UpdateResourceInput!) {
      updateResource(resourceId: $id, input: $input) {
        __typename
        ... on UpdateResourceSuccess { resource { ${RESOURCE} } message }
        ... on UpdateResourceRefused { code field message }
      }
    }`,
    { id: resourceId, input: { name, email } },
  );
  return data.updateResource;
}

/** SetRoleSuccess; refusals (LAST_ADMIN, FORBIDDEN) are thrown with the server's message. */
export async function setRole(resourceId, role, { idempotencyKey }) {
  const data = await graphql(
    `mutation SetRole($id: ID!, $role: Role!, $key: String) {
      setRole(resourceId: $id, role: $role, idempotencyKey: $key) {
        __typename
        ... on SetRoleSuccess { resource { ${RESOURCE} } message }
      }
    }`,
    { id: resourceId, role, key: idempotencyKey },
    KEYED,
  );
  return data.setRole;
}

const INVOICE_LINE = 'kind description quantity amount change { id } resource { id name }';
const INVOICE = `id number issuedAt periodStart periodEnd currency total
  lines { ${INVOICE_LINE} }`;
const INVOICE_PAGE = `edges { node { ${INVOICE} } } pageInfo { hasNextPage endCursor }`;

export const INVOICE_PAGE_SIZE = 12;
/** How many of the latest history rows are read to say who made each adjustment. */
const ACTORS_LOOKUP = 200;

/** The plan page in one round trip (administrators only: others get FORBIDDEN). */
export async function fetchPlanPage() {
  const data = await graphql(
    `query PlanPage($invoices: Int!, $changes: Int!) {
      plan { name pricePerLicense currency billingPeriod }
      subscriptions { id name kind status startsOn endsOn unitPrice quantity }
      nextInvoice { periodStart periodEnd currency total lines { ${INVOICE_LINE} } }
      invoices(first: $invoices) { ${INVOICE_PAGE} }
      history(first: $changes) { edges { node { id reason actor { name } } } }
    }`,
    { invoices: INVOICE_PAGE_SIZE, changes: ACTORS_LOOKUP },
  );
  return {
    plan: data.plan,
    subscriptions: data.subscriptions,
    nextInvoice: data.nextInvoice,
    invoices: data.invoices,
    changes: data.history.edges.map((edge) => edge.node),
  };
}

export async function fetchInvoices({ after }) {
  const data = await graphql(
    `query Invoices($first: Int!, $after: String) {
      invoices(first: $first, after: $after) { ${INVOICE_PAGE} }
    }`,
    { first: INVOICE_PAGE_SIZE, after },
  );
  return data.invoices;
}

/**
 * The settings overview in one round trip: the licenses, and for those who may read billing
 * (`billing`), the plan and its active subscriptions.
 */
export async function fetchSettings({ billing }) {
  const data = await graphql(
    `query Settings($billing: Boolean!) {
      seats { ${SEATS} }
      plan @include(if: $billing) { name pricePerLicense currency billingPeriod }
      subscriptions @include(if: $billing) {
        id name kind status startsOn endsOn unitPrice quantity
      }
    }`,
    { billing },
  );
  return { seats: data.seats, plan: data.plan ?? null, subscriptions: data.subscriptions ?? [] };
}

const API_TOKEN = 'id name prefix scopes createdAt lastUsedAt revokedAt';

/** The organisation's API tokens, newest first (signed-in administrators only). */
export async function fetchApiTokens() {
  const data = await graphql(`query ApiTokens { apiTokens { ${API_TOKEN} } }`);
  return data.apiTokens;
}

/** CreateApiTokenSuccess: `token` is the secret, answered this once and never again. */
export async function createApiToken(name, scopes) {
  const data = await graphql(
    `mutation CreateApiToken($name: String!, $scopes: [Scope!]!) {
      createApiToken(name: $name, scopes: $scopes) {
        __typename
        ... on CreateApiTokenSuccess { token apiToken { ${API_TOKEN} } }
      }
    }`,
    { name, scopes },
  );
  return data.createApiToken;
}

/** Revoking is idempotent by nature: a repeat finds the token revoked and answers the same. */
export async function revokeApiToken(id) {
  const data = await graphql(
    `mutation RevokeApiToken($id: ID!) {
      revokeApiToken(id: $id) { __typename ... on RevokeApiTokenSuccess { apiToken { ${API_TOKEN} } } }
    }`,
    { id },
    KEYED,
  );
  return data.revokeApiToken;
}

/** How identity providers provision people over SCIM (R17): what a deactivation does. */
/** What deactivations do, and the last provisioning events (the history rows of SCIM). */
export async function fetchProvisioning() {
  const data = await graphql(
    `query Provisioning { provisioning { deactivation recentChanges { ${CHANGE} } } }`,
  );
  return data.provisioning;
}

/** TERMINATE (the default) or REMOVE_ACCESS; setting the same choice again changes nothing. */
export async function setProvisioningDeactivation(deactivation) {
  const data = await graphql(
    `mutation SetProvisioningDeactivation($deactivation: Deactivation!) {
      setProvisioningDeactivation(deactivation: $deactivation) {
        __typename ... on SetProvisioningDeactivationSuccess { provisioning { deactivation } }
      }
    }`,
    { deactivation },
  );
  return data.setProvisioningDeactivation.provisioning;
}

// The license policy and license requests (R16) ---------------------------------------------

const POLICY = 'mode maxLicenseCount maxMonthlyAmount monthlyAmount currency changedAt';
const LICENSE_REQUEST = `id status createdAt name email requestedBy decidedAt decidedBy
  resource { id }`;

export async function fetchLicensePolicy() {
  const data = await graphql(`query LicensePolicy { licensePolicy { ${POLICY} } }`);
  return data.licensePolicy;
}

/** NEVER or UP_TO_CAP, and the caps (null: none; the amount in minor units). */
export async function setLicensePolicy({ mode, maxLicenseCount, maxMonthlyAmount }) {
  const data = await graphql(
    `mutation SetLicensePolicy($mode: LicensePolicyMode!, $count: Int, $amount: Int) {
      setLicensePolicy(mode: $mode, maxLicenseCount: $count, maxMonthlyAmount: $amount) {
        __typename ... on SetLicensePolicySuccess { policy { ${POLICY} } }
      }
    }`,
    { mode, count: maxLicenseCount, amount: maxMonthlyAmount },
  );
  return data.setLicensePolicy.policy;
}

/** The pending license requests, and what approving one adds now (administrators). */
export async function fetchLicenseRequests() {
  const data = await graphql(
    `query LicenseRequests {
      licenseRequests { ${LICENSE_REQUEST} }
      licenseApprovalCost { addsLicenses monthlyAmount proratedCost addsToNextInvoice currency }
    }`,
  );
  return { requests: data.licenseRequests, cost: data.licenseApprovalCost };
}

export async function approveLicenseRequest(id, { idempotencyKey }) {
  const data = await graphql(
    `mutation ApproveLicenseRequest($id: ID!, $key: String) {
      approveLicenseRequest(id: $id, idempotencyKey: $key) {
        __typename
        ... on ApproveLicenseRequestSuccess {
          message request { ${LICENSE_REQUEST} } seats { ${SEATS} } change { ${CHANGE} }
        }
      }
    }`,
    { id, key: idempotencyKey },
    KEYED,
  );
  return data.approveLicenseRequest;
}

export async function declineLicenseRequest(id, { idempotencyKey }) {
  const data = await graphql(
    `mutation DeclineLicenseRequest($id: ID!, $key: String) {
      declineLicenseRequest(id: $id, idempotencyKey: $key) {
        __typename ... on DeclineLicenseRequestSuccess { message request { ${LICENSE_REQUEST} } }
      }
    }`,
    { id, key: idempotencyKey },
    KEYED,
  );
  return data.declineLicenseRequest;
}

const WEBHOOK_ENDPOINT = `id url description events enabled createdAt failingSince disabledAt
  disabledReason previousSecretExpiresAt`;
const WEBHOOK_DELIVERY = `id webhookId eventType occurredAt status nextAttemptAt deliveredAt
  attempts { attemptedAt statusCode durationMs responseExcerpt error }`;

/** The organisation's webhook endpoints, newest first (signed-in administrators only). */
export async function fetchWebhookEndpoints() {
  const data = await graphql(`query WebhookEndpoints { webhookEndpoints { ${WEBHOOK_ENDPOINT} } }`);
  return data.webhookEndpoints;
}

/** CreateWebhookEndpointSuccess: `secret` is answered this once and never again. */
export async function createWebhookEndpoint(input) {
  const data = await graphql(
    `mutation CreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {
      createWebhookEndpoint(input: $input) {
        __typename
        ... on CreateWebhookEndpointSuccess { secret endpoint { ${WEBHOOK_ENDPOINT} } }
      }
    }`,
    { input },
  );
  return data.createWebhookEndpoint;
}

/** Enabling or disabling is idempotent by nature: a repeat answers the same endpoint. */
export async function updateWebhookEndpoint(id, input) {
  const data = await graphql(
    `mutation UpdateWebhookEndpoint($id: ID!, $input: UpdateWebhookEndpointInput!) {
      updateWebhookEndpoint(id: $id, input: $input) {
        __typename ... on UpdateWebhookEndpointSuccess { endpoint { ${WEBHOOK_ENDPOINT} } }
      }
    }`,
    { id, input },
    KEYED,
  );
  return data.updateWebhookEndpoint.endpoint;
}

/** RotateWebhookSecretSuccess: the new `secret`, answered this once. */
export async function rotateWebhookSecret(id, overlapHours) {
  const data = await graphql(
    `mutation RotateWebhookSecret($id: ID!, $overlapHours: Int!) {
      rotateWebhookSecret(id: $id, overlapHours: $overlapHours) {
        __typename ... on RotateWebhookSecretSuccess { secret endpoint { ${WEBHOOK_ENDPOINT} } }
      }
    }`,
    { id, overlapHours },
  );
  return data.rotateWebhookSecret;
}

export async function deleteWebhookEndpoint(id) {
  await graphql(
    `mutation DeleteWebhookEndpoint($id: ID!) {
      deleteWebhookEndpoint(id: $id) { __typename }
    }`,
    { id },
  );
}

/** An endpoint's newest deliveries, each with its attempts, newest first. */
export async function fetchWebhookDeliveries(endpointId) {
  const data = await graphql(
    `query WebhookDeliveries($endpointId: ID!) {
      webhookDeliveries(endpointId: $endpointId, first: 50) { ${WEBHOOK_DELIVERY} }
    }`,
    { endpointId },
  );
  return data.webhookDeliveries;
}

/** Resending is idempotent by nature: the delivery is due again, with the same webhook-id. */
export async function resendWebhookDelivery(id) {
  const data = await graphql(
    `mutation ResendWebhookDelivery($id: ID!) {
      resendWebhookDelivery(id: $id) {
        __typename ... on ResendWebhookDeliverySuccess { delivery { ${WEBHOOK_DELIVERY} } }
      }
    }`,
    { id },
    KEYED,
  );
  return data.resendWebhookDelivery.delivery;
}

/** The unused licenses (R19): holders not active for the organisation's number of days, with
 * what each costs a month, never active first, then the longest idle. */
export async function fetchUnusedLicenses({ after = null, first = 100 } = {}) {
  const data = await graphql(
    `query UnusedLicenses($first: Int!, $after: String) {
      unusedLicenses(first: $first, after: $after) {
        edges { cursor node { monthlyCost currency resource { ${RESOURCE} } } }
        pageInfo { hasNextPage endCursor }
        totalCount totalMonthlyCost monthlyCost currency unusedAfterDays inactiveSince
      }
    }`,
    { first, after },
  );
  return data.unusedLicenses;
}

/** After how many days without activity a license counts as unused (1 to 365). */
export async function setUnusedAfterDays(days) {
  const data = await graphql(
    `mutation SetUnusedAfterDays($days: Int!) {
      setUnusedAfterDays(days: $days) {
        __typename ... on SetUnusedAfterDaysSuccess { unusedAfterDays }
      }
    }`,
    { days },
  );
  return data.setUnusedAfterDays.unusedAfterDays;
}

// Bulk changes (R19) ------------------------------------------------------------------------

/** The most people one bulk change takes: the server refuses more (BAD_USER_INPUT). */
export const BULK_LIMIT = 1000;
/** The largest page the lists answer: "select all matching" reads the people that many at a time. */
const MATCHING_PAGE = 500;

const BULK_PERSON = 'resource { id name } changed code message';

/**
 * Reads pages with `readPage(after)` (each `{ people, hasNextPage, endCursor }`) until there
 * are none left or `limit` people are read. `more` says that more match than were read.
 */
async function collectPeople(readPage, limit) {
  let people = [];
  let after = null;
  let hasNextPage = true;
  while (hasNextPage && people.length < limit) {
    const page = await readPage(after);
    people = people.concat(page.people);
    ({ hasNextPage } = page);
    after = page.endCursor;
  }
  return { people: people.slice(0, limit), more: hasNextPage || people.length > limit };
}

/**
 * Everyone a list of the licences page holds with its filters, as `{ id, name }`, at most
 * `limit` ("select all matching"). `more`: more people match than `limit`.
 */
export async function fetchMatchingPeople({ status, kind, search, limit = BULK_LIMIT }) {
  return collectPeople(async (after) => {
    const data = await graphql(
      `query MatchingPeople(
        $status: ResourceStatus!, $kind: ResourceKind, $search: String, $first: Int!,
        $after: String
      ) {
        resources(status: $status, kind: $kind, search: $search, first: $first, after: $after) {
          edges { node { id name } }
          pageInfo { hasNextPage endCursor }
        }
      }`,
      { status, kind, search: search || null, first: MATCHING_PAGE, after },
    );
    const { edges, pageInfo } = data.resources;
    return { people: edges.map((edge) => edge.node), ...pageInfo };
  }, limit);
}

/** Everyone holding an unused license (R19), as `{ id, name }`, at most `limit`. */
export async function fetchUnusedPeople({ limit = BULK_LIMIT } = {}) {
  return collectPeople(async (after) => {
    const data = await graphql(
      `query UnusedPeople($first: Int!, $after: String) {
        unusedLicenses(first: $first, after: $after) {
          edges { node { resource { id name } } }
          pageInfo { hasNextPage endCursor }
        }
      }`,
      { first: MATCHING_PAGE, after },
    );
    const { edges, pageInfo } = data.unusedLicenses;
    return { people: edges.map((edge) => edge.node.resource), ...pageInfo };
  }, limit);
}

/**
 * What a bulk change (`action`: GIVE_ACCESS, REMOVE_ACCESS or TERMINATE) would do, person by
 * person, with its effect on the license count and the next invoice. Changes nothing.
 */
export async function previewBulkChange({
  action,
  resourceIds,
  lastWorkDay = null,
  reduceLicenseCount = false,
}) {
  const data = await graphql(
    `query BulkChangePreview(
      $action: BulkAction!, $ids: [ID!]!, $lastWorkDay: Date, $reduce: Boolean!
    ) {
      bulkChangePreview(
        action: $action, resourceIds: $ids, lastWorkDay: $lastWorkDay,
        reduceLicenseCount: $reduce
      ) {
        people { ${BULK_PERSON} }
        changedCount currentCount newCount usedBefore usedAfter licensesFreed
        nextInvoiceChange currency needsIncrease needsApproval message
      }
    }`,
    { action, ids: resourceIds, lastWorkDay, reduce: reduceLicenseCount },
  );
  return data.bulkChangePreview;
}

const BULK_SUCCESS = `... on BulkChangeSuccess {
  people { ${BULK_PERSON} } changedCount seats { ${SEATS} } changes { ${CHANGE} } message
}`;

/**
 * Gives or removes the login access of many people at once (one key for the batch). Giving
 * access that needs more licenses answers LicenseIncreaseRequired unless `accept`;
 * `reduceLicenseCount` lowers the count by the licenses removing access frees.
 */
export async function bulkSetAccess(
  resourceIds,
  enabled,
  {
    accept = false,
    reduceLicenseCount = false,
    idempotencyKey,
    expectedLicenseCount = null,
  },
) {
  const data = await graphql(
    `mutation BulkSetAccess(
      $ids: [ID!]!, $enabled: Boolean!, $accept: Boolean!, $reduce: Boolean!, $key: String,
      $expected: Int
    ) {
      bulkSetAccess(
        resourceIds: $ids, enabled: $enabled, acceptLicenseIncrease: $accept,
        reduceLicenseCount: $reduce, idempotencyKey: $key, expectedLicenseCount: $expected
      ) {
        __typename
        ${BULK_SUCCESS}
        ${INCREASE_REQUIRED}
      }
    }`,
    {
      ids: resourceIds,
      enabled,
      accept,
      reduce: reduceLicenseCount,
      key: idempotencyKey,
      expected: expectedLicenseCount,
    },
    KEYED,
  );
  return data.bulkSetAccess;
}

/** Terminates many people with one last work day: now (today or earlier), or scheduled. */
export async function bulkTerminate(
  resourceIds,
  lastWorkDay,
  { idempotencyKey, expectedLicenseCount = null },
) {
  const data = await graphql(
    `mutation BulkTerminate($ids: [ID!]!, $lastWorkDay: Date!, $key: String, $expected: Int) {
      bulkTerminate(
        resourceIds: $ids, lastWorkDay: $lastWorkDay, idempotencyKey: $key,
        expectedLicenseCount: $expected
      ) {
        __typename
        ${BULK_SUCCESS}
      }
    }`,
    { ids: resourceIds, lastWorkDay, key: idempotencyKey, expected: expectedLicenseCount },
    KEYED,
  );
  return data.bulkTerminate;
}
