/**
 * The request statuses as plain data (no zod), so the renderer can list them without pulling the
 * schemas into its bundle. The lifecycle is in src-main/contract/lifecycle.ts.
 */
export const REQUEST_STATUSES = [
  'draft',
  'applicant_verified',
  'applicant_unverified',
  'documents_complete',
  'signed',
  'queued',
  'sent',
  'registered',
  'under_review',
  'refused',
  'result_ready',
  'issued',
  'needs_attention',
  'cancelled',
] as const;
