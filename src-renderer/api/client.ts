/**
 * The renderer's client of the contract. Types come from the contract declaration (type-only
 * imports: no schemas in the renderer bundle); the transport is Electron's preload bridge when
 * present, else the browser host's HTTP API and WebSocket with the per-start token.
 */
import type { WireError } from '../../src-main/contract/errors';
import type { EventName, EventPayload, OpInput, OpName, OpOutput } from '../../src-main/contract/operations';
import { API_PREFIX, TOKEN_HEADER, WS_PATH, type Envelope, type QabyldauBridge } from '../../src-main/contract/wire';

declare global {
  interface Window {
    qabyldau?: QabyldauBridge;
  }
}

export class ApiError extends Error {
  constructor(readonly wire: WireError) {
    super(wire.code);
    this.name = 'ApiError';
  }
}

const TOKEN_KEY = 'qabyldau.token';

/** Takes the token from the URL fragment once, keeps it for this tab, and removes it from the URL. */
function browserToken(): string | null {
  const m = /(?:^#|&)token=([0-9a-f]{64})/.exec(location.hash);
  if (m) {
    sessionStorage.setItem(TOKEN_KEY, m[1]!);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

function httpBridge(): QabyldauBridge {
  const token = browserToken();
  const listeners = new Set<(name: string, payload: unknown) => void>();
  let socket: WebSocket | null = null;
  const connect = () => {
    if (!token) return;
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${WS_PATH}`;
    socket = new WebSocket(url, ['qabyldau', `token.${token}`]);
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
      if (!token) return { ok: false, error: { code: 'FORBIDDEN', params: {}, retryable: false } };
      const res = await fetch(API_PREFIX + op, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
        body: JSON.stringify(input ?? {}),
        credentials: 'omit',
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

const bridge: QabyldauBridge = window.qabyldau ?? httpBridge();

export async function call<N extends OpName>(op: N, input: OpInput<N>): Promise<OpOutput<N>> {
  let envelope: Envelope;
  try {
    envelope = await bridge.invoke(op, input);
  } catch {
    throw new ApiError({ code: 'INTERNAL', params: {}, retryable: true });
  }
  if (!envelope.ok) throw new ApiError(envelope.error);
  return envelope.value as OpOutput<N>;
}

export function onEvent<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void {
  return bridge.onEvent((n, payload) => {
    if (n === name) listener(payload as EventPayload<N>);
  });
}

export const hasToken = (): boolean => Boolean(window.qabyldau) || Boolean(sessionStorage.getItem(TOKEN_KEY));
