/** Where the configuration files are on each platform, and the built-in defaults (the first layer). */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Config } from './config-schema.js';

export interface ConfigPaths {
  machine: string;
  user: string;
}

export type Env = Record<string, string | undefined>;

/** Where the configuration files are on this platform (overridable for tests and packaging). */
export function configPaths(env: Env = process.env, platform: NodeJS.Platform = process.platform): ConfigPaths {
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  if (platform === 'win32') {
    const programData = env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData';
    const appData = env.APPDATA ?? join(home, 'AppData', 'Roaming');
    return {
      machine: env.QABYLDAU_MACHINE_CONFIG ?? join(programData, 'Qabyldau', 'config.json'),
      user: env.QABYLDAU_USER_CONFIG ?? join(appData, 'Qabyldau', 'config.json'),
    };
  }
  const xdgConfig = env.XDG_CONFIG_HOME ?? join(home, '.config');
  return {
    machine: env.QABYLDAU_MACHINE_CONFIG ?? '/etc/qabyldau/config.json',
    user: env.QABYLDAU_USER_CONFIG ?? join(xdgConfig, 'qabyldau', 'config.json'),
  };
}

export function defaultConfig(env: Env = process.env, platform: NodeJS.Platform = process.platform): Config {
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  const dataDir =
    platform === 'win32'
      ? join(env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData', 'Qabyldau', 'data')
      : join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'qabyldau');
  return {
    dataDir,
    language: 'kk',
    kiosk: false,
    workstationId: 'W01',
    centre: {
      code: 'ALM-01',
      bin: '040340001233',
      name: {
        kk: 'ХҚКО Алматы қ. Алмалы ауданы бөлімі',
        ru: 'ЦОН Алмалинского района г. Алматы',
        en: 'Public Service Centre, Almaly district, Almaty',
      },
      address: {
        kk: 'Алматы қ., Әйтеке би к-сі, 100',
        ru: 'г. Алматы, ул. Айтеке би, 100',
        en: '100 Aiteke Bi St, Almaty',
      },
    },
    backend: {
      url: 'https://127.0.0.1:8787',
      caFile: null,
      timeoutMs: 15_000,
      clientCertFile: null,
      clientKeyFile: null,
      clientPkcs12File: null,
      clientKeyPasswordFile: null,
      uploadChunkKiB: 1024,
    },
    scanner: { mode: 'auto', device: null, skipBlankPages: true, testDeviceReadDelayUs: 0, escl: { scanners: [], discovery: true, timeoutMs: 30_000, pinned: [] } },
    signing: {
      provider: 'pkcs12',
      keystoreFile: null,
      trustRootsFile: null,
      intermediatesFile: null,
      resultTrustRootsFile: null,
      resultProvidersFile: null,
      revocation: { mode: 'online', ocsp: true, crlGraceHours: 24, timeoutMs: 5000 },
      ncalayer: { url: 'wss://127.0.0.1:13579', certFile: null },
    },
    auth: { seedDemoAccounts: false, idleTimeoutMinutes: 30, maxFailedLogins: 5 },
    sync: { intervalSeconds: 10, concurrency: 2, maxBackoffSeconds: 300, maxPauseSeconds: 60 },
    backup: { intervalHours: 24, keep: 7, dir: null },
    retention: { days: 365 },
    browserHost: { port: 0 },
    log: { level: 'info', maxFileSizeMb: 10, maxFiles: 10 },
  };
}

