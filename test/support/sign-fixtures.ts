/** A request manifest with Kazakh text, a representative and three documents. */
import type { ManifestInput } from '../../src-main/sign/index.js';

export const sampleManifest = (): ManifestInput => ({
  requestId: 'req-0001',
  service: { id: 'scrap-metal-licence', subService: 'issue' },
  applicant: { kind: 'bin', number: '150240012347', name: 'ЖШС «Темір-Сервис»' },
  representative: { iin: '900702400457', name: 'Әлиев Нұрлан', powerOfAttorney: { number: '12-345', date: '2026-10-01', notary: null } },
  form: { address: 'Алматы қ., Абай даңғылы 10', employees: 12, share: 0.5, licensed: false, zones: ['A', 'B'] },
  operator: { id: 'operator', iin: '850315300128', name: 'Омаров Ерлан Серікұлы' },
  centre: { code: 'ALM-01', bin: '040340001233', name: 'ХҚКО Алматы қ. Алмалы ауданы бөлімі' },
  times: { createdAt: '2026-11-23T09:00:00.000Z', signedAt: '2026-11-23T09:30:00.000Z' },
  documents: [
    { slot: 'statement', index: 0, sha256: 'b'.repeat(64), size: 2048, mediaType: 'application/pdf' },
    { slot: 'charter', index: 1, sha256: 'a'.repeat(64), size: 100, mediaType: 'image/jpeg' },
    { slot: 'charter', index: 0, sha256: 'c'.repeat(64), size: 99, mediaType: 'image/jpeg' },
  ],
});

