/** Stage 0, the probe: online means the backend answered `health` with a protocol we speak, never what the OS says. */
import type { SyncContext } from '../context.js';

export async function probe(ctx: SyncContext): Promise<boolean> {
  try {
    await ctx.gateway.health();
    ctx.policy.probed(true);
    return true;
  } catch (e) {
    ctx.policy.handle(e, { what: 'probe', quiet: true });
    ctx.policy.probed(false);
    return false;
  }
}
