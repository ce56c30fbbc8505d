/**
 * The wire format shared by every transport (Electron IPC, HTTP, WebSocket). Pure types and
 * constants, no zod: the preload script and the renderer import this without the schemas.
 */
import type { WireError } from './errors.js';

export type Envelope<T = unknown> = { ok: true; value: T } | { ok: false; error: WireError };

/** The single IPC channel for calls, and the one for events. */
export const IPC_INVOKE_CHANNEL = 'qabyldau:invoke';
export const IPC_EVENT_CHANNEL = 'qabyldau:event';

/** Browser host: header carrying the per-start token; path prefix of the operations. */
export const TOKEN_HEADER = 'x-qabyldau-token';
export const API_PREFIX = '/api/';
export const WS_PATH = '/events';
/** The renderer's route for the customer display (index.html + this hash): the questionnaire only, no contract access. */
export const CUSTOMER_DISPLAY_HASH = '#customer-display';

/** What the preload script exposes on `window.qabyldau` (and what the HTTP client implements). */
export interface QabyldauBridge {
  invoke(op: string, input: unknown): Promise<Envelope>;
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
}
