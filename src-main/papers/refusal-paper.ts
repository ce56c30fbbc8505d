/**
 * The refusal at the counter, on its ground: the refusal to accept an incomplete package or
 * documents whose validity has expired (a receipt listing them), and P4, the reasoned refusal
 * when the applicant's data cannot be obtained from the state registry (with the contact route,
 * 1414). Names the ground and its legal basis (the act and paragraph). One PDF/A-2b page in the
 * applicant's language, laid out like the other counter papers.
 */
import type { TextStyle } from './layout.js';
import {
  BODY,
  type Common,
  dateTime,
  documentRows,
  finish,
  header,
  kvTable,
  numberedTable,
  type PaperOptions,
  pick,
  sectionHeading,
  signatures,
  startPaper,
  title,
  validate,
} from './counter-papers.js';
import { REFUSAL_TEXTS } from './refusal-texts.js';
import { PAPER_TEXTS } from './texts.js';
import { type RefusalNoticeInput, refusalNoticeInputSchema } from './types.js';

export async function renderRefusalNotice(raw: RefusalNoticeInput, opts: PaperOptions = {}): Promise<Uint8Array> {
  const input = validate(refusalNoticeInputSchema, raw);
  const lang = input.language;
  const r = REFUSAL_TEXTS[lang];
  const ground = input.ground;
  const number = input.localNumber ?? '';
  const heading = `${r.title[ground]} ${r.subtitle[ground]}${number ? ` № ${number}` : ''}`;
  const name = input.applicant.name ?? r.nameUnknown;
  // The common header rows need a name; an applicant the registry does not know has none.
  const common: Common = { ...input, applicant: { ...input.applicant, name } };
  const { paper: p, t, doc } = await startPaper(
    { title: heading, requestNumber: number || (input.refusalId ?? ''), documentType: ground === 'data_unavailable' ? 'reasoned_refusal' : 'refusal_notice', createdAt: input.refusedAt },
    common,
    opts,
  );
  header(p, t, common, input.localNumber ?? null);
  title(p, r.title[ground], r.subtitle[ground]);
  p.continuation = heading;
  const t0 = PAPER_TEXTS[lang];
  const applicantName = typeof name === 'string' ? name : pick(name, lang);
  const rows: [string, string, Partial<TextStyle>?][] = [
    ...(input.localNumber ? [[r.number, input.localNumber, { bold: true }] as [string, string, Partial<TextStyle>]] : []),
    ...(input.refusalId ? [[r.refusalId, input.refusalId] as [string, string]] : []),
    [t0.refusedAt, dateTime(input.refusedAt, lang)],
    [t0.operator, input.operatorName],
    [t0.applicant, `${applicantName} (${input.applicant.kind === 'individual' ? t0.applicantIndividual : t0.applicantLegalEntity})`, { bold: true }],
    [input.applicant.kind === 'individual' ? t0.iin : t0.bin, input.applicant.iinOrBin],
    [t0.service, pick(input.service, lang)],
    ...(input.subService ? [[t0.subService, pick(input.subService, lang)] as [string, string]] : []),
    [r.ground, r.groundText[ground], { bold: true }],
  ];
  kvTable(p, rows);
  p.gap(12);
  p.paragraph(r.body[ground](pick(input.service, lang), input.registry ? r.registry[input.registry] : ''), { size: 10 }, { after: 2 });
  if (ground === 'data_unavailable' && input.stage === 'sending') p.paragraph(r.atSending, BODY, { after: 2 });

  if (ground !== 'data_unavailable') {
    sectionHeading(p, r.documents[ground]);
    numberedTable(p, [t0.colNo, t0.colDocument], [], input.missingDocuments.map((d) => [{ text: pick(d, lang), style: { bold: true } }]));
    if (input.presentedDocuments?.length) {
      sectionHeading(p, t0.presentedDocuments);
      numberedTable(p, [t0.colNo, t0.colDocument, t0.colForm, t0.colPages], [92, 64], documentRows(input.presentedDocuments, t0, lang));
    }
  }
  if (input.basis?.length) {
    sectionHeading(p, r.basis);
    for (const b of input.basis) p.paragraph(pick(b, lang), { size: 8.5 }, { after: 2 });
  }
  p.gap(10);
  p.paragraph(ground === 'data_unavailable' ? r.contactP4 : t0.refusalReturn, BODY);
  p.gap(4);
  p.paragraph(t0.statusCheckDefault, { size: 8.5, gray: 0.3 });
  signatures(p, t, [t0.signOperator, input.operatorName], [t0.signApplicantRefusal, typeof name === 'string' ? name : pick(name, lang)]);
  return finish(p, t, doc, input.printedAt ?? opts.now?.() ?? new Date(), lang);
}
