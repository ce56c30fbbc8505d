/** The outbox queue and "send now": the operations of this domain (composed in ../operations.ts). */
import { operation } from '../define.js';
import { QueueStatus, SendNowResult } from '../model.js';
import { Empty } from './shared.js';

export const queueOps = {
  'queue.status': operation({
    access: 'operator',
    summary: 'Whether the backend is reachable and how many requests wait in each state.',
    input: Empty,
    output: QueueStatus,
  }),
  'queue.syncNow': operation({
    access: 'operator',
    summary: 'Send now: one probe of the backend even during a pause (presses within a second share it), then the queue is sent; answers within a second with what happened.',
    input: Empty,
    output: SendNowResult,
  }),

} as const;
