/**
 * Real servers for the revocation tests: an HTTP server that publishes the test CA's CRL at the URL
 * written in the operator certificates, and `openssl ocsp` as a real OCSP responder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
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
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // Wait for openssl to say it listens. (Probing the port with a bare TCP connection would hang
  // this single-threaded responder on a request that never comes.)
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`openssl ocsp did not start: ${seen}`)), 5000);
    const onData = (b: Buffer) => {
      seen += b.toString();
      if (/ACCEPT|waiting for OCSP client/.test(seen)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`openssl ocsp exited (${code ?? 'signal'}): ${seen}`)));
  });
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
