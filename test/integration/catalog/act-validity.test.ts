/**
 * A Centre's catalogue (training false) through the real host: a request accepted while its act
 * was in force stays readable after the repeal, while a new request for that service is refused
 * with CATALOG_ACT_REPEALED; the catalogue says which acts are repealed. A catalogue whose quote
 * the regulation's text (an administrator's copy of it) does not bear out refuses the start.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRoot } from '../../../src-main/host/paths.js';
import { startStack, type Stack } from '../../support/stack.js';

let stack: Stack;
let clock = new Date('2020-09-10T06:00:00Z');

beforeAll(async () => {
  const centreCatalogue = JSON.parse(readFileSync(join(appRoot(), 'assets', 'catalog', 'services.json'), 'utf8')) as Record<string, unknown>;
  centreCatalogue.training = false;
  stack = await startStack({ catalog: centreCatalogue, host: { now: () => clock } });
  await stack.login();
});
afterAll(async () => {
  await stack.close();
});

describe("a Centre's catalogue: validity of the acts", () => {
  it('refuses new requests under a repealed act; the requests accepted before stay readable', async () => {
    const create = () =>
      stack.api('request.create', { serviceId: 'emission-permit-almaty', subServiceId: 'cat-3', applicant: { kind: 'bin', number: '070240022228', manualName: null } });
    await stack.ok('applicant.lookup', { kind: 'bin', number: '070240022228' });
    const before = await create();
    if (!before.ok) throw new Error(JSON.stringify(before.error));
    const listed = await stack.ok('catalog.services', {});
    expect(listed.training).toBe(false);
    expect(listed.services.find((s) => s.id === 'emission-permit-almaty')!.validity).toBe('in_force');

    clock = new Date('2026-12-02T06:00:00Z');
    await stack.login();
    const now = await stack.ok('catalog.services', {});
    expect(now.services.every((s) => s.validity === 'repealed')).toBe(true);
    expect(now.services.find((s) => s.id === 'emission-permit-almaty')!.act).toMatchObject({
      repealed: '2020-09-16',
      statusLine: { line: 11 },
    });
    const after = await create();
    expect(after.ok ? null : after.error).toEqual(expect.objectContaining({ code: 'CATALOG_ACT_REPEALED', params: { repealed: '2020-09-16' } }));
    const read = await stack.ok('request.get', { id: before.value.id });
    expect(read).toMatchObject({ id: before.value.id, serviceId: 'emission-permit-almaty', status: 'applicant_verified' });
  });
});

describe("the start checks the catalogue against the regulations' text", () => {
  it("refuses to start when the administrator's text of an act does not say what the catalogue quotes", async () => {
    const catalog = JSON.parse(readFileSync(join(appRoot(), 'assets', 'catalog', 'services.json'), 'utf8')) as Record<string, unknown>;
    const shipped = readFileSync(join(appRoot(), 'assets', 'regulations', '003.txt'), 'utf8');
    const amended = shipped.replace('рұқсатты қайта ресімдеу - 1 ай ішінде', 'рұқсатты қайта ресімдеу - 20 жұмыс күні ішінде');
    expect(amended).not.toBe(shipped);
    await expect(startStack({ backendDown: true, catalog, regulations: { '003': amended } })).rejects.toThrow(
      /catalogue .*services\.json: service emission-permit-almaty, sub-service reissue: the source quotes "рұқсатты қайта ресімдеу - 1 ай ішінде" at line 117, which seed 003 does not say/,
    );
  });

  it("refuses to start when the administrator's text of an act does not say what a step norm quotes", async () => {
    const shipped = readFileSync(join(appRoot(), 'assets', 'regulations', '003.txt'), 'utf8');
    // Para 10's P5 time (norms.json, emission-permit-almaty P5), quoted by no catalogue entry.
    const amended = shipped.replace('растау 30 минут ішінде', 'растау 40 минут ішінде');
    expect(amended).not.toBe(shipped);
    await expect(startStack({ backendDown: true, regulations: { '003': amended } })).rejects.toThrow(
      /norms file .*norms\.json: services\[\d+\] \(emission-permit-almaty\): step P5: quotes "30 минут ішінде" at lines 307–313, which seed 003 does not say/,
    );
  });
});
