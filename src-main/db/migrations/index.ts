/** Every migration, in order. Add a new file NNN_name.ts and list it here; never edit an old one. */
import type { Migration } from '../migrate.js';
import { migration001 } from './001_initial.js';

export const MIGRATIONS: readonly Migration[] = [migration001];
