/** Workstation settings: the operations of this domain (composed in ../operations.ts). */
import { z } from 'zod';
import { operation } from '../define.js';
import { Empty, Ok } from './shared.js';

const NcaLayerCert = z.strictObject({ sha256: z.string(), subject: z.string(), issuer: z.string(), validFrom: z.string(), validTo: z.string() });

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
  'settings.ncalayerCertificate': operation({
    access: 'admin',
    summary: "The TLS certificate NCALayer presents now and the one an administrator accepted (pinned on first use).",
    input: Empty,
    output: z.strictObject({
      url: z.string(),
      /** 'configured': pinned by a CA file in the machine configuration (signing.ncalayer.certFile). */
      state: z.enum(['pinned', 'not_pinned', 'changed', 'not_running', 'configured']),
      presented: NcaLayerCert.nullable(),
      pinned: NcaLayerCert.extend({ pinnedAt: z.string(), pinnedBy: z.string() }).nullable(),
    }),
  }),
  'settings.trustNcalayerCertificate': operation({
    access: 'admin',
    summary: 'An administrator accepts the certificate NCALayer presents (the SHA-256 they were shown): signing through NCALayer is allowed with it.',
    input: z.strictObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
    output: Ok,
    errors: ['SIGN_NCALAYER_CERT_CHANGED', 'SIGN_NCALAYER_NOT_RUNNING'],
  }),
} as const;
