// pino-roll ships no typings; this declares the part we use (build(options) => SonicBoom stream).
declare module 'pino-roll' {
  import type { Writable } from 'node:stream';
  interface PinoRollOptions {
    file: string | (() => string);
    size?: string | number;
    frequency?: 'daily' | 'hourly' | number;
    extension?: string;
    symlink?: boolean;
    mkdir?: boolean;
    limit?: { count?: number; removeOtherLogFiles?: boolean };
    dateFormat?: string;
  }
  type RollStream = Writable & { flushSync?: () => void };
  export default function build(options: PinoRollOptions): Promise<RollStream>;
}
