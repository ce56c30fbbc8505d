/**
 * The host's event bus: services publish contract events, shells forward them to the renderer
 * (Electron: webContents.send; browser host: WebSocket). Payloads are validated against the
 * contract before they leave, like operation outputs.
 */
import { events, type EventName, type EventPayload } from '../contract/operations.js';
import type { Logger } from './logger-types.js';

export type EventListener = (name: EventName, payload: unknown) => void;

export class EventBus {
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly log: Logger) {}

  subscribe(l: EventListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  publish<N extends EventName>(name: N, payload: EventPayload<N>): void {
    const checked = events[name].payload.safeParse(payload);
    if (!checked.success) {
      this.log.error({ event: name }, 'event payload does not match the contract; dropped');
      return;
    }
    for (const l of this.listeners) {
      try {
        l(name, checked.data);
      } catch (e) {
        this.log.warn({ event: name, err: e }, 'event listener failed');
      }
    }
  }
}
