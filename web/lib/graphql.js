/** The GraphQL client: one JSON POST per operation, with the session cookie. */

export class GraphQLRequestError extends Error {
  constructor(message, code = 'ERROR', field = null) {
    super(message);
    this.name = 'GraphQLRequestError';
    this.code = code;
    this.field = field;
  }
}

/** Fired on window when the server says the session is gone, so the app can ask to sign in. */
export const SESSION_ENDED = 'session-ended';

export async function graphql(query, variables = {}) {
  let response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new GraphQLRequestError(
      'The server cannot be reached. Check your connection and try again.',
      'NETWORK',
    );
  }
  let body;
  try {
    body = await response.json();
  } catch {
    throw new GraphQLRequestError(
      `The server answered with an error (HTTP ${response.status}). Please try again.`,
      `HTTP_${response.status}`,
    );
  }
  const [first] = body.errors ?? [];
  if (first) {
    const code = first.extensions?.code ?? 'ERROR';
    if (code === 'UNAUTHENTICATED') window.dispatchEvent(new CustomEvent(SESSION_ENDED));
    throw new GraphQLRequestError(
      first.message || 'Something went wrong. Please try again.',
      code,
      first.extensions?.field ?? null,
    );
  }
  if (!response.ok || !body.data) {
    throw new GraphQLRequestError(
      `The server answered with an error (HTTP ${response.status}). Please try again.`,
      `HTTP_${response.status}`,
    );
  }
  return body.data;
}
