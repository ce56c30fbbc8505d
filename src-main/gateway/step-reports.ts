/**
 * The messages of the step-report endpoints (docs/gateway-protocol.md, "Step reports"): what a
 * workstation sends (its step events, idempotent per event id) and what the Centre's report
 * answers (figures over all the Centre's workstations).
 */
import { z } from 'zod';
import { OutcomeCounts, StepStat } from '../contract/report.js';

export type { StepEventWire } from '../contract/report.js';

/**
 * An operator a batch names (as actor or counter), with the display name the supervisor sees: so
 * the Centre's view names the operators of other workstations. Nothing else about them.
 */
export interface ReportOperator {
  id: string;
  name: string;
}

export const StepReportReceipt = z.object({ received: z.number().int().nonnegative(), accepted: z.number().int().nonnegative(), duplicates: z.number().int().nonnegative() });
export type StepReportReceipt = z.infer<typeof StepReportReceipt>;

export interface CentreQuery {
  from: string;
  to: string;
  /** The Almaty date the workstation calls today. */
  today: string;
  operatorId: string | null;
  serviceId: string | null;
  /** The workstation's norms (serviceId → step → ms): the backend keeps none of its own. */
  norms: Record<string, Record<string, number>>;
  /** The norm the log-in (P1, no service) is measured against. */
  p1NormMs: number | null;
}

const Counts = z.object(OutcomeCounts.shape);
export const CentreFigures = z.object({
  workstations: z.number().int().nonnegative(),
  counts: z.object({ today: Counts, period: Counts }),
  /** `name`: the display name the operator's workstation sent (absent from an older backend). */
  byOperator: z.array(z.object({ operatorId: z.string().max(100), name: z.string().max(200).nullable().optional(), today: Counts, period: Counts })).max(10_000),
  byService: z.array(z.object({ serviceId: z.string().max(100), today: Counts, period: Counts })).max(1000),
  steps: z.array(z.object(StepStat.shape)).max(10_000),
});
export type CentreFigures = z.infer<typeof CentreFigures>;
