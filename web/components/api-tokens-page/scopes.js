/** What each scope of an API token lets an integration do, in the words of the API. */
export const SCOPES = [
  {
    value: 'SEATS_READ',
    label: 'seats:read',
    detail: 'Read licenses, people and the history.',
  },
  {
    value: 'SEATS_WRITE',
    label: 'seats:write',
    detail: 'Change the license count, login access, people and terminations.',
  },
  {
    value: 'BILLING_READ',
    label: 'billing:read',
    detail: 'Read the plan, subscriptions and invoices.',
  },
  {
    value: 'SCIM',
    label: 'scim',
    detail: 'Provision people from an identity provider (Okta, Entra ID) over SCIM 2.0 at /scim/v2. Nothing else.',
  },
];

export const SCOPE_LABELS = Object.fromEntries(SCOPES.map((scope) => [scope.value, scope.label]));
