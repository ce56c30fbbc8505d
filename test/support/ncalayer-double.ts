/**
 * A protocol double of NCALayer (the real one is a Java desktop application that cannot run here).
 * It speaks NCALayer's WebSocket protocol over wss with a self-signed certificate: greets with its
 * version, answers kz.gov.pki.knca.basics `sign` requests, and can be told to sign, to behave as if
 * the user cancelled, to fail, or to drop the connection. Signing is done by `openssl cms -sign`
 * with a test key, so what the client receives is a real CMS made by a signer that is not ours.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';

export type NcaLayerDoubleBehaviour = 'sign' | 'cancel' | 'fail' | 'close';

export interface NcaLayerDoubleSigner {
  cert: string;
  key: string;
  chain: string;
}

export interface NcaLayerDouble {
  url: string;
  /** The double's self-signed TLS certificate (PEM), to pin. */
  tlsCert: string;
  /** Every JSON request received, in order. */
  requests: Array<Record<string, unknown>>;
  behaviour: NcaLayerDoubleBehaviour;
  signer: NcaLayerDoubleSigner;
  /**
   * Serves a new self-signed certificate from now on, on the same port (as after NCALayer is
   * reinstalled, or when another program answers on its port); returns it (PEM).
   */
  replaceCertificate(): string;
  close(): Promise<void>;
}

function selfSigned(dir: string, name: string): { cert: string; key: Buffer } {
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.pem`), '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
  ], { stdio: 'pipe' });
  return { cert: readFileSync(join(dir, `${name}.pem`), 'utf8'), key: readFileSync(join(dir, `${name}.key`)) };
}

export async function startNcaLayerDouble(signer: NcaLayerDoubleSigner, behaviour: NcaLayerDoubleBehaviour = 'sign'): Promise<NcaLayerDouble> {
  const dir = mkdtempSync(join(tmpdir(), 'ncalayer-double-'));
  const first = selfSigned(dir, 'tls');
  const tlsCert = first.cert;
  const server: Server = createServer({ cert: tlsCert, key: first.key });
  let generation = 0;
  const wss = new WebSocketServer({ server });
  const double: NcaLayerDouble = {
    url: '',
    tlsCert,
    requests: [],
    behaviour,
    signer,
    replaceCertificate: () => {
      const next = selfSigned(dir, `tls-${++generation}`);
      server.setSecureContext({ cert: next.cert, key: next.key });
      double.tlsCert = next.cert;
      return next.cert;
    },
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    },
  };

  wss.on('connection', (ws) => {
    ws.send(JSON.stringify({ result: { version: '1.4-double' } }));
    ws.on('message', (raw: Buffer) => {
      const req = JSON.parse(raw.toString('utf8')) as { module?: string; method?: string; args?: { data?: string; format?: string } };
      double.requests.push(req);
      if (req.module !== 'kz.gov.pki.knca.basics' || req.method !== 'sign' || req.args?.format !== 'cms') {
        ws.send(JSON.stringify({ status: false, code: '404', message: 'unsupported', details: '' }));
        return;
      }
      switch (double.behaviour) {
        case 'cancel':
          ws.send(JSON.stringify({ status: true, body: {} }));
          return;
        case 'fail':
          ws.send(JSON.stringify({ status: false, code: '500', message: 'storage error', details: 'the token was removed' }));
          return;
        case 'close':
          ws.close();
          return;
        case 'sign': {
          const dataFile = join(dir, 'data.bin');
          writeFileSync(dataFile, Buffer.from(req.args.data ?? '', 'base64'));
          const cms = execFileSync('openssl', [
            'cms', '-sign', '-binary', '-md', 'sha256', '-in', dataFile, '-outform', 'DER',
            '-signer', double.signer.cert, '-inkey', double.signer.key, '-certfile', double.signer.chain,
          ]);
          ws.send(JSON.stringify({ status: true, body: { result: [cms.toString('base64')] } }));
          return;
        }
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  double.url = `wss://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return double;
}
