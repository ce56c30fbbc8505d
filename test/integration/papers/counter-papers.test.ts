import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  qrMatrix,
  qrSquare,
  renderIssuanceSheet,
  renderReceipt,
  renderRefusalNotice,
} from '../../../src-main/papers/index.js';
import { DOCS, KAZAKH_LETTERS, OPERATOR, sampleIssuance, sampleReceipt, sampleRefusal } from '../../support/docs-samples.js';
import { pdfInfo, pdfText, qpdfCheck, tool } from '../../support/pdf-tools.js';
import { rejectionOf } from '../../support/app-error.js';

/** Rendered papers are kept here for people to look at (git-ignored). */
const OUT = join(process.cwd(), 'test-results', 'papers');

beforeAll(async () => {
  await mkdir(OUT, { recursive: true });
});

async function save(name: string, pdf: Uint8Array): Promise<string> {
  const path = join(OUT, `${name}.pdf`);
  await writeFile(path, pdf);
  return path;
}

/** Renders every page to PNG next to the PDF (name-1.png, name-2.png, …). */
async function renderPng(pdfPath: string, dpi = 110): Promise<void> {
  await tool('pdftoppm', ['-r', String(dpi), '-png', pdfPath, pdfPath.replace(/\.pdf$/, '')]);
}

const errorOf = rejectionOf;

/** Saves, renders to PNG, runs qpdf and pdffonts, and returns the text. */
async function checkedPaper(name: string, pdf: Uint8Array): Promise<string> {
  const path = await save(name, pdf);
  await renderPng(path);
  expect(await qpdfCheck(path)).toContain('No syntax or stream encoding errors');
  await checkFonts(path);
  return pdfText(path);
}

async function checkFonts(path: string): Promise<void> {
  const fonts = await tool('pdffonts', [path]);
  const rows = fonts.split('\n').slice(2).filter(Boolean);
  expect(rows.length).toBe(2);
  for (const r of rows) expect(r).toMatch(/^[A-Z]{6}\+NotoSans-(Regular|Bold)\s+CID TrueType\s+Identity-H\s+yes yes yes/);
}

describe('the acceptance receipt', () => {
  it('Kazakh: every field can be read back from the PDF', async () => {
    const text = await checkedPaper('receipt-kk', await renderReceipt(sampleReceipt('kk')));
    for (const field of [
      '«"Азаматтарға арналған үкімет" мемлекеттік корпорациясы» КЕАҚ',
      'ХҚКО Алматы қ. Алмалы ауданы бөлімі', // Centre
      'Алматы қ., Алмалы ауданы, Әйтеке би көшесі, 45', // address
      'БСН: 040340001233',
      'ҚОЛХАТ',
      'ALM-01-2026-000123', // local number
      'тіркелгеннен кейін беріледі', // registration number not yet
      '2026 жылғы 18 наурыз, 10:42', // date and time in Almaty
      OPERATOR,
      '«Қазметалл-Өңдеу» ЖШС (заңды тұлға)',
      '150240012347',
      'Әбілқасымова Гүлнұр Үсенқызы, ЖСН: 900702400457', // representative
      '№ 2026-0317-ҚҰ, берілген күні 2026 жылғы 2 наурыз, жарамдылық мерзімі 2027 жылғы 2 наурыз, куәландырған: Нотариус Сәрсенбаева Һ. Қ.', // power of attorney
      'Түсті және қара металдардың сынықтары мен қалдықтарын жинауға (дайындауға), сақтауға, қайта өңдеуге және өткізуге лицензия беру',
      'Лицензияны қайта ресімдеу', // sub-service
      '1 Лицензияны қайта ресімдеуге өтініш түпнұсқа 2', // document, original, pages
      '2 Заңды тұлғаның жарғысы (көшірмесі) көшірме 14',
      'Барлығы: 4 құжат, 20 парақ',
      'Нәтижені алудың болжамды күні 2026 жылғы 6 сәуір (дүйсенбі)', // 10 working days across Nauryz 2026
      'қызмет көрсету мерзімі: 10 жұмыс күні',
      'egov.kz порталындағы «Қызмет алу тарихы» бөлімінде, ХҚКО-да немесе 1414 бірыңғай байланыс орталығына қоңырау шалу арқылы.',
      'Қолхатты алдым:',
      'Басып шығарылды: 2026 жылғы 18 наурыз, 10:43',
      '1 беттің 1-беті',
    ]) {
      expect(text).toContain(field);
    }
    expect(await pdfInfo(join(OUT, 'receipt-kk.pdf'), ['-meta'])).toContain('<pdfaid:part>2</pdfaid:part>');
  });

  it('Russian: every field can be read back from the PDF', async () => {
    const text = await checkedPaper('receipt-ru', await renderReceipt(sampleReceipt('ru')));
    for (const field of [
      'НАО «Государственная корпорация «Правительство для граждан»',
      'ЦОН г. Алматы, отдел Алмалинского района',
      'г. Алматы, Алмалинский район, ул. Айтеке би, 45',
      'БИН: 040340001233',
      'РАСПИСКА',
      'о приёме документов на оказание государственной услуги',
      'ALM-01-2026-000123',
      'присваивается после регистрации',
      '18 марта 2026 г., 10:42',
      OPERATOR,
      'ТОО «Казметалл-Өндеу» (юридическое лицо)',
      'Әбілқасымова Гүлнұр Үсенқызы, ИИН: 900702400457',
      '№ 2026-0317-ҚҰ, от 2 марта 2026 г., действительна до 2 марта 2027 г., удостоверил: Нотариус Сәрсенбаева Һ. Қ.',
      'Выдача лицензии на сбор (заготовку), хранение, переработку и реализацию лома и отходов цветных и черных металлов',
      'Переоформление лицензии',
      '3 Правоустанавливающий документ на производственное помещение копия 3',
      'Итого: 4 документа, 20 листов',
      'Ожидаемая дата получения результата 6 апреля 2026 г. (понедельник)',
      'срок оказания услуги: 10 рабочих дней, исчисляется со дня, следующего за днём регистрации',
      'по телефону Единого контакт-центра 1414',
      'Расписку получил(а):',
      'Страница 1 из 1',
    ]) {
      expect(text).toContain(field);
    }
  });

  it('English rendering exists for tests and foreign applicants', async () => {
    const path = await save('receipt-en', await renderReceipt(sampleReceipt('en')));
    expect(await qpdfCheck(path)).toContain('No syntax or stream encoding errors');
    const text = await pdfText(path);
    expect(text).toContain('RECEIPT');
    expect(text).toContain('Expected result date 6 April 2026 (Monday)');
    expect(text).toContain('service period: 10 working days, counted from the day after the request is');
    // Latin and Cyrillic look-alike letters in one paper each extract as themselves
    expect(text).toContain(`Operator ${OPERATOR}`);
    expect(text).toContain('Kazmetall-Ondeu LLP (legal entity)');
  });

  it('every Kazakh letter, lower and upper case, survives extraction in kk and ru', async () => {
    for (const language of ['kk', 'ru'] as const) {
      const input = sampleReceipt(language, {
        applicant: { kind: 'individual', name: `Тест ${KAZAKH_LETTERS}`, iinOrBin: '850315300128' },
      });
      const path = await save(`receipt-letters-${language}`, await renderReceipt(input));
      const text = await pdfText(path);
      expect(text).toContain(`Тест ${KAZAKH_LETTERS}`);
      for (const ch of KAZAKH_LETTERS) expect(text).toContain(ch);
    }
  });

  it('reprinted after registration: the number is shown and the QR code carries it', async () => {
    const input = sampleReceipt('kk', { registrationNumber: 'KZ72VEL00012345', printedAt: new Date('2026-03-19T04:00:00Z') });
    const path = await save('receipt-kk-registered', await renderReceipt(input));
    const text = await pdfText(path);
    expect(text).toContain('Тіркеу нөмірі («Е-лицензиялау») KZ72VEL00012345');
    expect(text).not.toContain('тіркелгеннен кейін беріледі');
    expect(text).toContain('Басып шығарылды: 2026 жылғы 19 наурыз, 09:00');

    // Render at 300 dpi and read the modules back: the drawn code is the encoding of the number.
    const dpi = 300;
    await tool('pdftoppm', ['-r', String(dpi), '-gray', '-png', '-singlefile', path, path.replace(/\.pdf$/, '-300dpi')]);
    const { data, info } = await sharp(path.replace(/\.pdf$/, '-300dpi.png')).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    const sq = qrSquare();
    const m = qrMatrix('KZ72VEL00012345');
    const unit = sq.side / (m.size + 8);
    const scale = dpi / 72;
    const pageHeightPx = info.height;
    let mismatches = 0;
    for (let r = 0; r < m.size; r++) {
      for (let c = 0; c < m.size; c++) {
        const xPt = sq.x + (c + 4.5) * unit;
        const yPt = sq.y + sq.side - (r + 4.5) * unit;
        const px = Math.round(xPt * scale);
        const py = Math.round(pageHeightPx - yPt * scale);
        const dark = (data[py * info.width + px] ?? 255) < 128;
        if (dark !== m.dark(r, c)) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });

  it('a long list of documents continues on a second page with the table header repeated', async () => {
    const documents = Array.from({ length: 34 }, (_, i) => ({ ...DOCS[i % DOCS.length]!, pages: i + 1 }));
    const path = await save('receipt-ru-long', await renderReceipt(sampleReceipt('ru', { documents })));
    await renderPng(path, 60);
    expect(await qpdfCheck(path)).toContain('No syntax or stream encoding errors');
    expect(await pdfInfo(path)).toMatch(/Pages:\s+2\n/);
    const page2 = await pdfText(path, { first: 2, last: 2 });
    expect(page2.trim().startsWith('РАСПИСКА № ALM-01-2026-000123 № Наименование документа')).toBe(true);
    expect(page2).toContain('Итого: 34 документа, 595 листов');
    expect(page2).toContain('Страница 2 из 2');
  });

  it('the same input gives the same bytes (a reprint is identical)', async () => {
    const a = await renderReceipt(sampleReceipt('kk'));
    const b = await renderReceipt(sampleReceipt('kk'));
    expect(Buffer.compare(Buffer.from(a), Buffer.from(b))).toBe(0);
  });

  it('bad input gets a typed error that names the field, never the value', async () => {
    const badIin = await errorOf(renderReceipt(sampleReceipt('kk', { applicant: { kind: 'individual', name: 'X', iinOrBin: '12345' } })));
    expect(badIin).toEqual({ code: 'DOCS_INVALID_INPUT', params: { field: 'applicant.iinOrBin' } });
    const noDocs = await errorOf(renderReceipt(sampleReceipt('ru', { documents: [] })));
    expect(noDocs).toEqual({ code: 'DOCS_INVALID_INPUT', params: { field: 'documents' } });
    const emoji = await errorOf(renderReceipt(sampleReceipt('kk', { operatorName: 'Омаров 🙂' })));
    expect(emoji).toEqual({ code: 'DOCS_UNSUPPORTED_CHARACTER', params: { codePoint: 'U+1F642' } });
  });
});

describe('the refusal to accept an incomplete package', () => {
  for (const language of ['kk', 'ru'] as const) {
    it(`${language}: names the missing documents under the same header`, async () => {
      const text = await checkedPaper(`refusal-${language}`, await renderRefusalNotice(sampleRefusal(language)));
      const expected =
        language === 'kk'
          ? [
              'ХҚКО Алматы қ. Алмалы ауданы бөлімі',
              'құжаттарды қабылдаудан бас тарту туралы',
              'Жұмабеков Әділет Ғаниұлы (жеке тұлға)',
              'ЖСН 850315300128',
              'құжаттар топтамасы толық ұсынылмағандықтан, құжаттарды қабылдаудан бас тартылады.',
              'Ұсынылмаған құжаттар',
              '1 Өндірістік үй-жайға құқық белгілейтін құжат',
              '2 Лицензиялық алымның төленгенін растайтын құжат',
              'Ұсынылған құжаттар (қайтарылды)',
              '2026 жылғы 18 наурыз, 11:05',
            ]
          : [
              'ЦОН г. Алматы, отдел Алмалинского района',
              'об отказе в приёме документов',
              'Жұмабеков Әділет Ғаниұлы (физическое лицо)',
              'ИИН 850315300128',
              'В связи с представлением неполного пакета документов',
              'Не представлены документы',
              '1 Правоустанавливающий документ на производственное помещение',
              '2 Документ об уплате лицензионного сбора',
              'Представленные документы (возвращены)',
              '18 марта 2026 г., 11:05',
            ];
      for (const field of expected) expect(text).toContain(field);
      expect(text).toContain(OPERATOR);
    });
  }
});

describe('the result issuance sheet', () => {
  for (const language of ['kk', 'ru'] as const) {
    it(`${language}: what was handed over, to whom, when and by which operator`, async () => {
      const text = await checkedPaper(`issuance-${language}`, await renderIssuanceSheet(sampleIssuance(language)));
      const expected =
        language === 'kk'
          ? [
              'НӘТИЖЕНІ БЕРУ ПАРАҒЫ',
              'KZ72VEL00012345',
              'Берілген күні мен уақыты 2026 жылғы 2 сәуір, 14:15',
              'Алушы сенімхат бойынша өкіл: Әбілқасымова Гүлнұр Үсенқызы',
              'Сенімхат № 2026-0317-ҚҰ',
              '1 Қайта ресімделген лицензия (парақ саны: 2) электрондық құжат 1',
              'Нәтижені алдым:',
            ]
          : [
              'ЛИСТ ВЫДАЧИ РЕЗУЛЬТАТА',
              'KZ72VEL00012345',
              'Дата и время выдачи 2 апреля 2026 г., 14:15',
              'Получатель представитель по доверенности: Әбілқасымова Гүлнұр Үсенқызы',
              'Доверенность № 2026-0317-ҚҰ',
              '2 Приложение к лицензии (кол-во листов: 1) копия 1',
              'Результат получил(а):',
            ];
      for (const field of expected) expect(text).toContain(field);
      expect(text).toContain(OPERATOR);
    });
  }

  it('handed to the applicant in person: no representative is named', async () => {
    const input = { ...sampleIssuance('ru'), recipient: 'applicant' as const };
    const path = await save('issuance-ru-applicant', await renderIssuanceSheet(input));
    const text = await pdfText(path);
    expect(text).toContain('Получатель лично услугополучатель');
    expect(text).not.toContain('Әбілқасымова');
  });

  it('a representative recipient without a representative is refused', async () => {
    const input = { ...sampleIssuance('kk'), representative: undefined };
    expect(await errorOf(renderIssuanceSheet(input))).toEqual({ code: 'DOCS_INVALID_INPUT', params: { field: 'representative' } });
  });
});
