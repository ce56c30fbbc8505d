/**
 * Real servers for the revocation tests: an HTTP server that publishes the test CA's CRL at the URL
 * written in the operator certificates, and `openssl ocsp` as a real OCSP responder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';

export interface CrlServer {
  hits: number;
  close(): Promise<void>;
}

/** Serves <pki>/crl/intermediate.crl.der at /crl/intermediate.crl on 127.0.0.1:port. */
export async function startCrlServer(pki: string, port: number): Promise<CrlServer> {
  const der = readFileSync(join(pki, 'crl/intermediate.crl.der'));
  const state = { hits: 0 };
  const server: Server = createServer((req, res) => {
    if (req.url === '/crl/intermediate.crl') {
      state.hits++;
      res.writeHead(200, { 'content-type': 'application/pkix-crl' }).end(der);
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    get hits() {
      return state.hits;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface OcspResponder {
  stop(): Promise<void>;
}

/** Starts `openssl ocsp` answering from the test CA's database with the delegated responder key. */
export async function startOcspResponder(pki: string, port: number): Promise<OcspResponder> {
  const child: ChildProcess = spawn(
    'openssl',
    [
      'ocsp',
      '-index', join(pki, 'ca/index.txt'),
      '-port', String(port),
      '-rsigner', join(pki, 'ocsp/ocsp.pem'),
      '-rkey', join(pki, 'ocsp/ocsp.key.pem'),
      '-CA', join(pki, 'ca/intermediate.pem'),
      '-ndays', '1',
      '-ignore_err',
    ],
    { stdio: 'ignore' },
  );
  await waitForPort(port, 5000);
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
