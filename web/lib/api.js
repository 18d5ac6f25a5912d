/** Every operation the page uses, named for what it does. Results that are business outcomes
 * come back as union members with `__typename`; errors are thrown (see graphql.js). */

import { graphql } from './graphql.js';

const SEATS = 'licenseCount used available reducibleBy';
const RESOURCE = 'id name email kind role active loginAccess usesLicense startDate lastWorkDay';
const CHANGE = `id occurredAt fromCount toCount reason effectiveOn
  actor { name } resource { id name }`;
const ME = 'id name email role canManageLicenses organization { id name timeZone }';
const RESOURCE_PAGE = `edges { node { ${RESOURCE} } cursor }
  pageInfo { hasNextPage endCursor } totalCount`;

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

/** The licences page in one round trip: seats, both sections of people, recent changes. */
export async function fetchLicensesPage({ status, search }) {
  const data = await graphql(
    `query LicensesPage($status: ResourceStatus!, $search: String, $first: Int!, $recent: Int!) {
      seats { ${SEATS} }
      employees: resources(status: $status, kind: EMPLOYEE, search: $search, first: $first) {
        ${RESOURCE_PAGE}
      }
      consultants: resources(
        status: $status, kind: EXTERNAL_CONSULTANT, search: $search, first: $first
      ) { ${RESOURCE_PAGE} }
      history(first: $recent) { edges { node { ${CHANGE} } } }
    }`,
    { status, search: search || null, first: RESOURCE_PAGE_SIZE, recent: RECENT_CHANGES },
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

/** Every change in the range (the chart needs all of them), a bounded number of pages. */
export async function fetchHistory({ from, to, maxPages = 20 }) {
  let after = null;
  let changes = [];
  for (let page = 0; page < maxPages; page += 1) {
    const result = await fetchHistoryPage({ from, to, after });
    changes = changes.concat(result.changes);
    if (!result.pageInfo.hasNextPage) return { changes, complete: true };
    after = result.pageInfo.endCursor;
  }
  return { changes, complete: false };
}

export async function setLicenseCount(count) {
  const data = await graphql(
    `mutation SetLicenseCount($count: Int!) {
      setLicenseCount(count: $count) {
        __typename
        ... on SetLicenseCountSuccess { seats { ${SEATS} } change { ${CHANGE} } }
        ... on LicenseBelowUsage { used requested message }
      }
    }`,
    { count },
  );
  return data.setLicenseCount;
}

const INCREASE_REQUIRED = '... on LicenseIncreaseRequired { currentCount newCount message }';

export async function toggleAccess(resourceId, enabled, acceptLicenseIncrease = false) {
  const data = await graphql(
    `mutation ToggleAccess($id: ID!, $enabled: Boolean!, $accept: Boolean!) {
      toggleAccess(resourceId: $id, enabled: $enabled, acceptLicenseIncrease: $accept) {
        __typename
        ... on ToggleAccessSuccess {
          resource { ${RESOURCE} } seats { ${SEATS} } change { ${CHANGE} } message
        }
        ${INCREASE_REQUIRED}
      }
    }`,
    { id: resourceId, enabled, accept: acceptLicenseIncrease },
  );
  return data.toggleAccess;
}

export async function addResource(input, acceptLicenseIncrease = false) {
  const data = await graphql(
    `mutation AddResource($input: AddResourceInput!, $accept: Boolean!) {
      addResource(input: $input, acceptLicenseIncrease: $accept) {
        __typename
        ... on AddResourceSuccess { resource { ${RESOURCE} } seats { ${SEATS} } change { ${CHANGE} } }
        ${INCREASE_REQUIRED}
      }
    }`,
    { input, accept: acceptLicenseIncrease },
  );
  return data.addResource;
}

export async function terminate(resourceId, lastWorkDay) {
  const data = await graphql(
    `mutation Terminate($id: ID!, $lastWorkDay: Date!) {
      terminate(resourceId: $id, lastWorkDay: $lastWorkDay) {
        __typename
        ... on TerminateSuccess { resource { ${RESOURCE} } seats { ${SEATS} } change { ${CHANGE} } }
      }
    }`,
    { id: resourceId, lastWorkDay },
  );
  return data.terminate;
}

export async function reactivate(resourceId) {
  const data = await graphql(
    `mutation Reactivate($id: ID!) {
      reactivate(resourceId: $id) {
        __typename
        ... on ReactivateSuccess { resource { ${RESOURCE} } seats { ${SEATS} } }
      }
    }`,
    { id: resourceId },
  );
  return data.reactivate;
}
