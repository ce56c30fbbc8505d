/** The service catalogue: the operations of this domain (composed in ../operations.ts). */
import { z } from 'zod';
import { operation } from '../define.js';
import { Service } from '../model.js';
import { Empty } from './shared.js';

export const catalogueOps = {
  'catalog.services': operation({
    access: 'operator',
    summary: 'P2: the services the Centre accepts, with sub-services and document checklists.',
    input: Empty,
    output: z.strictObject({ services: z.array(Service) }),
  }),

} as const;
