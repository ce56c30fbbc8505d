/**
 * The at-rest crash test's child: the one-time encryption of a clear data folder (`migrate`), or a
 * key rotation (`rotate`), killed by the parent with SIGKILL at a random moment.
 *
 *   node at-rest-child.js migrate|rotate <dataDir>
 */
import { writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileSealer } from '../../../src-main/crypto/keyring.js';
import { keyDirOf, prepareAtRest, rotateKey } from '../../../src-main/db/at-rest.js';
import { silentLogger } from '../../../src-main/host/logger-types.js';

const [mode, dataDir] = process.argv.slice(2) as [string, string];
const o = { dataDir, keyDir: keyDirOf(dataDir), backupDir: join(dataDir, 'backups'), sealer: fileSealer, log: silentLogger, now: () => new Date() };
writeSync(1, 'ready\n');
if (mode === 'migrate') await prepareAtRest(o);
else await rotateKey(o);
writeSync(1, 'done\n');
