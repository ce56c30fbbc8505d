/**
 * The provider's result (P9): a permit PDF made with pdf-lib and its detached CMS signature made
 * with `openssl cms -sign` and the provider's test key (the test PKI's provider/signer).
 *
 * Kazakh text needs a font with the Kazakh letters (ә ғ қ ң ө ұ ү һ і). The sandbox uses a system
 * font (DejaVu Sans from Debian's fonts-dejavu-core; it is not shipped with the app). Without one
 * it writes the permit with the PDF standard font in English only, and says so in its log.
 */
import fontkit from '@pdf-lib/fontkit';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFDocument, StandardFonts, rgb, type PDFFont } from 'pdf-lib';

export interface ProviderKey {
  certFile: string;
  keyFile: string;
  /** Intermediates (and root) to put into the CMS. */
  chainFile?: string;
}

export interface Localized {
  kk: string;
  ru: string;
  en: string;
}

export interface ServiceInfo {
  name: Localized;
  provider: Localized;
  resultType: Localized;
}

export const FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/TTF/DejaVuSans.ttf',
  '/usr/local/share/fonts/DejaVuSans.ttf',
];

export function findKazakhFont(): string | null {
  return FONT_CANDIDATES.find((f) => existsSync(f)) ?? null;
}

/** Service names, providers and result types from the app's catalogue, by service id. */
export function loadCatalogue(file?: string): Map<string, ServiceInfo> {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = file ? [file] : [join(here, '..', 'assets', 'catalog', 'services.json'), join(here, '..', '..', 'assets', 'catalog', 'services.json')];
  const found = candidates.find((f) => existsSync(f));
  const out = new Map<string, ServiceInfo>();
  if (!found) return out;
  const data = JSON.parse(readFileSync(found, 'utf8')) as { services?: ({ id: string } & ServiceInfo)[] };
  for (const s of data.services ?? []) out.set(s.id, { name: s.name, provider: s.provider, resultType: s.resultType });
  return out;
}

export interface PermitInput {
  registrationNumber: string;
  serviceId: string;
  service: ServiceInfo | null;
  applicant: { kind: 'iin' | 'bin'; number: string; name: string };
  decidedAt: Date;
}

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (line && font.widthOfTextAtSize(next, size) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

export async function permitPdf(input: PermitInput, fontFile: string | null): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`${input.registrationNumber}`);
  pdf.setProducer('Qabyldau sandbox licensing backend');
  pdf.setCreationDate(input.decidedAt);
  pdf.setModificationDate(input.decidedAt);
  let font: PDFFont;
  const kazakh = fontFile !== null;
  if (fontFile) {
    pdf.registerFontkit(fontkit);
    font = await pdf.embedFont(readFileSync(fontFile), { subset: true });
  } else {
    font = await pdf.embedFont(StandardFonts.Helvetica);
  }
  const page = pdf.addPage([595.28, 841.89]);
  const left = 56;
  const width = 595.28 - 2 * left;
  let y = 780;
  const say = (text: string, size = 11, gap = 4) => {
    for (const l of wrap(text, font, size, width)) {
      page.drawText(l, { x: left, y, size, font, color: rgb(0.1, 0.1, 0.1) });
      y -= size + gap;
    }
  };
  const s = input.service;
  const date = input.decidedAt.toISOString().slice(0, 10);
  const idLabel = input.applicant.kind === 'iin' ? 'IIN' : 'BIN';
  if (kazakh) {
    say('Қазақстан Республикасы / Республика Казахстан', 10);
    y -= 12;
    say(`${(s?.resultType.kk ?? 'Рұқсат').toUpperCase()} / ${(s?.resultType.ru ?? 'Разрешение').toUpperCase()}`, 20, 8);
    y -= 8;
    say(`Тіркеу нөмірі / Регистрационный номер: ${input.registrationNumber}`, 12);
    say(`Берілген күні / Дата выдачи: ${date}`, 12);
    y -= 8;
    say(`Қызмет / Услуга: ${s?.name.kk ?? input.serviceId}`);
    if (s) say(s.name.ru);
    y -= 8;
    say(`Алушы / Получатель: ${input.applicant.name}, ${input.applicant.kind === 'iin' ? 'ЖСН/ИИН' : 'БСН/БИН'} ${input.applicant.number}`);
    if (s) say(`Қызмет беруші / Услугодатель: ${s.provider.kk}`);
  } else {
    say('Republic of Kazakhstan', 10);
    y -= 12;
    say((s?.resultType.en ?? 'Permit').toUpperCase(), 20, 8);
    y -= 8;
    say(`Registration number: ${input.registrationNumber}`, 12);
    say(`Issued: ${date}`, 12);
    say(`Service: ${s?.name.en ?? input.serviceId}`);
    say(`Applicant ${idLabel}: ${input.applicant.number}`);
    if (s) say(`Provider: ${s.provider.en}`);
  }
  y -= 24;
  say('SANDBOX: a test document made by the Qabyldau sandbox backend; it has no legal force.', 9);
  return Buffer.from(await pdf.save({ useObjectStreams: false }));
}

function openssl(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('openssl', args, { timeout: 20_000 }, (err, _o, stderr) => (err ? reject(new Error(`openssl cms -sign failed: ${String(stderr)}`)) : resolve()));
  });
}

/** Detached CMS (DER) over `data`, signed with the provider's key by openssl. */
export async function signDetachedWithOpenssl(data: Buffer, key: ProviderKey): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'sbx-sign-'));
  try {
    await writeFile(join(dir, 'd'), data);
    await openssl([
      'cms', '-sign', '-binary', '-md', 'sha256', '-in', join(dir, 'd'), '-signer', key.certFile, '-inkey', key.keyFile,
      ...(key.chainFile ? ['-certfile', key.chainFile] : []), '-outform', 'DER', '-out', join(dir, 'c'),
    ]);
    return await readFile(join(dir, 'c'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function issuePermit(input: PermitInput, key: ProviderKey, fontFile: string | null): Promise<{ pdf: Buffer; cms: Buffer; sha256: string }> {
  const pdf = await permitPdf(input, fontFile);
  const cms = await signDetachedWithOpenssl(pdf, key);
  return { pdf, cms, sha256: createHash('sha256').update(pdf).digest('hex') };
}
