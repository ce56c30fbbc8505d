/** P6: the operator signs the request (it then waits in the queue), and checks a key without signing. */
import { signAndQueue } from '../../requests/signing.js';
import { slotPdfAssembler } from '../../requests/document-pdfs.js';
import { operatorOf, type DomainHandlers, type HostServices } from './services.js';

export const signingHandlers = ({ config, requests, signing, docs, files, sync, now }: HostServices) =>
  ({
    'request.sign': async ({ requestId, password }, ctx) => {
      const o = operatorOf(ctx);
      const detail = await signAndQueue(requests, signing.signer, requestId, password, {
        operator: { id: o.id, iin: o.iin, fullName: o.fullName },
        centre: { code: config.centre.code, bin: config.centre.bin, name: config.centre.name.kk, workstationId: config.workstationId },
        now,
        log: ctx.log,
        assemble: slotPdfAssembler({ docs, files, operatorName: o.fullName, now }),
      });
      sync.kick();
      return detail;
    },
    'sign.keystoreInfo': ({ password }, ctx) => signing.keystoreInfo(password, operatorOf(ctx).iin),
  }) satisfies DomainHandlers;
