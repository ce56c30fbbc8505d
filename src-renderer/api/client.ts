/**
 * The renderer's client of the contract. Types come from the contract declaration (type-only
 * imports: no schemas in the renderer bundle); the transport is Electron's preload bridge when
 * present, else the browser host's HTTP API and WebSocket, authenticated by the session cookie
 * the host set when this browser opened its one-time link (HttpOnly: no script here sees it).
 */
import type { WireError } from '../../src-main/contract/errors';
import type { EventName, EventPayload, OpErrorCode, OpInput, OpName, OpOutput } from '../../src-main/contract/operations';
import { API_PREFIX, WS_PATH, type Envelope, type QabyldauBridge } from '../../src-main/contract/wire';

declare global {
  interface Window {
    qabyldau?: QabyldauBridge;
  }
}

/** A call's failure: its code is one the operation declares (or a common one). */
export class ApiError<N extends OpName = OpName> extends Error {
  readonly wire: WireError & { code: OpErrorCode<N> };
  constructor(
    wire: WireError,
    /** The operation that failed (null: the transport itself). */
    readonly op: N | null = null,
  ) {
    super(wire.code);
    this.name = 'ApiError';
    this.wire = wire as WireError & { code: OpErrorCode<N> };
  }
}

/**
 * Whether `e` is the failure of `op` with `code`. The code must be one `op` declares (or a common
 * one): comparing against a code the operation cannot answer with does not compile.
 */
export function failedWith<N extends OpName>(op: N, e: unknown, code: OpErrorCode<N>): boolean {
  return e instanceof ApiError && e.op === op && e.wire.code === code;
}

function httpBridge(): QabyldauBridge {
  const listeners = new Set<(name: string, payload: unknown) => void>();
  let socket: WebSocket | null = null;
  const connect = () => {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${WS_PATH}`;
    socket = new WebSocket(url, ['qabyldau']);
    socket.onmessage = (m) => {
      try {
        const { name, payload } = JSON.parse(String(m.data)) as { name: string; payload: unknown };
        for (const l of listeners) l(name, payload);
      } catch {
        // ignore a malformed frame
      }
    };
    socket.onclose = () => {
      socket = null;
      setTimeout(connect, 2000);
    };
  };
  connect();
  return {
    async invoke(op, input) {
      const res = await fetch(API_PREFIX + op, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input ?? {}),
        credentials: 'same-origin',
        cache: 'no-store',
      });
      try {
        return (await res.json()) as Envelope;
      } catch {
        return { ok: false, error: { code: 'INTERNAL', params: {}, retryable: true } };
      }
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

// Made on first use: a window that never calls (the customer display) opens no socket.
let made: QabyldauBridge | null = null;
const bridge = (): QabyldauBridge => (made ??= window.qabyldau ?? httpBridge());

type SessionRefusal = 'AUTH_SESSION_LOCKED' | 'UNAUTHENTICATED';
const refusalListeners = new Set<(code: SessionRefusal) => void>();
let whileLocked: { done: Promise<void>; resolve: () => void } | null = null;

/** Told when the main process refused a call because the session is locked or gone (the screen follows at once). */
export function onSessionRefused(listener: (code: SessionRefusal) => void): () => void {
  refusalListeners.add(listener);
  return () => refusalListeners.delete(listener);
}

/** The lock is over (unlocked or logged out): calls held while it lasted are tried again. */
export function sessionResumed(): void {
  whileLocked?.resolve();
  whileLocked = null;
}

async function invokeOnce<N extends OpName>(op: N, input: unknown): Promise<Envelope> {
  try {
    return await bridge().invoke(op, input);
  } catch {
    throw new ApiError<N>({ code: 'INTERNAL', params: {}, retryable: true }, op);
  }
}

export async function call<N extends OpName>(op: N, input: OpInput<N>): Promise<OpOutput<N>> {
  let envelope = await invokeOnce(op, input);
  if (!envelope.ok && envelope.error.code === 'AUTH_SESSION_LOCKED') {
    // A screen's own refresh that met the lock: held until the operator unlocks, then tried
    // again, so the screen under the cover neither shows an error nor loses its place.
    if (!whileLocked) {
      let resolve = () => {};
      const done = new Promise<void>((r) => (resolve = r));
      whileLocked = { done, resolve };
    }
    const wait = whileLocked.done;
    for (const l of refusalListeners) l('AUTH_SESSION_LOCKED');
    await wait;
    envelope = await invokeOnce(op, input);
  }
  if (!envelope.ok) {
    if (envelope.error.code === 'UNAUTHENTICATED') for (const l of refusalListeners) l('UNAUTHENTICATED');
    throw new ApiError<N>(envelope.error, op);
  }
  return envelope.value as OpOutput<N>;
}

export function onEvent<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void {
  return bridge().onEvent((n, payload) => {
    if (n === name) listener(payload as EventPayload<N>);
  });
}
