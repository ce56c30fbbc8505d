/** Workstation settings: the operations of this domain (composed in ../operations.ts). */
import { z } from 'zod';
import { operation } from '../define.js';
import { Empty, Ok } from './shared.js';

export const settingsOps = {
  'settings.get': operation({
    access: 'operator',
    summary: 'The workstation settings an operator may see: signing, scanner, where the configuration came from.',
    input: Empty,
    output: z.strictObject({
      signing: z.strictObject({
        provider: z.enum(['pkcs12', 'ncalayer']),
        keystoreConfigured: z.boolean(),
        trustConfigured: z.boolean(),
        ncalayerUrl: z.string(),
        /** Set when the provider comes from a machine file or the environment, which the UI cannot change. */
        providerLockedBy: z.string().nullable(),
      }),
      scanner: z.strictObject({ available: z.boolean(), reason: z.string().nullable() }),
      version: z.string(),
      workstationId: z.string(),
      configSources: z.array(z.string()),
    }),
  }),
  'settings.setSigningProvider': operation({
    access: 'admin',
    summary: 'An administrator chooses how this workstation signs: a PKCS#12 key file or NCALayer (tokens, ID cards).',
    input: z.strictObject({ provider: z.enum(['pkcs12', 'ncalayer']) }),
    output: Ok,
    errors: ['SETTINGS_LOCKED', 'STORAGE_READ_ONLY'],
  }),
} as const;
