/** Stage 0, the probe: online means the backend answered `health` with a protocol we speak, never what the OS says. */
import type { SyncContext } from '../context.js';

export async function probe(ctx: SyncContext): Promise<boolean> {
  return (await probeOnce(ctx)) === null;
}

/** One probe; resolves null when the backend answered, else the failure (already handled by the policy). */
export async function probeOnce(ctx: SyncContext): Promise<unknown> {
  try {
    await ctx.gateway.health();
    ctx.policy.probed(true);
    return null;
  } catch (e) {
    ctx.policy.handle(e, { what: 'probe', quiet: true });
    ctx.policy.probed(false);
    return e ?? new Error('probe failed');
  }
}
