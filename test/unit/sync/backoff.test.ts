/**
 * The engine's waiting and sorting rules: exponential backoff with full jitter under a cap, the
 * server's Retry-After as a floor; which failures stop the round (the workstation's), which put a
 * request in front of the operator, which are retried; what a signed manifest says to upload.
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src-main/contract/errors.js';
import { backoffSeconds, classify } from '../../../src-main/sync/backoff.js';
import { GatewayError } from '../../../src-main/gateway/gateway-client.js';
import { manifestDocuments, uniqueDocuments } from '../../../src-main/sync/manifest-documents.js';

const policy = { baseSeconds: 2, maxSeconds: 300 };

describe('backoff', () => {
  it('draws uniformly between 0 and an exponentially growing cap (full jitter)', () => {
    expect(backoffSeconds(policy, 0, 0, () => 0.999)).toBeCloseTo(2 * 0.999);
    expect(backoffSeconds(policy, 3, 0, () => 0.5)).toBe(8);
    expect(backoffSeconds(policy, 3, 0, () => 0)).toBe(0);
    // The cap stops growing.
    expect(backoffSeconds(policy, 40, 0, () => 0.999)).toBeCloseTo(300 * 0.999);
    // Many workstations that failed together spread over the whole window.
    let r = 1;
    const rand = () => ((r = (r * 16807) % 2147483647) / 2147483647);
    const waits = Array.from({ length: 2000 }, () => backoffSeconds(policy, 4, 0, rand));
    expect(Math.min(...waits)).toBeLessThan(1);
    expect(Math.max(...waits)).toBeGreaterThan(31);
    expect(Math.max(...waits)).toBeLessThanOrEqual(32);
  });

  it("never waits less than the server's Retry-After", () => {
    expect(backoffSeconds(policy, 0, 30, () => 0.1)).toBe(30);
    expect(backoffSeconds(policy, 10, 30, () => 0.9)).toBeCloseTo(270);
  });
});

describe('classify', () => {
  const server = { status: 400, code: 'X', details: {} };
  it('stops the round for the workstation: TLS, certificates, protocol, the local disk', () => {
    for (const code of ['GATEWAY_TLS', 'GATEWAY_CLIENT_CERT_REFUSED', 'GATEWAY_CLIENT_CERT_INVALID', 'GATEWAY_WORKSTATION_NOT_AUTHORISED', 'GATEWAY_PROTOCOL_UNSUPPORTED'] as const) {
      expect(classify(new GatewayError(code, {}, null)).scope, code).toBe('workstation');
    }
    expect(classify(new AppError('STORAGE_DISK_FULL')).scope).toBe('workstation');
    expect(classify(new AppError('STORAGE_LOCKED', {}, { retryable: true })).scope).toBe('transient');
  });

  it('puts request problems in front of the operator, with their code', () => {
    expect(classify(new GatewayError('GATEWAY_SIGNATURE_INVALID', {}, server))).toMatchObject({ code: 'GATEWAY_SIGNATURE_INVALID', scope: 'request' });
    expect(classify(new AppError('APPLICANT_NOT_FOUND', { kind: 'iin' }))).toMatchObject({ code: 'APPLICANT_NOT_FOUND', scope: 'request' });
    expect(classify(new AppError('STORAGE_FILE_MISSING')).scope).toBe('request');
  });

  it('retries the rest, with Retry-After and whether the backend is gone', () => {
    expect(classify(new GatewayError('GATEWAY_RATE_LIMITED', { seconds: 7 }, null))).toEqual({ code: 'GATEWAY_RATE_LIMITED', scope: 'transient', retryAfterSeconds: 7, offline: false });
    expect(classify(new GatewayError('GATEWAY_MAINTENANCE', { seconds: 60 }, null)).retryAfterSeconds).toBe(60);
    expect(classify(new AppError('GATEWAY_UNREACHABLE', {}, { retryable: true }))).toMatchObject({ scope: 'transient', offline: true });
    // The registry look-up wraps the gateway's failure: the cause says why.
    const wrapped = new AppError('REGISTRY_UNAVAILABLE', {}, { retryable: true, cause: new GatewayError('GATEWAY_RATE_LIMITED', { seconds: 4 }, null) });
    expect(classify(wrapped)).toEqual({ code: 'REGISTRY_UNAVAILABLE', scope: 'transient', retryAfterSeconds: 4, offline: false });
    expect(classify(new TypeError('bug'))).toMatchObject({ code: 'INTERNAL', scope: 'transient' });
  });
});

describe('manifest documents', () => {
  const doc = (slot: string, sha: string, size: number) => ({ slot, index: 0, sha256: sha.repeat(64), size, mediaType: 'application/pdf' });
  it('are exactly what the signed manifest lists, each file once', () => {
    const m = Buffer.from(JSON.stringify({ format: 'qabyldau.request-manifest/1', documents: [doc('application', 'a', 10), doc('charter', 'b', 20), doc('copy', 'a', 10)] }));
    expect(manifestDocuments(m).map((d) => d.slot)).toEqual(['application', 'charter', 'copy']);
    // Only the five fields of each document, whatever else an entry carries.
    const extra = Buffer.from(JSON.stringify({ documents: [{ ...doc('application', 'a', 10), note: 'x' }] }));
    expect(manifestDocuments(extra)).toEqual([doc('application', 'a', 10)]);
    expect(uniqueDocuments(manifestDocuments(m))).toEqual([
      { sha256: 'a'.repeat(64), size: 10 },
      { sha256: 'b'.repeat(64), size: 20 },
    ]);
  });

  it('refuse a manifest that is gone or unreadable', () => {
    const bad = [
      { documents: [{ sha256: 'xyz' }] },
      { documents: 'none' },
      [],
      null,
      { documents: [{ ...doc('application', 'a', 10), index: -1 }] },
      { documents: [{ ...doc('application', 'a', 10), size: 1.5 }] },
      { documents: [{ ...doc('application', 'a', 10), sha256: 'A'.repeat(64) }] },
      { documents: [doc('application', 'a', 10), { ...doc('copy', 'b', 1), mediaType: undefined }] },
      { documents: Array.from({ length: 1001 }, () => doc('application', 'a', 10)) },
    ];
    for (const m of [null, Buffer.from('{not json'), ...bad.map((b) => Buffer.from(JSON.stringify(b)))]) {
      expect(() => manifestDocuments(m)).toThrow(expect.objectContaining({ code: 'SYNC_MANIFEST_UNREADABLE' }));
    }
  });
});
