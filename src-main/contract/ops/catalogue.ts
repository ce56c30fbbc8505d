/** The service catalogue: the operations of this domain (composed in ../operations.ts). */
import { z } from 'zod';
import { operation } from '../define.js';
import { OfferedService } from '../model.js';
import { Empty } from './shared.js';

export const catalogueOps = {
  'catalog.services': operation({
    access: 'operator',
    summary: 'P2: the services with sub-services, checklists, their act and whether it is in force today; training: practice data.',
    input: Empty,
    output: z.strictObject({ services: z.array(OfferedService), training: z.boolean() }),
  }),

} as const;
