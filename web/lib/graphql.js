/** The GraphQL client: one JSON POST per operation, with the session cookie. */

export class GraphQLRequestError extends Error {
  constructor(message, code = 'ERROR', field = null, extensions = {}) {
    super(message);
    this.name = 'GraphQLRequestError';
    this.code = code;
    this.field = field;
    this.extensions = extensions;
  }
}

/** Fired on window when the server says the session is gone, so the app can ask to sign in. */
export const SESSION_ENDED = 'session-ended';

/** Waits before each repeat of a request that carries an idempotency key. */
const RETRY_DELAYS_MS = [300, 1000];
/** Gateway answers that mean "the request may not have arrived": safe to repeat with a key. */
const RETRYABLE_STATUS = new Set([502, 503, 504]);

/**
 * Messages of our own for codes whose server text is written for integrations. The page made
 * the request on someone's behalf, so it says what happened and what to do next.
 */
const READABLE = {
  IDEMPOTENCY_KEY_REUSED: () =>
    'Nothing was saved: this change was sent earlier with other details. Please try again.',
  LICENSE_COUNT_CHANGED: (extensions) =>
    Number.isInteger(extensions.currentCount)
      ? `Nothing was saved: the license count changed in the meantime and is now ${extensions.currentCount}. Check the numbers and try again.`
      : 'Nothing was saved: the license count changed in the meantime. Check the numbers and try again.',
};

const NETWORK_MESSAGE = 'The server cannot be reached. Check your connection and try again.';

function wait(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

class Retryable extends Error {
  constructor(error) {
    super(error.message);
    this.error = error;
  }
}

async function send(query, variables) {
  let response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new Retryable(new GraphQLRequestError(NETWORK_MESSAGE, 'NETWORK'));
  }
  const httpError = () =>
    new GraphQLRequestError(
      `The server answered with an error (HTTP ${response.status}). Please try again.`,
      `HTTP_${response.status}`,
    );
  let body;
  try {
    body = await response.json();
  } catch {
    if (RETRYABLE_STATUS.has(response.status)) throw new Retryable(httpError());
    throw httpError();
  }
  const [first] = body.errors ?? [];
  if (first) {
    const extensions = first.extensions ?? {};
    const code = extensions.code ?? 'ERROR';
    if (code === 'UNAUTHENTICATED') window.dispatchEvent(new CustomEvent(SESSION_ENDED));
    const message =
      READABLE[code]?.(extensions) ?? (first.message || 'Something went wrong. Please try again.');
    throw new GraphQLRequestError(message, code, extensions.field ?? null, extensions);
  }
  if (!response.ok || !body.data) throw httpError();
  return body.data;
}

/**
 * Runs one operation. With `retry`, a request that may not have reached the server (no
 * connection, a gateway error) is sent again, unchanged: only for mutations that carry an
 * idempotency key, so that the server answers a repeat as the first time and changes nothing
 * twice.
 */
export async function graphql(query, variables = {}, { retry = false } = {}) {
  const delays = retry ? RETRY_DELAYS_MS : [];
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await send(query, variables);
    } catch (error) {
      if (!(error instanceof Retryable)) throw error;
      if (attempt >= delays.length) throw error.error;
      await wait(delays[attempt]);
    }
  }
}
