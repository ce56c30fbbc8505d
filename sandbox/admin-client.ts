/** A small client of the sandbox's admin API, for tests, benchmarks and scripts. */
import type { FaultConfig } from './faults.js';

export interface SandboxStats {
  submissions: number;
  documents: number;
  duplicateRegistrations: number;
  duplicateDeliveries: number;
  decided: number;
  issued: number;
  submitCalls: number;
  duplicateSubmits: number;
  chunksReceived: number;
  faultsInjected: Record<string, number>;
}

export interface AdminSubmission {
  registrationNumber: string;
  idempotencyKey: string;
  manifestSha256: string;
  status: string;
  receivedAt: string;
  deliveries: number;
  issuedAt: string | null;
}

export class SandboxAdmin {
  constructor(
    readonly url: string,
    private readonly token: string,
  ) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await res.json()) as T;
    if (!res.ok) throw new Error(`sandbox admin ${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  }

  stats(): Promise<SandboxStats> {
    return this.call('GET', '/admin/stats');
  }

  async submissions(): Promise<AdminSubmission[]> {
    return (await this.call<{ items: AdminSubmission[] }>('GET', '/admin/submissions')).items;
  }

  setFaults(config: FaultConfig): Promise<unknown> {
    return this.call('PUT', '/admin/faults', config);
  }

  clearFaults(): Promise<unknown> {
    return this.call('DELETE', '/admin/faults');
  }

  maintenance(seconds: number): Promise<unknown> {
    return this.call('POST', '/admin/maintenance', { seconds });
  }

  setDecisionDelay(delayMs: number): Promise<unknown> {
    return this.call('PUT', '/admin/decision', { delayMs });
  }

  setOutcome(applicantNumber: string, outcome: 'approve' | 'refuse' | null, reasons?: string[]): Promise<unknown> {
    return outcome === null
      ? this.call('DELETE', `/admin/outcomes/${applicantNumber}`)
      : this.call('PUT', `/admin/outcomes/${applicantNumber}`, { outcome, ...(reasons ? { reasons } : {}) });
  }

  decide(registrationNumber: string, outcome: 'approve' | 'refuse', reasons?: string[]): Promise<{ status: string }> {
    return this.call('POST', `/admin/submissions/${registrationNumber}/decide`, { outcome, ...(reasons ? { reasons } : {}) });
  }
}
