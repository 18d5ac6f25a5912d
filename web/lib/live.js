/**
 * Live updates: one GraphQL subscription over a WebSocket, speaking graphql-transport-ws
 * (connection_init → connection_ack → subscribe → next… → complete). The browser sends the
 * session cookie with the handshake, so nothing else authenticates the connection.
 *
 * When the connection drops, it is opened again after 1 s, then 2 s, 4 s … up to 30 s, and the
 * subscription is sent again; the server answers a new subscription with the current data
 * first, so nothing missed in between stays missed. When the server ends the subscription
 * (`complete`), refuses it (`error`, or closing with 4401/4403), the client stops for good and
 * says why through `onEnd`: the caller decides whether the session has ended.
 *
 *   const live = subscribe({
 *     query: 'subscription { seatsChanged { licenseCount used available } }',
 *     onData: (data) => …,            // every `next`
 *     onState: (state) => …,          // 'connecting' | 'live' | 'reconnecting' | 'ended'
 *     onEnd: ({ reason, errors }) => …, // 'complete' | 'refused' | 'error'
 *   });
 *   live.close();                     // on sign-out or when the page goes away
 *
 * Without a `query` the connection is only held open (state 'live' once acknowledged): the
 * server closes it with 4401 when the session or the person's access ends, which `onEnd`
 * reports as 'refused'.
 */

const PROTOCOL = 'graphql-transport-ws';
const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 30000;
/** A connection that stayed up this long starts the next series of retries at 1 s again. */
const STABLE_MS = 10000;
/** How long the server has to acknowledge connection_init. */
const ACK_TIMEOUT_MS = 10000;
/** A ping this often; a connection that does not answer one before the next is dead. */
const PING_EVERY_MS = 25000;
/** Close codes of graphql-transport-ws that mean "not allowed": trying again cannot help. */
const REFUSED = new Set([4401, 4403]);
/** Close code sent by the client when it gives up on a connection that stopped answering. */
const CLIENT_TIMEOUT = 4408;

/** `ws://host/graphql` for a page served over http, `wss://` over https. */
export function liveUrl(path = '/graphql') {
  const url = new URL(path, window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

/** The wait before the retry after `failures` failed attempts, with ±20 % jitter. */
export function retryDelay(failures) {
  const base = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** failures);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

const utf8 = new TextDecoder();

class LiveSubscription {
  #url;
  #payload;
  #onData;
  #onState;
  #onEnd;
  #socket = null;
  #operationId = 0;
  #state = '';
  #failures = 0;
  #liveSince = 0;
  #retryTimer = 0;
  #ackTimer = 0;
  #pingTimer = 0;
  #awaitingPong = false;
  #stopped = false;
  #hidden = false;
  #listeners = [];

  constructor({ query, variables, url, onData, onState, onEnd }) {
    this.#url = url ?? liveUrl();
    this.#payload = !query ? null : variables ? { query, variables } : { query };
    this.#onData = onData ?? (() => {});
    this.#onState = onState ?? (() => {});
    this.#onEnd = onEnd ?? (() => {});
    this.#listen('pagehide', () => this.#pause());
    this.#listen('pageshow', (event) => {
      if (event.persisted) this.#resume();
    });
    this.#listen('online', () => {
      if (this.#retryTimer) this.#connect();
    });
    this.#connect();
  }

  get state() {
    return this.#state;
  }

  /** Stops for good: unsubscribes, closes the connection and forgets every timer. */
  close() {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const [name, listener] of this.#listeners) window.removeEventListener(name, listener);
    this.#listeners = [];
    this.#disconnect();
  }

  #listen(name, listener) {
    window.addEventListener(name, listener);
    this.#listeners.push([name, listener]);
  }

  #setState(state) {
    if (state === this.#state) return;
    this.#state = state;
    this.#onState(state);
  }

  #connect() {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = 0;
    if (this.#stopped || this.#hidden) return;
    this.#disconnect();
    this.#setState(this.#state === '' ? 'connecting' : 'reconnecting');
    let socket;
    try {
      socket = new WebSocket(this.#url, PROTOCOL);
    } catch {
      this.#retry();
      return;
    }
    // Messages are JSON; a server may send them as binary frames (UTF-8), which are read as text.
    socket.binaryType = 'arraybuffer';
    this.#socket = socket;
    this.#operationId += 1;
    const id = String(this.#operationId);
    socket.addEventListener('open', () => {
      if (socket !== this.#socket) return;
      this.#send(socket, { type: 'connection_init', payload: {} });
      this.#ackTimer = setTimeout(() => this.#drop(socket, CLIENT_TIMEOUT), ACK_TIMEOUT_MS);
    });
    socket.addEventListener('message', (event) => this.#receive(socket, id, event.data));
    socket.addEventListener('close', (event) => this.#closed(socket, event.code));
    // An 'error' is always followed by 'close', which decides what happens next.
  }

  #receive(socket, id, data) {
    if (socket !== this.#socket) return;
    let message;
    try {
      message = JSON.parse(typeof data === 'string' ? data : utf8.decode(data));
    } catch {
      this.#drop(socket, 4400);
      return;
    }
    switch (message?.type) {
      case 'connection_ack':
        clearTimeout(this.#ackTimer);
        if (this.#payload) this.#send(socket, { id, type: 'subscribe', payload: this.#payload });
        this.#keepAlive(socket);
        if (!this.#payload) {
          if (!this.#liveSince) this.#liveSince = Date.now();
          this.#setState('live');
        }
        break;
      case 'ping':
        this.#send(socket, { type: 'pong' });
        break;
      case 'pong':
        this.#awaitingPong = false;
        break;
      case 'next': {
        if (message.id !== id) break;
        const { data, errors } = message.payload ?? {};
        if (!data && errors?.length) {
          this.#end('error', errors);
          break;
        }
        if (!this.#liveSince) this.#liveSince = Date.now();
        this.#setState('live');
        this.#onData(data);
        break;
      }
      case 'error':
        if (message.id === id) {
          this.#end('error', Array.isArray(message.payload) ? message.payload : []);
        }
        break;
      case 'complete':
        if (message.id === id) this.#end('complete', []);
        break;
      default:
        break;
    }
  }

  #keepAlive(socket) {
    clearInterval(this.#pingTimer);
    this.#awaitingPong = false;
    this.#pingTimer = setInterval(() => {
      if (this.#awaitingPong) {
        this.#drop(socket, CLIENT_TIMEOUT);
        return;
      }
      this.#awaitingPong = true;
      this.#send(socket, { type: 'ping' });
    }, PING_EVERY_MS);
  }

  #send(socket, message) {
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }

  /** The server closed the connection, or it broke. */
  #closed(socket, code) {
    if (socket !== this.#socket) return;
    this.#forgetSocket();
    if (REFUSED.has(code)) {
      this.#end('refused', []);
      return;
    }
    this.#retry();
  }

  /** Gives up on a connection that misbehaves or stopped answering, and tries again. */
  #drop(socket, code) {
    if (socket !== this.#socket) return;
    this.#forgetSocket();
    try {
      socket.close(code);
    } catch {
      // Already closing.
    }
    this.#retry();
  }

  #retry() {
    if (this.#stopped || this.#hidden) return;
    this.#setState('reconnecting');
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => this.#connect(), retryDelay(this.#failures));
    this.#failures += 1;
  }

  /** The server ended the subscription or refused it: no more attempts. */
  #end(reason, errors) {
    if (this.#stopped) return;
    this.close();
    this.#setState('ended');
    this.#onEnd({ reason, errors });
  }

  /** Leaving the page (or going into the back/forward cache): close, and open again on return. */
  #pause() {
    if (this.#stopped) return;
    this.#hidden = true;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = 0;
    this.#disconnect();
  }

  #resume() {
    if (this.#stopped || !this.#hidden) return;
    this.#hidden = false;
    this.#connect();
  }

  #forgetSocket() {
    clearTimeout(this.#ackTimer);
    clearInterval(this.#pingTimer);
    this.#awaitingPong = false;
    if (this.#liveSince && Date.now() - this.#liveSince >= STABLE_MS) this.#failures = 0;
    this.#liveSince = 0;
    this.#socket = null;
  }

  /** Closes the current connection politely (unsubscribing first), if there is one. */
  #disconnect() {
    const socket = this.#socket;
    if (!socket) return;
    this.#forgetSocket();
    if (socket.readyState === WebSocket.OPEN) {
      if (this.#payload) this.#send(socket, { id: String(this.#operationId), type: 'complete' });
      socket.close(1000);
    } else if (socket.readyState === WebSocket.CONNECTING) {
      // Closing before the handshake is done makes the browser report an error; close it
      // once it opens instead.
      socket.addEventListener('open', () => socket.close(1000));
    }
  }
}

/** Starts a subscription; see the top of this file. Returns `{ close(), state }`. */
export function subscribe(options) {
  return new LiveSubscription(options);
}
