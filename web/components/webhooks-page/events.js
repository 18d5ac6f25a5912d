/** The events an endpoint can be told of, as the schema's WebhookEventType names them. */
export const EVENTS = [
  { value: 'LICENSE_COUNT_CHANGED', label: 'license.count_changed', detail: 'The license count changed.' },
  { value: 'RESOURCE_ACCESS_CHANGED', label: 'resource.access_changed', detail: 'Someone was given or lost login access.' },
  { value: 'RESOURCE_TERMINATED', label: 'resource.terminated', detail: 'A termination took effect.' },
  { value: 'TERMINATION_SCHEDULED', label: 'termination.scheduled', detail: 'A termination was scheduled.' },
  { value: 'TERMINATION_CANCELLED', label: 'termination.cancelled', detail: 'A scheduled termination was cancelled.' },
  { value: 'INVOICE_ISSUED', label: 'invoice.issued', detail: 'An invoice was issued.' },
];

export const EVENT_LABELS = Object.fromEntries(EVENTS.map((e) => [e.value, e.label]));
