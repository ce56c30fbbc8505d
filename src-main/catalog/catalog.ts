/**
 * The service catalogue: services, sub-services, document checklists and deadlines, loaded from a
 * data file (assets/catalog/services.json, or an administrator's copy) and validated at start.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AppError } from '../contract/errors.js';
import { Service } from '../contract/model.js';

const CatalogFile = z.strictObject({
  $comment: z.string().optional(),
  version: z.number().int().positive(),
  services: z.array(Service).min(1),
});

export class Catalog {
  private readonly byId: Map<string, Service>;

  constructor(readonly services: readonly Service[]) {
    this.byId = new Map(services.map((s) => [s.id, s]));
    for (const s of services) {
      const slotIds = new Set<string>();
      for (const d of s.documents) {
        if (slotIds.has(d.id)) throw new Error(`catalogue: service ${s.id} lists document ${d.id} twice`);
        slotIds.add(d.id);
      }
    }
    if (this.byId.size !== services.length) throw new Error('catalogue: duplicate service id');
  }

  static load(file: string): Catalog {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new Error(`catalogue ${file} cannot be read: ${(e as Error).message}`, { cause: e });
    }
    const parsed = CatalogFile.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`catalogue ${file}: ${issue.path.join('.')}: ${issue.message}`);
    }
    return new Catalog(parsed.data.services);
  }

  get(serviceId: string): Service {
    const s = this.byId.get(serviceId);
    if (!s) throw new AppError('CATALOG_UNKNOWN_SERVICE');
    return s;
  }

  /** The service and sub-service a counter may accept, or a typed refusal. */
  acceptable(serviceId: string, subServiceId: string | null): { service: Service; subServiceId: string | null } {
    const service = this.get(serviceId);
    if (!service.centreChannel) throw new AppError('CATALOG_NOT_AT_CENTRE');
    if (service.subServices.length === 0) return { service, subServiceId: null };
    const sub = service.subServices.find((x) => x.id === subServiceId);
    if (!sub) throw new AppError('CATALOG_UNKNOWN_SERVICE');
    return { service, subServiceId: sub.id };
  }
}
