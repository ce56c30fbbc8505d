/** Every migration, in order. Add a new file NNN_name.ts and list it here; never edit an old one. */
import type { Migration } from '../migrate.js';
import { migration001 } from './001_initial.js';
import { migration002 } from './002_model.js';
import { migration003 } from './003_audit.js';
import { migration004 } from './004_status_counts.js';
import { migration005 } from './005_document_pdfs.js';
import { migration006 } from './006_accounts.js';
import { migration007 } from './007_poa_exception.js';
import { migration008 } from './008_step_events.js';
import { migration009 } from './009_counter_refusals.js';
import { migration010 } from './010_step_claims.js';
import { migration011 } from './011_report_speed.js';
import { migration012 } from './012_applicant_language_skew.js';
import { migration013 } from './013_step_refusal_index.js';
import { migration014 } from './014_step_report_mark.js';
import { migration015 } from './015_step_event_ids.js';
import { migration016 } from './016_step_event_chain.js';
import { migration017 } from './017_requests_due_condition.js';

export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008, migration009, migration010, migration011, migration012, migration013, migration014, migration015, migration016, migration017];
