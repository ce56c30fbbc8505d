/**
 * Every operation of the contract, driven with invalid input through the real transport (the
 * browser host's HTTP API), must be refused at the boundary with a typed VALIDATION error naming
 * the offending field, before any handler runs. The table is keyed by the contract: a new
 * operation does not compile until its invalid inputs are listed here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idnErrorCode } from '../../../src-main/contract/idn.js';
import { OP_NAMES, operations, type OpName } from '../../../src-main/contract/operations.js';
import { startStack, type Stack } from '../../support/stack.js';

const id = 'd673517c-0c2a-432d-bc1d-dc4a9f2114f2';

/** For each operation: inputs that must be rejected, each with the field path the error names. */
const INVALID: Record<OpName, [unknown, string][]> = {
  'app.info': [[{ extra: 1 }, '(input)']],
  'auth.login': [
    [{ login: '', password: 'x' }, 'login'],
    [{ login: 'a'.repeat(65), password: 'x' }, 'login'],
    [{ login: 'operator' }, 'password'],
    [{ login: 42, password: 'x' }, 'login'],
  ],
  'auth.logout': [[{ now: true }, '(input)']],
  'auth.session': [[{ token: 'x' }, '(input)']],
  'admin.quit': [[{ login: 'admin' }, 'password']],
  'auth.activity': [[{ typed: true }, '(input)']],
  'auth.lock': [[{ now: 1 }, '(input)']],
  'auth.unlock': [
    [{}, 'password'],
    [{ password: '' }, 'password'],
  ],
  'auth.changePassword': [
    [{ current: 'x' }, 'next'],
    [{ current: 'x', next: 'y'.repeat(257) }, 'next'],
  ],
  'auth.bootstrap': [
    [{ token: 'x', login: 'a b', fullName: 'Admin', iin: null, password: 'x' }, 'login'],
    [{ token: 'x', login: 'admin2', fullName: 'Admin', iin: '123', password: 'x' }, 'iin'],
  ],
  'accounts.list': [[{ all: true }, '(input)']],
  'accounts.create': [
    [{ login: 'ab', fullName: 'Name Surname', role: 'operator', iin: '850315300128', password: 'x' }, 'login'],
    [{ login: 'abc', fullName: 'Name Surname', role: 'root', iin: null, password: 'x' }, 'role'],
    [{ login: 'abc', fullName: 'N', role: 'operator', iin: null, password: 'x' }, 'fullName'],
  ],
  'accounts.update': [
    [{ id: 'a/b', fullName: 'Name Surname', role: 'operator', iin: null }, 'id'],
    [{ id, fullName: 'Name Surname', role: 'admin', iin: null }, 'role'],
  ],
  'accounts.setDisabled': [[{ id, disabled: 'yes' }, 'disabled']],
  'accounts.resetPassword': [[{ id }, 'password']],
  'catalog.services': [[{ all: true }, '(input)']],
  'applicant.lookup': [
    [{ kind: 'iin', number: '12345' }, 'number'],
    [{ kind: 'iin', number: '85031530012a' }, 'number'],
    [{ kind: 'passport', number: '850315300128' }, 'kind'],
    [{ kind: 'iin', number: 850315300128 }, 'number'],
  ],
  'request.create': [
    [{ serviceId: '../etc', subServiceId: null, applicant: { kind: 'iin', number: '850315300128', manualName: null } }, 'serviceId'],
    [{ serviceId: 'emission-permit-almaty', subServiceId: null, applicant: { kind: 'iin', number: '8503', manualName: null } }, 'applicant.number'],
    [{ serviceId: 'emission-permit-almaty', subServiceId: null, applicant: { kind: 'iin', number: '850315300128', manualName: 'x' } }, 'applicant.manualName'],
    [{ serviceId: 'emission-permit-almaty', applicant: { kind: 'iin', number: '850315300128', manualName: null } }, 'subServiceId'],
  ],
  'request.get': [
    [{ id: '' }, 'id'],
    [{ id: 'a/b' }, 'id'],
  ],
  'request.list': [
    [{ limit: 0 }, 'limit'],
    [{ limit: 10_000 }, 'limit'],
    [{ status: 'lost' }, 'status'],
  ],
  'request.setDocument': [
    [{ requestId: id, slotId: 'application', presented: 'yes', original: false }, 'presented'],
    [{ requestId: id, slotId: 'application', presented: true }, 'original'],
  ],
  'request.sign': [
    [{ requestId: id, password: '' }, 'password'],
    [{ requestId: id }, 'password'],
  ],
  'pages.import': [
    [{ requestId: id, slotId: 'application', fileName: 'a.jpg', dataBase64: 'not base64!' }, 'dataBase64'],
    [{ requestId: id, slotId: 'application', fileName: '', dataBase64: 'AAAA' }, 'fileName'],
    [{ requestId: id, slotId: 'application', fileName: 'a.jpg', dataBase64: 'A'.repeat(34 * 1024 * 1024) }, 'dataBase64'],
  ],
  'pages.content': [[{ pageId: 'x y' }, 'pageId'], [{ pageId: id, maxPx: 100_000 }, 'maxPx'], [{ pageId: id, maxPx: 1.5 }, 'maxPx']],
  'scan.status': [[{ deep: true }, '(input)']],
  'scan.devices': [[{ refresh: 'yes' }, 'refresh']],
  'scan.selectDevice': [[{ deviceId: 7 }, 'deviceId'], [{}, 'deviceId']],
  'scan.trustCertificate': [[{ deviceId: 'escl:https://127.0.0.1/eSCL', sha256: 'AB:CD' }, 'sha256'], [{ sha256: 'a'.repeat(64) }, 'deviceId']],
  'scan.profiles': [[{ all: 1 }, '(input)']],
  'scan.start': [
    [{ requestId: id }, 'slotId'],
    [{ requestId: id, slotId: 'application', maxPages: 0 }, 'maxPages'],
    [{ requestId: id, slotId: 'application', deviceOptions: { mode: 'x' } }, '(input)'],
  ],
  'scan.continue': [[{ jobId: '' }, 'jobId']],
  'scan.job': [[{}, 'jobId']],
  'scan.cancel': [[{ jobId: 42 }, 'jobId']],
  'docs.receipt': [
    [{ requestId: id, language: 'de' }, 'language'],
    [{ requestId: id }, 'language'],
  ],
  'docs.refusalNotice': [[{ requestId: '', language: 'kk' }, 'requestId']],
  'docs.expectedResult': [[{ serviceId: 'emission-permit-almaty' }, 'subServiceId']],
  'print.printers': [[{ all: true }, '(input)']],
  'print.pdf': [
    [{ sha256: 'abc', printer: null }, 'sha256'],
    [{ sha256: 'a'.repeat(64) }, 'printer'],
  ],
  'settings.get': [[{ all: true }, '(input)']],
  'audit.reads': [
    [{ kind: 'iin', number: '8503' }, 'number'],
    [{ kind: 'passport', number: '850315300128' }, 'kind'],
  ],
  'settings.ncalayerCertificate': [[{ url: 'wss://evil' }, '(input)']],
  'settings.trustNcalayerCertificate': [
    [{ sha256: 'AB:CD' }, 'sha256'],
    [{}, 'sha256'],
  ],
  'settings.setSigningProvider': [
    [{ provider: 'gost-token' }, 'provider'],
    [{}, 'provider'],
  ],
  'sign.keystoreInfo': [
    [{ password: '' }, 'password'],
    [{ password: 'x'.repeat(257) }, 'password'],
  ],
  'queue.status': [[{ verbose: true }, '(input)']],
  'report.parked': [[{ all: true }, '(input)']],
  'queue.syncNow': [[{ force: 1 }, '(input)']],
  'request.search': [
    [{ localNumber: "ALM'; DROP TABLE requests;--" }, 'localNumber'],
    [{ applicant: { kind: 'iin', number: '8503' } }, 'applicant.number'],
    [{ createdFrom: 'yesterday' }, 'createdFrom'],
    [{ limit: 501 }, 'limit'],
  ],
  'request.worklist': [[{ limit: 0 }, 'limit']],
  'request.cancel': [[{ requestId: '../x' }, 'requestId']],
  'request.setApplicantLanguage': [
    [{ requestId: id, language: 'en' }, 'language'],
    [{ requestId: '../x', language: 'kk' }, 'requestId'],
  ],
  'request.refuse': [
    [{ requestId: id, ground: 'data_unavailable' }, 'ground'],
    [{ requestId: '../x', ground: 'incomplete' }, 'requestId'],
  ],
  'refusal.paper': [
    [{ refusalId: id, language: 'de' }, 'language'],
    [{ refusalId: '' , language: 'kk' }, 'refusalId'],
  ],
  'refusal.ofRequest': [[{ requestId: '../x' }, 'requestId']],
  'refusal.list': [
    [{ from: '2026-13-01', to: '2026-12-02' }, 'from'],
    [{ from: '2026-12-01', to: '2026-12-02', limit: 0 }, 'limit'],
  ],
  'request.reopen': [[{}, 'requestId']],
  'request.setRepresentative': [
    [{ requestId: id }, 'representative'],
    [{ requestId: id, representative: { iin: '123', name: 'Әлиев Нұрлан', powerOfAttorney: { number: '1', date: '2026-01-10', notary: null } } }, 'representative.iin'],
    [{ requestId: id, representative: { iin: '900702400457', name: 'Әлиев Нұрлан', powerOfAttorney: { number: '1', date: '10.01.2026', notary: null } } }, 'representative.powerOfAttorney.date'],
  ],
  'request.verifyRepresentative': [[{ requestId: 5 }, 'requestId']],
  'request.representativeException': [
    [{ requestId: id, exception: 'notary_abroad' }, 'exception'],
    [{ requestId: id }, 'exception'],
  ],
  'request.requeue': [
    [{}, 'requestId'],
    [{ requestId: '' }, 'requestId'],
  ],
  'pages.delete': [[{ requestId: id }, 'pageId']],
  'pages.reorder': [
    [{ requestId: id, slotId: 'application', pageIds: [] }, 'pageIds'],
    [{ requestId: id, slotId: 'application', pageIds: ['a b'] }, 'pageIds.0'],
  ],
  'pages.rotate': [
    [{ requestId: id, pageId: id, rotation: 45 }, 'rotation'],
    [{ requestId: id, pageId: id }, 'rotation'],
  ],
  'result.get': [
    [{}, 'requestId'],
    [{ requestId: 'a/b' }, 'requestId'],
  ],
  'report.dashboard': [
    [{ from: '2026-13-01', to: '2026-12-01', scope: 'workstation' }, 'from'],
    [{ from: '2026-12-01', to: '2026-12-01', scope: 'galaxy' }, 'scope'],
    [{ from: '2026-12-01', to: '2026-12-01', scope: 'centre', nearDays: -1 }, 'nearDays'],
  ],
  'report.figures': [
    [{ from: '2026-12-01', to: '2026-12-01' }, 'scope'],
    [{ from: '2026-12-01', to: 'tomorrow', scope: 'workstation' }, 'to'],
  ],
  'report.lists': [
    [{ from: '2026-12-01', to: '2026-12-01', limit: 0 }, 'limit'],
    [{ from: '2026-12-01', to: '2026-12-01', nearDays: 61 }, 'nearDays'],
  ],
  'report.stepNorms': [[{}, 'serviceId']],
  'step.timer': [
    [{ requestId: 7 }, 'requestId'],
    [{ requestId: null, serviceId: 7 }, 'serviceId'],
  ],
  'step.screenReady': [
    [{ screen: 'desktop', requestId: null, latencyMs: 5 }, 'screen'],
    [{ screen: 'login', requestId: null, latencyMs: -1 }, 'latencyMs'],
  ],
  'questionnaire.submit': [
    [{ requestId: null, quality: 4, information: 3 }, 'quality'],
    [{ requestId: null, quality: 3 }, 'information'],
  ],
  'report.export': [
    [{ from: '2026-12-01', to: '2026-12-01', scope: 'workstation', format: 'docx', language: 'kk' }, 'format'],
    [{ from: '2026-12-01', to: '2026-12-01', scope: 'workstation', format: 'xlsx', language: 'de' }, 'language'],
  ],
  'request.issue': [
    [{ requestId: id, recipient: 'neighbour', language: 'kk' }, 'recipient'],
    [{ requestId: id, recipient: 'applicant', language: 'de' }, 'language'],
    [{ requestId: id, language: 'kk' }, 'recipient'],
  ],
};

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});

describe('the contract boundary', () => {
  it('lists invalid inputs for every declared operation', () => {
    expect(Object.keys(INVALID).sort()).toEqual([...OP_NAMES].sort());
  });

  it('refuses operations that need a logged-in operator before log-in', async () => {
    for (const op of OP_NAMES.filter((n) => operations[n].access !== 'public')) {
      const e = await stack.api(op, {});
      expect([op, e.ok ? 'ok' : e.error.code]).toEqual([op, 'UNAUTHENTICATED']);
    }
  });

  it('refuses administrator operations to an operator', async () => {
    await stack.login();
    for (const op of OP_NAMES.filter((n) => operations[n].access === 'admin')) {
      const e = await stack.raw(op, INVALID[op][0]![0]);
      expect([op, e.ok ? 'ok' : e.error.code]).toEqual([op, 'FORBIDDEN']);
    }
    await stack.ok('auth.logout');
  });

  it('rejects every operation\'s invalid input with VALIDATION naming the field', async () => {
    // An administrator passes every access check, so each call reaches input validation.
    await stack.ok('auth.login', { login: 'admin', password: 'admin123' });
    for (const op of OP_NAMES) {
      for (const [input, field] of INVALID[op]) {
        const e = await stack.raw(op, input);
        expect(e.ok, `${op} accepted ${JSON.stringify(input).slice(0, 80)}`).toBe(false);
        if (!e.ok) {
          expect([op, e.error.code]).toEqual([op, 'VALIDATION']);
          expect(e.error.fields, op).toContain(field);
        }
      }
      // Not an object at all.
      const e = await stack.raw(op, 'nope');
      expect([op, e.ok ? 'ok' : e.error.code]).toEqual([op, 'VALIDATION']);
    }
  });

  it("refuses an IIN or BIN that passes the check digit but breaks a rule with that rule's own code", async () => {
    await stack.ok('auth.login', { login: 'operator', password: 'operator123' });
    // Each number has a right check digit; what is wrong is what its digits say.
    const cases: [string, 'iin' | 'bin', string][] = [
      ['IDN_CHECKSUM', 'iin', '850315300129'],
      ['IIN_DATE_INVALID', 'iin', '850230300017'], // 30 February
      ['IIN_DATE_FUTURE', 'iin', '991231600012'], // born 31.12.2099
      ['IIN_CENTURY_DIGIT', 'iin', '850315700014'],
      ['BIN_DATE_INVALID', 'bin', '041340001236'], // month 13
      ['BIN_ENTITY_TYPE', 'bin', '040370001237'],
      ['BIN_DIVISION', 'bin', '040349001232'],
    ];
    for (const [code, kind, number] of cases) {
      expect(idnErrorCode(kind, number), number).toBe(code);
      const lookup = await stack.api('applicant.lookup', { kind, number });
      expect([number, lookup.ok ? 'ok' : lookup.error.code]).toEqual([number, code]);
      if (!lookup.ok) expect(lookup.error.fields).toEqual(['number']);
      const create = await stack.api('request.create', { serviceId: 'emission-permit-almaty', subServiceId: 'cat-3', applicant: { kind, number, manualName: 'Тест Тестов' } });
      expect([number, create.ok ? 'ok' : create.error.code]).toEqual([number, code]);
      const search = await stack.api('request.search', { applicant: { kind, number } });
      expect([number, search.ok ? 'ok' : search.error.code]).toEqual([number, code]);
    }
    const rep = await stack.api('request.setRepresentative', {
      requestId: id,
      representative: { iin: '991231600012', name: 'Өкіл Өкілұлы', powerOfAttorney: { number: '1', date: '2025-01-10', notary: null } },
    });
    expect(rep.ok ? 'ok' : [rep.error.code, rep.error.fields]).toEqual(['IIN_DATE_FUTURE', ['representative.iin']]);
    // A valid number still reaches the registry.
    const found = await stack.api('applicant.lookup', { kind: 'iin', number: '900702400457' });
    expect(found.ok).toBe(true);
    await stack.ok('auth.logout');
  });

  it('rejects an operation that is not in the contract', async () => {
    const e = await stack.raw('fs.readFile', { path: '/etc/passwd' });
    expect(e.ok ? 'ok' : e.error.code).toBe('UNKNOWN_OPERATION');
  });

  it('declares typed error codes and a summary for every operation', () => {
    for (const op of OP_NAMES) {
      const d = operations[op];
      expect(d.summary.length, op).toBeGreaterThan(10);
      for (const code of d.errors) expect(code, op).toMatch(/^[A-Z][A-Z0-9_]+$/);
    }
  });
});
