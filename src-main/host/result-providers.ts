/**
 * The providers' result-signing trust, read from the file `signing.resultProvidersFile` names (a
 * locked setting: only the machine-wide configuration may point at it). One entry per provider:
 * the services whose results it signs, its own trust roots (and intermediates), and what its
 * signer's certificate must carry. Paths are relative to the file's folder. A wrong file stops the
 * start with the setting named (ConfigError), never a silently weaker check.
 *
 * {
 *   "providers": [{
 *     "id": "almaty-nature",
 *     "services": ["emission-permit-almaty", "eco-expertise-almaty"],
 *     "trustRootsFile": "almaty-nature-root.pem",
 *     "intermediatesFile": "almaty-nature-ca.pem",
 *     "expect": { "bin": "150240012347", "extendedKeyUsage": ["1.3.6.1.5.5.7.3.4"], "policies": ["1.2.398.3.3.4.1.2"] }
 *   }]
 * }
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import type { ResultProvider } from '../sign/index.js';
import { ConfigError } from './config.js';

const KEY = 'signing.resultProvidersFile';
const Oid = z.string().regex(/^\d+(\.\d+)+$/, 'an OID (1.2.3…)');

const ProvidersFile = z.strictObject({
  providers: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/),
        services: z.array(z.string().min(1)).min(1),
        trustRootsFile: z.string().min(1),
        intermediatesFile: z.string().min(1).optional(),
        expect: z
          .strictObject({
            bin: z.string().regex(/^\d{12}$/).optional(),
            extendedKeyUsage: z.array(Oid).min(1).optional(),
            policies: z.array(Oid).min(1).optional(),
          })
          .refine((e) => e.bin !== undefined || e.extendedKeyUsage !== undefined || e.policies !== undefined, 'needs a bin, extendedKeyUsage or policies'),
      }),
    )
    .min(1),
});

export function readResultProviders(file: string): ResultProvider[] {
  const fail = (why: string): never => {
    throw new ConfigError('configuration', KEY, `${file}: ${why}`);
  };
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  } catch (e) {
    return fail(`cannot be read as JSON (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const parsed = ProvidersFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return fail(`${issue.path.join('.')}: ${issue.message}`);
  }
  const seen = new Map<string, string>();
  const pem = (rel: string, what: string): string => {
    try {
      return readFileSync(resolve(dirname(file), rel), 'utf8');
    } catch (e) {
      return fail(`${what} ${rel} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
  };
  return parsed.data.providers.map((p) => {
    for (const s of p.services) {
      const other = seen.get(s);
      if (other) fail(`service ${s} is listed under both ${other} and ${p.id}`);
      seen.set(s, p.id);
    }
    return {
      id: p.id,
      services: p.services,
      trustRoots: [pem(p.trustRootsFile, 'trustRootsFile')],
      intermediates: p.intermediatesFile ? [pem(p.intermediatesFile, 'intermediatesFile')] : [],
      expect: p.expect,
    };
  });
}
