/** The workstation itself: the operations of this domain (composed in ../operations.ts). */
import { z } from 'zod';
import { operation } from '../define.js';
import { Language, LocalizedText } from '../model.js';
import { Empty } from './shared.js';

export const appOps = {
  'app.info': operation({
    access: 'public',
    summary: 'What this workstation is: version, shell, Centre, default language, kiosk mode.',
    input: Empty,
    output: z.strictObject({
      version: z.string(),
      shell: z.enum(['electron', 'browser']),
      defaultLanguage: Language,
      kiosk: z.boolean(),
      workstationId: z.string(),
      centre: z.strictObject({ code: z.string(), bin: z.string(), name: LocalizedText }),
      /** No account exists yet: the first administrator must be created (auth.bootstrap). */
      firstRun: z.boolean(),
    }),
  }),

} as const;
