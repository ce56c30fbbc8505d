/**
 * Shared start-up for both shells: load the configuration (a ConfigError stops the start with a
 * message naming the file and key), open the logs, build the host.
 */
import { ConfigError, configPaths, loadConfig, type LoadedConfig } from './config.js';
import { createHost, type Host, type HostOptions } from './host.js';
import { mapFsError } from '../files/content-store.js';
import { isKeyStartError, keyStartMessage } from './key-start-messages.js';
import { createLogger, type HostLogger } from './logger.js';

export interface Started {
  loaded: LoadedConfig;
  logger: HostLogger;
  host: Host;
}

export async function startHost(
  shell: 'electron' | 'browser',
  extra: Omit<HostOptions, 'config' | 'shell' | 'log'> = {},
  env: Record<string, string | undefined> = process.env,
): Promise<Started> {
  const loaded = loadConfig({ env });
  const { config } = loaded;
  // The logs open first: a read-only or full data disk is reported here as clearly as by the store.
  const logger = await createLogger({
    dataDir: config.dataDir,
    level: config.log.level,
    maxFileSizeMb: config.log.maxFileSizeMb,
    maxFiles: config.log.maxFiles,
  }).catch((e: unknown) => {
    throw mapFsError(e);
  });
  logger.logger.info({ sources: loaded.sources }, 'configuration loaded');
  const host = await createHost({
    config,
    shell,
    log: logger.logger,
    provenance: loaded.provenance,
    configSources: loaded.sources,
    userConfigFile: configPaths(env).user,
    ...extra,
  });
  return { loaded, logger, host };
}

export function describeStartError(e: unknown): string {
  if (e instanceof ConfigError) return e.message;
  const code = (e as { code?: string }).code;
  // Keys, encryption, the data folder's rights: told in kk/ru/en, with "call the administrator".
  if (isKeyStartError(code)) return keyStartMessage(code!, (e as { params?: Record<string, string | number | boolean> }).params);
  if (code === 'STORAGE_READ_ONLY') return 'The data directory is read-only: check its permissions or the dataDir setting.';
  if (code === 'STORAGE_DISK_FULL') return 'The disk holding the data directory is full: free some space and start again.';
  if (code === 'STORAGE_LOCKED') return 'The database is locked by another process: is Qabyldau already running?';
  if (code === 'STORAGE_IN_USE') return 'The data directory is in use by another Qabyldau or an administrator\'s command: close it and start again.';
  if (code === 'STORAGE_CORRUPT') {
    const p = (e as { params?: { backup?: string; backupAt?: string; command?: string } }).params ?? {};
    return p.backup
      ? `The database file is damaged. The newest backup is ${p.backup} (${p.backupAt}). With Qabyldau closed, an administrator restores it with: ${p.command} (the damaged file is kept; see docs/operations.md).`
      : 'The database file is damaged and there is no backup to restore: see docs/operations.md, "Recovery from corruption".';
  }
  return `Qabyldau could not start: ${e instanceof Error ? e.message : String(e)}`;
}
