/** What every part of the sandbox's protocol v1 handling shares: limits, patterns, the body reader. */
import { createHash } from 'node:crypto';

export const PROTOCOL = 1;
/** Largest JSON body of a protocol message. */
export const MAX_JSON = 4 * 1024 * 1024;
export const SHA = /^[0-9a-f]{64}$/;

/** Reads the request body (at most `max` bytes; 413 beyond). Memoised: a second call returns the same bytes. */
export type BodyReader = (max: number) => Promise<Buffer>;

export const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
