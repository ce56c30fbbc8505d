/**
 * The host warms the papers worker a few seconds after start; a client closed before then must
 * not start it afterwards (a worker nobody ends). warm() is replaced by a counter here, so no
 * worker thread is started either way.
 */
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src-main/host/logger-types.js';
import { assetPath } from '../../../src-main/host/paths.js';
import { PapersClient } from '../../../src-main/papers/papers-client.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function counted(): { client: PapersClient; warmed: () => number } {
  const client = new PapersClient({ assetsDir: assetPath(), log: silentLogger });
  let n = 0;
  client.warm = () => {
    n += 1;
    return Promise.resolve();
  };
  return { client, warmed: () => n };
}

describe('PapersClient.warmAfter', () => {
  it('warms the worker once the delay has passed', async () => {
    const { client, warmed } = counted();
    client.warmAfter(5, () => {});
    await sleep(40);
    expect(warmed()).toBe(1);
    await client.close();
  });

  it('does not warm a client closed before the delay', async () => {
    const { client, warmed } = counted();
    client.warmAfter(5, () => {});
    await client.close();
    await sleep(40);
    expect(warmed()).toBe(0);
  });
});
